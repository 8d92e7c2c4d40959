import pytest

from analyzers import AnalyzerError, SynonymFormatError
from analyzers.synonyms import build_map, parse_rules, synonyms


def test_bundled_synonyms_load_and_cover_everyday_terms():
    table = synonyms()
    assert table.rule_count >= 80
    assert ("burgergeld",) in table.lookup(("hartz", "4"))
    assert ("wohnungslos",) in table.lookup(("obdachlos",))
    assert ("kindergarten",) in table.lookup(("kita",))
    assert ("frauenschutzhaus",) in table.lookup(("frauenhaus",))


def test_one_way_rule_is_one_way():
    table = build_map(parse_rules("tafel => lebensmittelausgabe\n"))
    assert table.lookup(("tafel",)) == (("lebensmittelausgabe",),)
    assert table.lookup(("lebensmittelausgabe",)) == ()


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("kita, kindergarten\nkita,, krippe\n", 2, "empty term"),
        ("# c\n\na => \n", 3, "both sides"),
        ("a => b => c\n", 1, "more than one"),
        ("einsam\n", 1, "at least two"),
    ],
)
def test_malformed_lines_report_file_and_line(text, line, reason):
    with pytest.raises(SynonymFormatError) as info:
        parse_rules(text, "de.txt")
    assert info.value.line == line
    assert info.value.file == "de.txt"
    assert reason in info.value.reason
    assert isinstance(info.value, AnalyzerError)
    assert f"de.txt:{line}:" in str(info.value)
