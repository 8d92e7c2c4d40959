from analyzers import clean_text, fold


def test_clean_text_strips_html_and_entities():
    assert clean_text("<p>Hilfe&nbsp;bei <b>Schulden</b>&amp; Miete</p>\n\n") == (
        "Hilfe bei Schulden & Miete"
    )


def test_clean_text_keeps_escaped_tags_as_text():
    assert clean_text("a &lt;b&gt; c") == "a <b> c"


def test_clean_text_removes_controls_and_surrogates():
    assert clean_text("Ki\x00ta\ud800 \x07Sonnenberg") == "Kita Sonnenberg"


def test_fold_umlauts_and_sharp_s_agree():
    assert fold("Straße") == fold("Strasse") == "strasse"
    assert fold("München") == fold("Muenchen") == fold("Munchen") == "munchen"
    assert fold("Schloßchemnitz") == fold("Schlosschemnitz")


def test_fold_keeps_non_umlaut_ue():
    assert fold("Quelle") == "quelle"
    assert fold("neue") == "neue"


def test_fold_cyrillic_unifies_yo_but_keeps_short_i():
    assert fold("Молодёжь") == "молодежь"
    assert fold("детский") == "детский"
