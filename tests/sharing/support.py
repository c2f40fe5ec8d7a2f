"""Helpers for the sharing tests: a priced consortium, a resource, times in local time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gongsheng.access.actors import SYSTEM
from gongsheng.ledger.models import Category
from gongsheng.ledger.services import rule_create
from gongsheng.sharing.services import resource_create


def ensure_categories() -> None:
    """The platform categories come from a data migration, which a transactional test's flush
    (live server, threads) removes for the tests after it on the same worker: put them back."""
    from importlib import import_module

    from django.apps import apps

    import_module("gongsheng.ledger.migrations.0002_default_categories").forwards(apps, None)


def price(consortium, codes=("facility_use", "equipment_use", "expert_hours"), value="100"):
    ensure_categories()
    for code in codes:
        rule_create(
            actor=SYSTEM,
            category_id=Category.objects.get(code=code, consortium__isnull=True).pk,
            consortium_id=consortium.pk,
            effective_from=dt.date(2000, 1, 1),
            unit_value=Decimal(value),
        )


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=timezone.get_current_timezone())


def next_weekday(weekday: int = 1, weeks: int = 1) -> dt.date:
    """A date of the given ISO weekday at least ``weeks`` weeks ahead."""
    day = timezone.localdate() + dt.timedelta(days=7 * weeks)
    return day + dt.timedelta(days=(weekday - day.isoweekday()) % 7)


def make_resource(world, *, owner="ent", capacity=1, kind="training_base", code="base", **kw):
    return resource_create(
        actor=SYSTEM,
        consortium_id=world.a.pk,
        owner_id=world.units[owner].pk,
        code=code,
        name=f"Resource {code}",
        kind=kind,
        capacity=capacity,
        **kw,
    )
