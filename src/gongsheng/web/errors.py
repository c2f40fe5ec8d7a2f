"""The 400, 403, 404 and 500 pages: the base layout, in the user's language.

Django's own handlers render a bare English page (or ``404.html`` without our layout);
``gongsheng/urls.py`` names these instead. The 500 page falls back to a plain page when the
layout itself cannot be rendered (the error may be in it).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 403, _("Not allowed"), _("You may not open this page."))


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Not found"),
        _("There is no such page or record, or it is not yours to see."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    title = _("Something went wrong")
    message = _(
        "The page could not be shown because of an error on our side. It has been logged; "
        "please try again later."
    )
    try:
        return _page(request, 500, title, message)
    except Exception:  # the layout may be what failed: a plain page then
        return HttpResponseServerError(
            f"<!doctype html><meta charset='utf-8'><title>{title}</title>"
            f"<h1>{title}</h1><p>{message}</p>"
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its token (expired, or from another site): ``403_csrf.html``."""
    return render(request, "403_csrf.html", status=403)
