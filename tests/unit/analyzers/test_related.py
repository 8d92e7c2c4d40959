"""The referral map: validated at load, expanded weakly after the named service."""

from __future__ import annotations

import pytest

from analyzers import analyze_query
from analyzers.errors import ResourceFormatError
from analyzers.related import RELATED_FACTOR, parse, related_map


def test_every_service_type_has_related_services() -> None:
    from analyzers import taxonomy

    services = [code for code in taxonomy.codes() if "/" in code]
    assert set(related_map()) == set(services)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("familie/kita familie/hort", "expected `code: related, related`"),
        ("familie/kita: familie/nope", "unknown service type 'familie/nope'"),
        ("familie/kita: familie\n", "unknown service type 'familie'"),
        ("familie/kita: familie/hort\nfamilie/kita: familie/krippe", "listed twice"),
    ],
)
def test_malformed_lines_name_file_line_and_reason(text: str, reason: str) -> None:
    with pytest.raises(ResourceFormatError) as error:
        parse(text, "related.txt")
    assert reason in str(error.value) and "related.txt:" in str(error.value)


def test_a_named_service_brings_its_referrals_weakly() -> None:
    concepts = analyze_query("Ausländerbehörde").concepts
    main = next(c for c in concepts if c.code == "behoerden/auslaenderbehoerde")
    related = [c for c in concepts if c.kind == "related"]
    assert {c.code for c in related} >= {"migration/mbe", "migration/fluechtlingsberatung"}
    assert all(c.weight == round(main.weight * RELATED_FACTOR, 3) for c in related)
    assert all(c.via == "behoerden/auslaenderbehoerde" for c in related)
