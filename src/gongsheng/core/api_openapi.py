"""The API's errors in its OpenAPI description: every status an operation can answer besides
its own, with the RFC 9457 problem document (``application/problem+json``) as its body.

Which operation answers what follows from how the API is built (``gongsheng.api``):

| status | answered by | when |
|---|---|---|
| 400 | operations with a body | the body is not JSON |
| 401 | every operation but the documentation | no valid token or session |
| 403 | every authenticated operation | the user may see the record, not do this |
| 404 | operations with any input | the record is missing or not the user's (one answer) |
| 409 | writes (POST, PATCH, PUT, DELETE) | stale version / If-Match, or a state the write
  cannot start from |
| 422 | operations with any input | a field is not valid (the problem's ``errors`` name it) |

An operation that answers another problem status (the diagnosis' 202 while a window is being
computed) lists it in ``openapi_extra={"x-problem-statuses": [202]}``; an If-Match that is not
a version this API issued is a 409 too, so 412 and 428 are not used, and the API has no rate
limit (the login page's lockout is django-axes'), so no 429.
"""

from __future__ import annotations

from typing import Any

PROBLEM = "Problem"
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": PROBLEM,
    "description": "An RFC 9457 problem document; `errors` names the fields at fault.",
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance", "errors"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "row": {"type": "integer"},
                    "column": {"type": "string"},
                },
            },
        },
        "current_version": {"type": "integer", "description": "with 409: the record's version"},
    },
}
REASONS = {
    202: "Accepted: being computed (the problem names the background job)",
    400: "Bad request: the body is not JSON",
    401: "Unauthorized: no valid token or session",
    403: "Forbidden: the user may not do this",
    404: "Not found: missing, or not visible to the user",
    409: "Conflict: stale version, or a state the change cannot start from",
    422: "Validation failed: the problem's `errors` name the fields",
}
WRITES = {"post", "put", "patch", "delete"}
EXTRA = "x-problem-statuses"


def statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The problem statuses ``operation`` (an OpenAPI operation object) can answer."""
    found = set(operation.pop(EXTRA, ()))
    authenticated = operation.get("security") != []
    has_input = bool(operation.get("parameters")) or "requestBody" in operation
    if authenticated:
        found |= {401, 403}
    if has_input:
        found |= {404, 422}
    if "requestBody" in operation:
        found.add(400)
    if method in WRITES:
        found.add(409)
    return found


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the problem statuses to every operation of ``schema`` (in place; returned)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components[PROBLEM] = PROBLEM_SCHEMA
    ref = {"$ref": f"#/components/schemas/{PROBLEM}"}
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in WRITES | {"get", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses(method, operation)):
                if status in responses or str(status) in responses:
                    continue
                responses[status] = {
                    "description": REASONS.get(status, "Problem"),
                    "content": {"application/problem+json": {"schema": ref}},
                }
    return schema
