"""The reads of a declared model, always through ``access.scope``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongsheng.access.scope import access_object, scope
from gongsheng.declare.declaration import Declaration


def filtered(decl: Declaration, qs: QuerySet, params: Any) -> QuerySet:
    """``qs`` narrowed by the declaration's filter set; a bad value is ignored (not an error):
    the page and the API show the list without that filter."""
    if decl.filterset is None or params is None:
        return qs
    return decl.filterset(params, queryset=qs).qs


def listing(
    decl: Declaration,
    *,
    user: Any,
    consortium_id: int | None = None,
    parent_id: int | None = None,
    params: Any = None,
) -> QuerySet:
    """The rows the user may see (in one consortium, of one parent record when given),
    filtered by ``params``."""
    qs = decl.for_viewer(scope(user, decl.base_queryset(), "view"), user)
    if consortium_id is not None:
        qs = decl.in_consortium(qs, consortium_id, params)
    if parent_id is not None:
        qs = qs.filter(**{f"{decl.parent}_id": parent_id})
    return filtered(decl, qs, params)


def parent(decl: Declaration, *, user: Any, pk: int) -> Any:
    """The record a list or a new record belongs to, when it is not the consortium
    (``NotFound`` when the user may not see it)."""
    from django.apps import apps

    model = apps.get_model(decl.parent_model)
    return access_object(user, model._default_manager.all(), pk, "view")


def get(decl: Declaration, *, user: Any, pk: Any, action: str = "view") -> Any:
    """One row; ``NotFound`` alike for missing and not yours, ``Forbidden`` for a visible row
    the user may not ``action``."""
    return access_object(user, decl.for_viewer(decl.base_queryset(), user), pk, action)


def consortium(*, user: Any, consortium_id: int) -> Any:
    """The consortium a list or a new record belongs to (the declare layer sits below
    ``consortia``, so it names the model through the app registry, as ``access`` does)."""
    from django.apps import apps

    model = apps.get_model("consortia", "Consortium")
    return access_object(user, model._default_manager.all(), consortium_id, "view")
