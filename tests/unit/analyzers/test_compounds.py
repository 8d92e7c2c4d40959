import pytest

from analyzers.compounds import GOLD, compare, split


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("Schuldnerberatung", ("schuldner", "beratung")),
        ("Erziehungsberatungsstelle", ("erziehung", "beratung", "stelle")),
        ("Schwangerschaftsberatung", ("schwangerschaft", "beratung")),  # linking -s-
        ("Familienzentrum", ("familie", "zentrum")),  # linking -n-
        ("Kindertagesstätte", ("kind", "tag", "statte")),  # -er- and -es-
        ("Betreuungsgruppen", ("betreuung", "gruppe")),  # inflected head
    ],
)
def test_split(word, parts):
    assert split(word) == parts


def test_simple_words_are_not_split():
    assert split("Beratung") == ()
    assert split("Migration") == ()


def test_default_strategy_is_accurate_on_gold():
    assert compare()["greedy"] >= 0.9
    assert len(GOLD) >= 40
