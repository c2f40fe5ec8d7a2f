"""Categories and valuation rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor
from gongsheng.access.scope import require
from gongsheng.audit.models import EventType
from gongsheng.audit.services import record_written, snapshot
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.ledger.models import Category, ValuationRule


@transaction.atomic
def rule_create(
    *,
    actor: Actor,
    category_id: int,
    consortium_id: int | None,
    effective_from: dt.date,
    unit_value: Decimal,
    basis: str = "",
) -> ValuationRule:
    """A new dated price for a category (platform-wide when ``consortium_id`` is None)."""
    require(
        actor,
        "add",
        ValuationRule,
        consortium_id=consortium_id,
        message=_("Only the secretariat sets its consortium's valuation rules."),
    )
    if Decimal(unit_value) < 0:
        raise ValidationFailed(
            _("A value per unit cannot be negative."), [FieldError("unit_value", _("negative"))]
        )
    last = (
        ValuationRule.objects.filter(category_id=category_id, consortium_id=consortium_id)
        .order_by("-version")
        .first()
    )
    if ValuationRule.objects.filter(
        category_id=category_id, consortium_id=consortium_id, effective_from=effective_from
    ).exists():
        raise ValidationFailed(
            _("A rule for this category already starts on that date."),
            [FieldError("effective_from", _("taken"))],
        )
    rule = ValuationRule.objects.create(
        category_id=category_id,
        consortium_id=consortium_id,
        effective_from=effective_from,
        unit_value=Decimal(unit_value),
        version=(last.version + 1) if last else 1,
        basis=basis,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record_written(actor, rule, EventType.VALUATION_RULE_CREATED, consortium_id=consortium_id)
    return rule


# --- categories -----------------------------------------------------------------------------
def _require_secretariat(actor: Actor, target: Any, consortium_id: int | None) -> None:
    """The category's policy decides (``add`` on the model, ``change`` on the record)."""
    action = "add" if isinstance(target, type) else "change"
    where = {"consortium_id": consortium_id} if isinstance(target, type) else {}
    require(
        actor,
        action,
        target,
        **where,
        message=_("Only the platform administrator changes platform categories.")
        if consortium_id is None
        else _("Only the secretariat manages its consortium's ledger categories."),
    )


@transaction.atomic
def category_create(
    *,
    actor: Actor,
    consortium_id: int | None,
    code: str,
    name: str,
    quantity_unit: str,
    name_en: str = "",
) -> Category:
    """A consortium's own category (or a platform-wide one, for the platform admin)."""
    from django.utils.text import slugify

    _require_secretariat(actor, Category, consortium_id)
    code = slugify(code).replace("-", "_")
    errors = []
    if not code:
        errors.append(FieldError("code", _("letters, digits and underscores")))
    if not name.strip():
        errors.append(FieldError("name", _("must not be empty")))
    if not quantity_unit.strip():
        errors.append(FieldError("quantity_unit", _("must not be empty")))
    if (
        code
        and Category.objects.filter(
            Q(consortium_id=consortium_id) | Q(consortium__isnull=True), code=code
        ).exists()
    ):
        errors.append(FieldError("code", _("taken")))
    if errors:
        raise ValidationFailed(_("The category is not valid."), errors)
    category = Category.objects.create(
        consortium_id=consortium_id,
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        quantity_unit=quantity_unit.strip(),
    )
    record_written(actor, category, EventType.CATEGORY_CREATED, consortium_id=consortium_id)
    return category


@transaction.atomic
def category_update(
    *,
    actor: Actor,
    category_id: int,
    version: int | None,
    **changes: Any,
) -> Category:
    """Rename a category or (de)activate it (``is_active``); codes never change, since
    operations name categories by code. Deactivated categories take no new entries."""
    from gongsheng.core.services import apply_changes, check_version

    category = Category.objects.select_for_update().get(pk=category_id)
    _require_secretariat(actor, category, category.consortium_id)
    check_version(category, version)
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationFailed(
            _("The category is not valid."), [FieldError("name", _("must not be empty"))]
        )
    before = snapshot(category)
    diff = apply_changes(category, changes, {"name", "name_en", "quantity_unit", "is_active"})
    if diff:
        category.version += 1
        category.save(update_fields=[*diff, "version"])
        record_written(actor, category, EventType.CATEGORY_CHANGED, before=before)
    return category
