from analyzers import clean_text, fold


def test_clean_text_strips_html_and_entities():
    assert clean_text("<p>Hilfe&nbsp;bei <b>Schulden</b>&amp; Miete</p>\n\n") == (
        "Hilfe bei Schulden & Miete"
    )


def test_clean_text_decodes_then_sanitises():
    # Encoded markup is markup: decoded first, then removed, so it cannot reach a page.
    assert clean_text("a &lt;img src=x onerror=alert(1)&gt; c") == "a c"
    assert clean_text("&lt;script&gt;alert(1)&lt;/script&gt;Kita") == "Kita"
    assert clean_text("&amp;lt;b&amp;gt; x") == "&lt;b&gt; x"  # decoded once: text, no tag


def test_clean_text_keeps_comparisons():
    assert clean_text("Alter: < 18 oder > 65") == "Alter: < 18 oder > 65"
    assert clean_text("<p>Alter: &lt; 18</p>") == "Alter: < 18"
    assert clean_text("Kosten: 5 € & mehr") == "Kosten: 5 € & mehr"


def test_clean_text_removes_controls_and_surrogates():
    assert clean_text("Ki\x00ta\ud800 \x07Sonnenberg") == "Kita Sonnenberg"


def test_fold_umlauts_and_sharp_s_agree():
    assert fold("Straße") == fold("Strasse") == "strasse"
    assert fold("München") == fold("Muenchen") == fold("Munchen") == "munchen"
    assert fold("Schloßchemnitz") == fold("Schlosschemnitz")


def test_fold_letters_typed_without_their_stroke_or_dot_agree():
    """A German keyboard has no đ, ł, ø or ı: people type d, l, o and i."""
    assert fold("điểm kém") == fold("diem kem") == "diem kem"
    assert fold("Łódź") == fold("Lodz") == "lodz"
    assert fold("yardım") == fold("YARDIM") == fold("yardim") == "yardim"
    assert fold("Søren") == "soren"


def test_fold_keeps_non_umlaut_ue():
    assert fold("Quelle") == "quelle"
    assert fold("neue") == "neue"


def test_fold_cyrillic_unifies_yo_but_keeps_short_i():
    assert fold("Молодёжь") == "молодежь"
    assert fold("детский") == "детский"
