"""Analytics CSV opens safely in a spreadsheet: no formulas from query text, all scripts."""

from __future__ import annotations

import csv
import io

from indexer.reports import Report


def _report() -> Report:
    return Report(
        name="top-queries",
        columns=["query", "searches", "forms"],
        rows=[
            {"query": '=HYPERLINK("http://evil.example","klick")', "searches": 3, "forms": []},
            {"query": "+49 trick", "searches": 2, "forms": ["@SUM(A1)"]},
            {"query": "-2+3", "searches": 1, "forms": []},
            {"query": "\tTabulator", "searches": 1, "forms": ["\rwagenrücklauf"]},
            {"query": "долги", "searches": 5, "forms": ["ديون"]},
            {"query": "Kita", "searches": -1, "forms": []},
        ],
    )


def test_cells_cannot_become_formulas() -> None:
    text = _report().to_csv()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and c != "-1"]
    assert not dangerous, dangerous
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","klick")'
    assert rows[6] == ["Kita", "-1", ""]  # a negative number stays a number


def test_bom_and_semicolon_for_german_excel() -> None:
    text = _report().to_csv(";")
    assert text.startswith("\ufeff")
    header = text.lstrip("\ufeff").splitlines()[0]
    assert header == "query;searches;forms"
    assert "долги;5;ديون" in text
