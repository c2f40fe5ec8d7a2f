"""The API schemas of a declared model: the declaration's own, or built from its fields.

Built schemas name a foreign key by its id (``consortium_id``); a field that may be blank or
has a default is optional on create; every field is optional on PATCH, beside ``version``.
The list's query schema comes from the declaration's filter set, so the page, the API and
the export share one filter definition.
"""

from __future__ import annotations

import datetime as dt
import decimal
from functools import cache
from typing import Any

from django.db import models
from ninja import Schema
from pydantic import Field, create_model

from gongsheng.declare.declaration import Declaration

_TYPES: list[tuple[type[models.Field], Any]] = [
    (models.BooleanField, bool),
    (models.DateTimeField, dt.datetime),
    (models.DateField, dt.date),
    (models.DecimalField, decimal.Decimal),
    (models.FloatField, float),
    (models.IntegerField, int),
    (models.AutoField, int),
    (models.ForeignKey, int),
]


def _python_type(field: models.Field) -> Any:
    for kind, py in _TYPES:
        if isinstance(field, kind):
            return py | None if field.null else py
    return str


def _name(field: models.Field) -> str:
    return field.attname if isinstance(field, models.ForeignKey) else field.name


def _required(field: models.Field) -> bool:
    return not (field.blank or field.null or field.has_default())


@cache
def schemas(decl: Declaration) -> tuple[Any, Any, Any, Any]:
    """(out, create, patch, query) schemas of ``decl``."""
    meta = decl.model._meta
    fields = [meta.get_field(n) for n in decl.fields]
    title = decl.model.__name__
    out = decl.schema_out
    if out is None:
        shown = [meta.get_field("id"), *fields]
        if decl.consortium_field:
            shown.insert(1, meta.get_field(decl.consortium_field))
        spec: dict[str, Any] = {_name(f): (_python_type(f), ...) for f in shown}
        spec["version"] = (int, ...)
        out = create_model(f"{title}Out", __base__=Schema, **spec)
    create_in = decl.schema_in
    if create_in is None:
        spec = {}
        if decl.consortium_field:
            spec["consortium_id"] = (int, ...)
        for f in fields:
            if _required(f):
                spec[_name(f)] = (_python_type(f), ...)
            else:  # a blank text field defaults to "", a nullable one to None
                default = f.get_default()
                py = _python_type(f) if default is not None else _python_type(f) | None
                spec[_name(f)] = (py, default)
        create_in = create_model(f"{title}In", __base__=Schema, **spec)
    patch_in = decl.schema_patch
    if patch_in is None:
        spec = {"version": (int | None, Field(None, description="the version you read"))}
        spec.update({_name(f): (_python_type(f) | None, None) for f in fields})
        patch_in = create_model(f"{title}Patch", __base__=Schema, **spec)
    return out, create_in, patch_in, query_schema(decl)


def query_schema(decl: Declaration) -> Any:
    """The list endpoint's query parameters: ``consortium`` and the filter set's filters."""
    import django_filters

    spec: dict[str, Any] = {"consortium": (int | None, None)}
    if decl.filterset is not None:
        for name, flt in decl.filterset.base_filters.items():
            py = int if isinstance(flt, django_filters.NumberFilter) else str
            spec[name] = (py | None, None)
    return create_model(f"{decl.model.__name__}Query", __base__=Schema, **spec)


def move_schema(move: Any, owner: str = "") -> Any:
    """The API body of a move: its own schema, or one made from its page form's fields
    (``version`` optional; a required form field is required), named after the model
    ``owner`` and the move (``BookingApproveIn``: one OpenAPI component per model's move)."""
    if move.schema is not None or move.form is None:
        return move.schema
    from django import forms

    kinds: list[tuple[type[forms.Field], Any]] = [
        (forms.DateTimeField, dt.datetime),
        (forms.DateField, dt.date),
        (forms.DecimalField, decimal.Decimal),
        (forms.IntegerField, int),
        (forms.BooleanField, bool),
    ]
    spec: dict[str, Any] = {"version": (int | None, None)}
    for name, field in move.form.base_fields.items():
        if name == "version":
            continue
        py = next((t for kind, t in kinds if isinstance(field, kind)), str)
        spec[name] = (py, ...) if field.required else (py | None, None)
    return create_model(f"{owner}{move.name.title()}In", __base__=Schema, **spec)
