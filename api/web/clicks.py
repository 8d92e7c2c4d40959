"""Clicks on search results without JavaScript: both ends of the result link.

A result links to the provider page with the answer's query id, the hit's click token and
its rank (:func:`provider_link`); opening that page counts the click once and redirects to
the page's own address (:func:`count_click`), so a reload or a language switch is no second
click and the tokens stay out of shared links. Links that were never part of an answer
count for nothing.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from api.search_models import SearchResponse
from api.searchlog import record_event, valid_click, writer


def provider_link(hit: Any, response: SearchResponse, rank: int) -> str:
    """The provider page; with the answer's query id and the hit's click token, so that
    following the link counts as a click (no JavaScript needed)."""
    url = reverse("web:provider", args=[hit.id])
    if not (response.query_id and hit.click_token):
        return url
    params = {"qid": response.query_id, "t": hit.click_token, "r": rank}
    return url + "?" + urlencode({**params, "session": response.session or ""})


def _record_click(request: HttpRequest, provider_id: str) -> None:
    """A provider page opened from a result link (``qid``, ``t``, ``r``) is that result's
    click; links that were never part of an answer count for nothing."""
    query_id, token = request.GET.get("qid", ""), request.GET.get("t", "")
    if not (query_id and token and valid_click(query_id, provider_id, token)):
        return
    try:
        rank = max(1, min(1000, int(request.GET.get("r", "1"))))
    except ValueError:
        rank = 1
    if writer().enabled:
        record_event(request, "click", query_id, provider_id=provider_id, rank=rank)


def count_click(request: HttpRequest, provider_id: str) -> HttpResponse:
    """Count the click once, then show the page under its own address (a reload or a
    language switch is no second click, and the tokens stay out of shared links)."""
    _record_click(request, provider_id)
    rest = {k: v for k, v in request.GET.items() if k == "lang"}
    target = reverse("web:provider", args=[provider_id])
    return redirect(target + ("?" + urlencode(rest) if rest else ""))
