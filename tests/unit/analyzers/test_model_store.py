"""The trained classifiers kept between process starts (analyzers/model_store.py)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from analyzers import alarm, intent, model_store
from analyzers.classifier import Classifier, train

PAIRS = [
    ("schulden", "Schuldnerberatung bei Mahnbescheid und Inkasso"),
    ("schulden", "ich habe Schulden und kann nicht zahlen"),
    ("kita", "Kita Platz für mein Kind"),
    ("kita", "Kindergarten und Krippe in der Nähe"),
]


class Counting:
    """The real trainer, counted: a second start must not train again."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, pairs: Iterable[tuple[str, str]]) -> Classifier:
        self.calls += 1
        return train(pairs)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    before = model_store.kept_in()
    model_store.keep_in(tmp_path)
    yield tmp_path
    model_store.keep_in(before)


def test_a_stored_model_is_read_back_and_predicts_as_the_trained_one(store: Path) -> None:
    trainer = Counting()
    first = model_store.trained("t", trainer, PAIRS)
    second = model_store.trained("t", trainer, PAIRS)
    assert trainer.calls == 1
    assert [p.name for p in store.glob("*.pickle")] == [
        f"t-{model_store.fingerprint('t', PAIRS)[:32]}.pickle"
    ]
    assert second is not first  # read from the file, not this process's object
    for text in ("Inkasso Brief", "Krippe gesucht", "Mahnung"):
        assert second.predict(text, 1.0) == first.predict(text, 1.0)


def test_changed_examples_train_anew(store: Path) -> None:
    trainer = Counting()
    model_store.trained("t", trainer, PAIRS)
    changed = [*PAIRS, ("kita", "Tagesmutter gesucht")]
    model = model_store.trained("t", trainer, changed)
    assert trainer.calls == 2
    assert model.predict("Tagesmutter", 1.0)[0][0] == "kita"
    assert model_store.fingerprint("t", changed) != model_store.fingerprint("t", PAIRS)
    assert model_store.fingerprint("u", PAIRS) != model_store.fingerprint("t", PAIRS)


def test_an_unreadable_file_is_trained_again_and_replaced(store: Path) -> None:
    trainer = Counting()
    model_store.trained("t", trainer, PAIRS)
    (path,) = store.glob("t-*.pickle")
    path.write_bytes(b"not a pickle")
    model = model_store.trained("t", trainer, PAIRS)
    assert trainer.calls == 2
    assert model.predict("Schulden", 1.0)[0][0] == "schulden"
    assert model_store.trained("t", trainer, PAIRS).codes == model.codes
    assert trainer.calls == 2


def test_an_unwritable_directory_costs_only_the_training(tmp_path: Path) -> None:
    before = model_store.kept_in()
    blocked = tmp_path / "file"
    blocked.write_text("a file where the directory should be")
    model_store.keep_in(blocked / "models")
    try:
        trainer = Counting()
        model = model_store.trained("t", trainer, PAIRS)
    finally:
        model_store.keep_in(before)
    assert trainer.calls == 1
    assert model.predict("Kita", 1.0)[0][0] == "kita"


def test_without_a_directory_nothing_is_kept(tmp_path: Path) -> None:
    before = model_store.kept_in()
    model_store.keep_in(None)
    try:
        trainer = Counting()
        model_store.trained("t", trainer, PAIRS)
        model_store.trained("t", trainer, PAIRS)
    finally:
        model_store.keep_in(before)
    assert trainer.calls == 2
    assert list(tmp_path.iterdir()) == []


def test_old_versions_are_pruned_to_the_current_and_one_before(store: Path) -> None:
    trainer = Counting()
    for extra in range(4):
        pairs = [*PAIRS, ("kita", f"Krippe {extra}")]
        model_store.trained("t", trainer, pairs)
        newest = store / f"t-{model_store.fingerprint('t', pairs)[:32]}.pickle"
        os.utime(newest, (1_000_000 + extra, 1_000_000 + extra))
    model_store.trained("u", trainer, PAIRS)  # another model's file is not touched
    names = sorted(p.name for p in store.glob("*.pickle"))
    assert len(names) == model_store.KEEP + 1
    assert newest.name in names
    assert sum(n.startswith("u-") for n in names) == 1


def test_the_shipped_models_are_kept_under_their_names(store: Path) -> None:
    """The three models a server trains at start-up go through the store."""
    for name, corpus, model in (
        ("intent", intent.corpus(), intent.model),
        ("danger", alarm.corpus(), alarm.model),
        ("kind", alarm.kind_corpus(), alarm.kind_model),
    ):
        model.cache_clear()
        try:
            trained = model()
        finally:
            model.cache_clear()  # the next caller trains or reads its own
        path = store / f"{name}-{model_store.fingerprint(name, corpus)[:32]}.pickle"
        assert path.is_file(), name
        assert trained.codes
