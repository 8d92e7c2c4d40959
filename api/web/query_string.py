"""The search page's query string: read into ``SearchParams`` and written back as links.

The page is a plain HTML form, so its state lives in the address; a parameter that does
not validate is dropped rather than turned into an error page, because people edit and
share these addresses.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from pydantic import ValidationError

from api.search_models import SearchParams

PAGE_SIZE = 10
LIST_FIELDS = ("category", "district", "language", "target_group", "cost")
SCALAR_FIELDS = ("q", "wheelchair", "open_now", "near", "radius_km", "page", "sort")


def _raw_params(request: HttpRequest) -> dict[str, Any]:
    """The search parameters in the query string, as ``SearchParams`` accepts them."""
    data: dict[str, Any] = {}
    for name in LIST_FIELDS:
        values = [v for v in request.GET.getlist(name) if v]
        if values:
            data[name] = list(dict.fromkeys(values))
    for name in SCALAR_FIELDS:
        value = request.GET.get(name, "")
        if value != "":
            data[name] = value
    if "open_now" in data:
        data["open_now"] = data["open_now"] in ("1", "true", "on")
    return data


def parse_params(request: HttpRequest, lang: str) -> tuple[SearchParams, dict[str, Any]]:
    """Validated parameters; a field that does not validate is dropped, not an error page."""
    data = _raw_params(request)
    for _ in range(len(data) + 1):
        try:
            params = SearchParams.model_validate({**data, "size": PAGE_SIZE, "lang": lang})
        except ValidationError as exc:
            bad = {str(error["loc"][0]) for error in exc.errors() if error.get("loc")}
            if not bad & set(data):
                break
            for name in bad:
                data.pop(name, None)
            continue
        if params.sort == "distance" and not params.near:
            params = params.model_copy(update={"sort": "relevance"})
            data.pop("sort", None)
        return params, data
    return SearchParams.model_validate({"size": PAGE_SIZE, "lang": lang}), {}


def query_url(data: dict[str, Any], **changes: Any) -> str:
    """``?...`` for ``data`` with ``changes`` (``None`` removes a key); page resets to 1."""
    merged = {**data, **changes}
    if "page" not in changes:
        merged.pop("page", None)
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        if value is None or value == "" or value == [] or value is False:
            continue
        if isinstance(value, list):
            pairs.extend((key, str(v)) for v in value)
        else:
            pairs.append((key, "1" if value is True else str(value)))
    return "?" + urlencode(pairs) if pairs else "?"
