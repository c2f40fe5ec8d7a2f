from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
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


class ContentSecurityPolicyMiddleware:
    """Send ``settings.CONTENT_SECURITY_POLICY`` (directive -> sources) on every response that
    has no policy of its own (decision 0805: no inline script, no eval, no framing)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        policy: dict[str, str] = getattr(settings, "CONTENT_SECURITY_POLICY", {})
        self.header = "; ".join(f"{name} {value}".strip() for name, value in policy.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.header
        return response
