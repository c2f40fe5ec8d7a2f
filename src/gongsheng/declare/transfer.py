"""The import/export resource of a declared model (``transfer.Resource`` made from it).

The key is the record's id (a row without one is new, a row with one updates that record of
the consortium, through the same services as the pages); the columns are the declaration's;
``changeable`` asks the access policy once for all rows. A model with cells that need more
(credit codes of units, lists) subclasses :class:`DeclaredResource` and names it as its
declaration's ``resource``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from gongsheng.access.scope import scope
from gongsheng.transfer.resources import Resource, RowContext
from gongsheng.transfer.resources import register as register_table


class DeclaredResource(Resource):
    """A declared model's table; ``declaration`` is set when it is registered."""

    key = "id"
    needs_consortium = True
    declaration: ClassVar[Any] = None

    @property
    def fields(self) -> list[str]:
        """The columns a row writes (the declared fields that have a column)."""
        names = {c.name for c in self.columns}
        return [f for f in self.declaration.fields if f in names]

    def export_queryset(self, user: Any, context: RowContext) -> QuerySet:
        from gongsheng.declare.selectors import listing

        decl = self.declaration
        return listing(decl, user=user, consortium_id=context.consortium_id).order_by("pk")

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        decl = self.declaration
        keys = [k for k in keys if k is not None]
        qs = decl.base_queryset().filter(pk__in=keys)
        if decl.consortium_field:
            qs = qs.filter(**{f"{decl.consortium_field}_id": context.consortium_id})
        return {o.pk: o for o in qs}

    def changeable(self, objs: list[Model], context: RowContext) -> set[Any]:
        qs = self.declaration.model._default_manager.filter(pk__in=[o.pk for o in objs])
        return set(scope(context.actor, qs, "change").values_list("pk", flat=True))

    def check_row(
        self, values: dict[str, Any], existing: Model | None, context: RowContext
    ) -> list[tuple[str, str]]:
        # no record, or one hidden from the actor (the importer keeps only visible ones): the
        # same answer either way
        if existing is None and values.get("id") is not None:
            return [("id", _("no record of this consortium has this number"))]
        return []

    def data(self, values: dict[str, Any], context: RowContext) -> dict[str, Any]:
        """The row's values as the services' input."""
        return {k: values[k] for k in self.fields if k in values}

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        from gongsheng.declare.services import create_record

        return create_record(
            self.declaration, actor=context.actor, consortium_id=context.consortium_id,
            **self.data(values, context),
        )  # fmt: skip

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        from gongsheng.declare.services import update_record

        before = obj.version
        saved = update_record(
            self.declaration, actor=context.actor, pk=obj.pk, version=None,
            **self.data(values, context),
        )  # fmt: skip
        return saved.version != before


def register_resource(decl: Any) -> None:
    """Register the declaration's table with ``transfer`` (its own subclass or the plain one)."""
    base = decl.resource or DeclaredResource
    attrs: dict[str, Any] = {"declaration": decl}
    for name, value in (("name", decl.table), ("label", decl.label), ("columns", decl.columns)):
        if name not in base.__dict__:
            attrs[name] = value
    attrs["importable"] = decl.importable
    cls = type(base.__name__, (base,), attrs)
    register_table(cls)
