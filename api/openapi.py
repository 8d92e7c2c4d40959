"""The OpenAPI document tells the whole truth: error answers and optional authentication.

Ninja documents only the success responses a view declares. The errors every operation can
answer with (mapped in one place, :mod:`api.apis`) are added here, so that clients and the
schema-based fuzzing see them as documented: 400, 413/414 (size limits), 422 (validation),
503 (a dependency down), 401/403 where a key or login is checked, 404 where the path names
an object, 429 where a rate limit applies or keys are checked (wrong keys are counted).
Operations that serve anonymous callers too (:class:`api.auth.PublicAccess`) list "no
authentication" as an alternative.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from api.auth import is_public

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "Stable code, e.g. not_found"},
        "detail": {"description": "Human-readable detail, or the validation errors"},
    },
    "required": ["detail"],
}
REASONS = {
    400: "Bad request",
    401: "Missing, unknown or revoked key (or no login)",
    403: "Not allowed: this key from this origin, or this user",
    404: "Not found",
    413: "Request body too large",
    414: "Query string too long",
    422: "Invalid parameters",
    429: "Rate limit exceeded; see Retry-After",
    503: "A dependency (search index, database) is unavailable; see Retry-After",
}


class DocumentedSchema(OpenAPISchema):
    def operation_details(self, operation: Operation) -> dict[str, Any]:
        result: dict[str, Any] = super().operation_details(operation)
        self.schemas.setdefault("Error", ERROR_SCHEMA)
        statuses = [400, 414, 422, 503]
        if operation.auth_callbacks:
            statuses += [401, 403, 429]  # 429: a client that keeps sending wrong keys
        elif operation.throttle_objects:
            statuses.append(429)
        if "requestBody" in result:
            statuses.append(413)
        if "{" in operation.path or "requestBody" in result:
            statuses.append(404)  # a path or body that names an object that does not exist
        responses = result.setdefault("responses", {})
        for status in sorted(statuses):
            responses.setdefault(
                status,
                {
                    "description": REASONS[status],
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            )
        if is_public(operation.auth_callbacks) and result.get("security"):
            result["security"] = [{}, *result["security"]]
        return result


class DocumentedAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return DocumentedSchema(self, path_prefix)
