"""What every API input must be before an endpoint sees it (one place, not each endpoint).

Pydantic checks types; these are the values a type lets through that would otherwise reach
the database or date arithmetic and end in a server error:

* integers outside the database's 64-bit range (ids, offsets, limits, amounts);
* floats and decimals that are not finite (``1e400``, ``NaN``, ``Infinity``);
* dates and date-times outside years 1800–2199 (``9999-12-31`` overflows the first "next
  day"; no consortium record lies outside these years), and integers named as years
  (``year``, ``year_from``, ``…_year``) outside the same years (``-89``, ``100000``);
* text with a NUL character or a lone surrogate (``"\\ud800"``): neither can be stored;
* a JSON body that is not an object where the endpoint reads an object (``true``, ``"x"``).

Each answers 422 with a problem document naming the field. A date-time without a time zone
is read in the platform's zone (``TIME_ZONE``, Asia/Shanghai), as imports and pages read it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import math
import typing
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.parser import Parser
from pydantic import BaseModel

from gongsheng.core.errors import FieldError, ValidationFailed

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
YEAR_MIN, YEAR_MAX = 1800, 2199
_RAW_BODY = "_gongsheng_json_body"
#: keyword arguments of an endpoint whose fields are the request's own (query, body, paging)
_UNNAMED = ("payload", "filters", "ninja_pagination", "query", "window", "params")


class JsonParser(Parser):
    """Ninja's JSON parser, keeping the parsed body on the request for ``guard`` to see its
    shape (a Schema would read ``true`` as an object with every field left out)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        setattr(request, _RAW_BODY, data)
        return data


def _problem(value: Any) -> str | None:
    """Why ``value`` cannot go further, or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            return _("The number is out of range (at most 19 digits).")
    elif isinstance(value, float):
        if not math.isfinite(value):
            return _("The number must be finite.")
    elif isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return _("The number must be finite.")
        if value.adjusted() > 18:
            return _("The number is out of range (at most 19 digits).")
    elif isinstance(value, dt.date):  # dt.datetime too
        if not YEAR_MIN <= value.year <= YEAR_MAX:
            return _("The date must lie between the years %(min)d and %(max)d.") % {
                "min": YEAR_MIN,
                "max": YEAR_MAX,
            }
    elif isinstance(value, str):
        if "\x00" in value:
            return _("The text contains a NUL character.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("The text is not valid Unicode (a lone surrogate).")
    return None


def _is_year(path: tuple[str, ...]) -> bool:
    name = path[-1] if path else ""
    return name == "year" or name.startswith("year_") or name.endswith("_year")


def value_problem(name: str, value: Any) -> str | None:
    """Why the value of field ``name`` cannot go further (``None``: it may); pages' forms
    ask it too (``declare.forms``)."""
    reason = _problem(value)
    year = reason is None and _is_year((name,)) and type(value) is int
    if year and not YEAR_MIN <= value <= YEAR_MAX:
        reason = _("The year must lie between %(min)d and %(max)d.") % {
            "min": YEAR_MIN,
            "max": YEAR_MAX,
        }
    return reason


def _walk(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name, None), (*path, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(key, (*path, str(key)))
            yield from _walk(item, (*path, str(key)))
    elif isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            yield from _walk(item, (*path, str(i)))


def _aware(value: Any) -> None:
    """Read naive date-times inside ``value`` (a schema) in the platform's time zone."""
    if not isinstance(value, BaseModel):
        return
    for name in type(value).model_fields:
        item = getattr(value, name, None)
        if isinstance(item, dt.datetime) and timezone.is_naive(item):
            object.__setattr__(value, name, timezone.make_aware(item))
        elif isinstance(item, BaseModel):
            _aware(item)
        elif isinstance(item, list):
            for element in item:
                _aware(element)


def check(values: dict[str, Any]) -> None:
    """Raise ``ValidationFailed`` naming every field of ``values`` (an endpoint's keyword
    arguments) that holds a value listed in the module's docstring."""
    errors: list[FieldError] = []
    for name, value in values.items():
        start = () if name in _UNNAMED or isinstance(value, BaseModel) else (name,)
        for path, item in _walk(value, start):
            reason = value_problem(path[-1] if path else name, item)
            if reason:
                errors.append(FieldError(field=".".join(path) or "body", message=reason))
    if errors:
        raise ValidationFailed(_("The request is not valid."), errors)


def _object_expected(operation: Any) -> bool:
    """Whether ``operation`` reads its JSON body into one schema (an object)."""
    from ninja.params.models import BodyModel

    for model in operation.models:
        if not issubclass(model, BodyModel):
            continue
        single = getattr(model, "__read_from_single_attr__", None)
        if not single:
            return True  # several body parameters: an object of them
        annotation = model.model_fields[single].annotation
        return isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return False


def _is_list(annotation: Any) -> bool:
    if annotation in (list, tuple, set):
        return True
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set):
        return True
    return any(_is_list(a) for a in typing.get_args(annotation) if a is not type(None))


def _single_query_names(operation: Any) -> set[str]:
    """The query parameters of ``operation`` that take one value (a repeated one is refused)."""
    from ninja.params.models import QueryModel

    names: set[str] = set()

    def walk(model: Any) -> None:
        for name, info in model.model_fields.items():
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                walk(annotation)
            elif not _is_list(annotation):
                names.add(info.alias or name)

    for model in operation.models:
        if issubclass(model, QueryModel):
            walk(model)
    return names


def _repeated(request: HttpRequest, single: set[str]) -> list[FieldError]:
    return [
        FieldError(field=name, message=_("Give this parameter once."))
        for name in request.GET
        if name in single and len(request.GET.getlist(name)) > 1
    ]


def guard(operation: Any) -> None:
    """Wrap ``operation``'s endpoint (a ninja ``Operation``): ``check`` its validated
    arguments, refuse a non-object JSON body where it reads an object, and read naive
    date-times in the platform's zone."""
    view = operation.view_func
    if getattr(view, "_gongsheng_guarded", False):
        return
    expects_object = _object_expected(operation)
    single = _single_query_names(operation)

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        repeated = _repeated(request, single)
        if repeated:
            raise ValidationFailed(_("The request is not valid."), repeated)
        if expects_object and not isinstance(getattr(request, _RAW_BODY, {}), dict):
            raise ValidationFailed(
                _("The request is not valid."),
                [FieldError(field="body", message=_("The body must be a JSON object."))],
            )
        check(kwargs)
        for value in kwargs.values():
            _aware(value)
        return view(request, *args, **kwargs)

    guarded._gongsheng_guarded = True  # type: ignore[attr-defined]
    operation.view_func = guarded


def guard_router(router: Any) -> None:
    """``guard`` every endpoint of a ninja ``Router`` and of the routers under it."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            guard(operation)
    for _prefix, child, *_rest in router._routers:
        guard_router(child)
