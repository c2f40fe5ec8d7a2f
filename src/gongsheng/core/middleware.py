from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from gongsheng.core.context import request_scope


class RequestIdMiddleware:
    """Give every request an id, shown in the ``X-Request-ID`` response header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope() as rid:
            request.id = rid  # type: ignore[attr-defined]
            response = self.get_response(request)
        response["X-Request-ID"] = str(rid)
        return response
