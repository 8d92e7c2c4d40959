"""``/events``: clicks on results and "this did not help me" feedback.

Both refer to a search by the ``query_id`` its response carried; ids are signed, so an
unknown or invented id is answered with 404 and nothing is recorded.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from api.errors import NotFound
from api.searchlog import record_event, valid_click, valid_query_id, writer

router = Router(tags=["events"])


class Click(Schema):
    query_id: str = Field(..., max_length=64)
    provider_id: str = Field(..., min_length=1, max_length=100)
    rank: int = Field(..., ge=1, le=1000, description="1-based position in the result list")
    token: str = Field(
        ..., min_length=16, max_length=16, description="The hit's click_token from the answer"
    )


class Feedback(Schema):
    query_id: str = Field(..., max_length=64)
    comment: str | None = Field(None, max_length=1000, description="Optional; redacted")


class Accepted(Schema):
    id: str | None
    recorded: bool


def _known(query_id: str) -> None:
    if not valid_query_id(query_id):
        raise NotFound(f"unknown or expired query id {query_id!r}")


@router.post("/click", response={202: Accepted}, summary="A result was clicked")
def click(request: HttpRequest, payload: Click) -> Status[Accepted]:
    _known(payload.query_id)
    if not valid_click(payload.query_id, payload.provider_id, payload.token):
        raise NotFound(f"provider {payload.provider_id!r} was not a result of this query")
    if not writer().enabled:
        return Status(202, Accepted(id=None, recorded=False))
    event = record_event(
        request, "click", payload.query_id, provider_id=payload.provider_id, rank=payload.rank
    )
    return Status(202, Accepted(id=event, recorded=True))


@router.post("/feedback", response={202: Accepted}, summary="The results did not help")
def feedback(request: HttpRequest, payload: Feedback) -> Status[Accepted]:
    _known(payload.query_id)
    if not writer().enabled:
        return Status(202, Accepted(id=None, recorded=False))
    event = record_event(
        request,
        "feedback",
        payload.query_id,
        not_helpful=True,
        comment=(payload.comment or "").strip() or None,
    )
    return Status(202, Accepted(id=event, recorded=True))
