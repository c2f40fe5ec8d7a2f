"""Helpers for thin views: error pages, pagination, the current consortium."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongsheng.core.errors import ApplicationError, Forbidden, NotFound


def page_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Render ``NotFound`` / ``Forbidden`` from selectors and services as error pages."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return render(
                request,
                "web/error.html",
                {
                    "title": _("Not found"),
                    "message": _("There is no such record, or it is not yours to see."),
                },
                status=404,
            )
        except Forbidden as exc:
            return render(
                request,
                "web/error.html",
                {"title": _("Not allowed"), "message": _(str(exc.message))},
                status=403,
            )
        except ApplicationError as exc:
            return render(
                request,
                "web/error.html",
                {"title": _(exc.title), "message": _(str(exc.message))},
                status=exc.status,
            )

    return wrapper


def paginate(request: HttpRequest, queryset: Any, per_page: int | None = None) -> Page:
    """One page of a queryset: a count query and a page query, whatever the size."""
    paginator = Paginator(queryset, per_page or settings.GONGSHENG_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def form_errors(form: Any, exc: ApplicationError) -> None:
    """Put a service's error on the form: each field error beside its field (or at the top when
    the form has no such field), a message without field errors at the top."""
    for err in exc.errors:
        form.add_error(err.field if err.field in form.fields else None, err.message)
    if not exc.errors:
        form.add_error(None, exc.message)


def error_text(exc: ApplicationError, *sources: Any) -> str:
    """A service's error as one line for a page's message: its message, then each field problem
    under the field's label — the first of ``sources`` (forms, form classes or model classes, in
    order) that knows the field gives its label or ``verbose_name``. A problem of no field
    (``__all__`` or empty), or of a field no source knows, is shown without a prefix: the field's
    code is not for people."""
    parts = []
    for err in exc.errors:
        label = _field_label(err.field, sources)
        message = str(err.message)
        parts.append(_("%(label)s: %(message)s") % {"label": label, "message": message}
                     if label else message)  # fmt: skip
    return f"{exc.message} {_('; ').join(parts)}".strip()


def _field_label(name: str, sources: tuple[Any, ...]) -> str:
    if not name or name == "__all__":
        return ""
    for source in sources:
        fields = getattr(source, "fields", None)  # a form; a form class has base_fields
        fields = fields if isinstance(fields, dict) else getattr(source, "base_fields", None)
        if isinstance(fields, dict):
            if name in fields and fields[name].label:
                return str(fields[name].label)
            continue
        meta = getattr(source, "_meta", None)
        if meta is not None and hasattr(meta, "get_field"):
            try:
                label = getattr(meta.get_field(name), "verbose_name", "")
            except FieldDoesNotExist:
                continue
            if label:
                return str(label)
    return ""
