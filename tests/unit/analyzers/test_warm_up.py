"""What a server does before it forks (analyzers.warm_up)."""

from __future__ import annotations

import gc

from analyzers import analyze_query, model_store, warm_up


def test_warm_up_hides_the_loaded_resources_from_the_garbage_collector() -> None:
    """A full collection walked 1.5 million resource objects (a pause of about a second)."""
    warm_up(model_store.kept_in())
    frozen = gc.get_freeze_count()
    assert frozen > 500_000
    assert len(gc.get_objects()) < frozen / 10
    analyze_query("Schuldnerberatung")  # the frozen resources still serve
    assert analyze_query("ich will nicht mehr leben").crisis is not None
