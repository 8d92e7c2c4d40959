from analyzers import analyze_query, analyze_record, analyze_records

RECORD = {
    "name": "Schuldnerberatung der Caritas – Sonnenberg",
    "organization": "Caritasverband Chemnitz e.V.",
    "description": "<p>Wir helfen bei Schulden&nbsp;&amp; Kontopfändung.</p>",
    "categories": ["geld/schuldnerberatung"],
}


def test_record_fields_use_query_token_form():
    analysis = analyze_record(RECORD)
    name_tokens = analysis.name.split()
    assert {"schuldnerberatung", "schuldner", "beratung"} <= set(name_tokens)
    assert analysis.clean_description == "Wir helfen bei Schulden & Kontopfändung."
    assert "kontopfandung" in analysis.description.split()
    assert "konto" in analysis.description.split()
    for expansion in analyze_query("Beratung Schulden").expansions:
        if expansion.kind == "original":
            assert set(expansion.terms) <= set(analysis.name.split() + analysis.description.split())


def test_categories_field_carries_synonyms():
    tokens = analyze_record(RECORD).categories.split()
    assert "pfandung" in tokens and "inkasso" in tokens


def test_suggest_has_name_parts_and_labels():
    suggest = analyze_record(RECORD).suggest
    assert suggest[0] == RECORD["name"]
    assert "Schuldnerberatung der Caritas" in suggest
    assert "Schuldner- und Insolvenzberatung" in suggest


def test_batch_equals_single_and_tolerates_junk():
    results = analyze_records([RECORD, {}, {"name": None, "categories": "nope"}])
    assert results[0] == analyze_record(RECORD)
    assert results[1].name == "" and results[2].categories == ""


def test_chunk_memo_equals_whole_text_on_the_sample_directory():
    """Every text of the shipped sample analyses the same chunk by chunk as in one piece."""
    import json
    from pathlib import Path

    from analyzers import clean_text
    from analyzers.record import field_terms, index_tokens

    sample = Path(__file__).resolve().parents[3] / "sozialatlas" / "data" / "sample_providers.jsonl"
    records = [json.loads(line) for line in sample.read_text().splitlines() if line.strip()]
    texts = [
        clean_text(record.get(field) or "")
        for record in records
        for field in ("name", "organization", "description")
    ]
    assert len(texts) > 100
    for text in texts:
        assert field_terms(text) == " ".join(index_tokens(text))
