"""The analysis of a query is the same in every process.

Python salts string hashing per process, so anything that iterates a set decides ties in
a different order each time: which phrase a concept is shown "via", which glossary
substring an expansion comes from, and now and then a lower concept. Two processes with
different hash seeds must agree on every field (these queries differed before).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

QUERIES = [
    "老人居家护理服务",
    "房东不退押金，哪里有免费咨询",
    "mein freund hat mich grad geschlagen ich hab mich mit dem baby im bad eingeschlossen",
    "ndihmë për borxhe",
    "ndihmë për të rinjtë emigrantë",
    "kto pomogaet s zayavleniem na pflegegrad dlya babushki",
    "uhod za babushkoj na domu",
    "potřebuji mluvit s psychologem",
    "syn na narkotikah pomogite",
    "support group for parents of autistic children",
]
SCRIPT = (
    "import json, sys\n"
    "from analyzers import analyze_query\n"
    "print(json.dumps([analyze_query(q).to_dict() for q in json.loads(sys.argv[1])]))\n"
)


def _analyses(seed: int) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(QUERIES)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result: list[dict[str, object]] = json.loads(run.stdout.splitlines()[-1])
    return result


def test_two_hash_seeds_give_the_same_analysis() -> None:
    first, second = _analyses(1), _analyses(7)
    for query, a, b in zip(QUERIES, first, second, strict=True):
        assert a == b, query
