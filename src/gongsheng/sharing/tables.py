"""Import and export of the shared-resource catalogue (registered with the transfer app).

Opening hours are written as ``1=08:00-12:00,13:30-17:30; 2=08:00-12:00`` (ISO weekday, then
its windows); closed dates as ISO dates separated by commas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.access.scope import scope
from gongsheng.consortia.credit_code import normalise
from gongsheng.consortia.models import Unit
from gongsheng.sharing import selectors, services
from gongsheng.sharing.choices import ResourceKind
from gongsheng.sharing.models import SharedResource
from gongsheng.transfer.resources import (
    CellError,
    Column,
    Resource,
    RowContext,
    choice_parser,
    parse_bool,
    parse_int,
    parse_text,
    register,
)


def format_hours(hours: dict[str, list[list[str]]]) -> str:
    return "; ".join(
        f"{day}=" + ",".join(f"{a}-{b}" for a, b in hours[day]) for day in sorted(hours)
    )


def parse_hours(value: Any) -> dict[str, list[list[str]]] | None:
    text = parse_text(value)
    if not text:
        return None
    out: dict[str, list[list[str]]] = {}
    try:
        for part in text.replace("；", ";").split(";"):
            if not part.strip():
                continue
            day, windows = part.split("=", 1)
            day = day.strip()
            if day not in {str(d) for d in range(1, 8)}:
                raise ValueError
            spans = []
            for window in windows.replace("，", ",").split(","):
                a, b = (t.strip() for t in window.split("-"))
                if dt.time.fromisoformat(a) >= dt.time.fromisoformat(b):
                    raise ValueError
                spans.append([a, b])
            out[day] = spans
    except ValueError as exc:
        raise CellError(
            _("“%(v)s” is not opening hours like 1=08:00-12:00,13:30-17:30; 2=08:00-12:00")
            % {"v": text}
        ) from exc
    return out


def parse_dates(value: Any) -> list[str]:
    text = parse_text(value).replace("，", ",")
    try:
        return sorted(
            {dt.date.fromisoformat(d.strip()).isoformat() for d in text.split(",") if d.strip()}
        )
    except ValueError as exc:
        raise CellError(_("“%(v)s” is not a list of dates (YYYY-MM-DD, …).") % {"v": text}) from exc


@register
class SharedResourceResource(Resource):
    """The consortium's catalogue of shared resources, keyed by the resource code."""

    name = "shared_resources"
    label = gettext_lazy("Shared resources")
    key = "code"
    needs_consortium = True
    columns = [
        Column("code", gettext_lazy("Code"), required=True),
        Column("name", gettext_lazy("Name"), required=True),
        Column("kind", gettext_lazy("Kind"), required=True, parse=choice_parser(ResourceKind),
               choices=ResourceKind),
        Column("owner", gettext_lazy("Owner unit credit code"), required=True,
               parse=lambda v: normalise(parse_text(v)), export=lambda r: r.owner.credit_code),
        Column("owner_name", gettext_lazy("Owner unit"), export=lambda r: r.owner.name,
               help=gettext_lazy("for reading only; the credit code decides")),
        Column("capacity", gettext_lazy("Capacity"), parse=parse_int),
        Column("location", gettext_lazy("Location")),
        Column("description", gettext_lazy("Description")),
        Column("rules", gettext_lazy("Rules of use")),
        Column("opening_hours", gettext_lazy("Opening hours"), parse=parse_hours,
               export=lambda r: format_hours(r.opening_hours or {})),
        Column("closed_dates", gettext_lazy("Closed dates"), parse=parse_dates,
               export=lambda r: ", ".join(r.closed_dates or [])),
        Column("cancel_hours", gettext_lazy("Cancellation deadline (hours)"), parse=parse_int),
        Column("is_active", gettext_lazy("Open for booking"), parse=parse_bool),
    ]  # fmt: skip
    fields = [
        "name", "kind", "capacity", "location", "description", "rules", "opening_hours",
        "closed_dates", "cancel_hours", "is_active",
    ]  # fmt: skip

    def export_queryset(self, user: Any, context: RowContext) -> QuerySet:
        return selectors.resource_list(user=user, consortium_id=context.consortium_id)

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        qs = SharedResource.objects.filter(consortium_id=context.consortium_id, code__in=list(keys))
        return {r.code: r for r in qs}

    def changeable(self, objs: list[Model], context: RowContext) -> set[Any]:
        qs = SharedResource.objects.filter(pk__in=[o.pk for o in objs])
        return set(scope(context.actor, qs, "change").values_list("pk", flat=True))

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        units = context.extra.setdefault("owners", {})
        code = values.get("owner")
        if code and code not in units:
            unit = Unit.objects.filter(
                credit_code=code, memberships__consortium_id=context.consortium_id
            ).first()
            units[code] = unit.pk if unit else None
        if code and units.get(code) is None:
            return [("owner", _("no member unit of this consortium has this credit code"))]
        if existing is not None and units.get(code) != existing.owner_id:
            return [("owner", _("the owner of a resource does not change by import"))]
        return []

    def _data(self, values: dict[str, Any]) -> dict[str, Any]:
        data = {k: values[k] for k in self.fields if k in values}
        for k in ("capacity", "cancel_hours", "opening_hours"):
            if data.get(k) is None:
                data.pop(k, None)
        return data

    def create(self, values: dict[str, Any], context: RowContext) -> Model:
        return services.resource_create(
            actor=context.actor, consortium_id=context.consortium_id,
            owner_id=context.extra["owners"][values["owner"]], code=values["code"],
            **self._data(values),
        )  # fmt: skip

    def update(self, obj: Model, values: dict[str, Any], context: RowContext) -> bool:
        before = obj.version
        resource = services.resource_update(
            actor=context.actor, resource_id=obj.pk, version=None, **self._data(values)
        )
        return resource.version != before
