"""Small helpers every app's API module shares: optimistic-locking versions and ETags."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema

from gongsheng.core.errors import Conflict


def client_version(request: HttpRequest, body_version: int | None) -> int | None:
    """The version the client read: ``If-Match: W/"3"`` or ``"version": 3`` in the body."""
    header = request.headers.get("If-Match", "").strip()
    if header and header != "*":
        raw = header.removeprefix("W/").strip('"')
        try:
            header_version = int(raw)
        except ValueError as exc:
            raise Conflict(f"If-Match {header!r} is not a version this API issued.") from exc
        if body_version is not None and body_version != header_version:
            raise Conflict("If-Match and the body's version disagree.")
        return header_version
    return body_version


def set_etag(response: HttpResponse, version: int) -> None:
    """Send the record's version as a weak ETag (``W/"3"``), for ``If-Match`` on the next write."""
    response["ETag"] = f'W/"{version}"'


def patch_data(payload: Schema) -> tuple[int | None, dict[str, Any]]:
    """The fields a PATCH body set, with its ``version`` taken out: ``(version, changes)``."""
    data = payload.dict(exclude_unset=True)
    return data.pop("version", None), data
