"""API input and output schemas for the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field


class PartyIn(Schema):
    kind: str = Field(..., description="unit, pool or outside")
    unit: int | None = None
    pool: str = ""


class PartyOut(Schema):
    kind: str
    unit_id: int | None
    unit_name: str | None
    pool: str


def _party(obj: Any, side: str) -> dict[str, Any]:
    unit = getattr(obj, f"{side}_unit")
    return {
        "kind": getattr(obj, f"{side}_kind"),
        "unit_id": getattr(obj, f"{side}_unit_id"),
        "unit_name": unit.name if unit else None,
        "pool": getattr(obj, f"{side}_pool"),
    }


class CategoryOut(Schema):
    id: int
    consortium_id: int | None
    code: str
    name: str
    name_en: str
    quantity_unit: str
    is_active: bool
    version: int


class CategoryIn(Schema):
    consortium_id: int | None
    code: str
    name: str
    quantity_unit: str
    name_en: str = ""


class CategoryPatch(Schema):
    version: int | None = Field(None, description="the version you read; stale -> 409")
    name: str | None = None
    name_en: str | None = None
    quantity_unit: str | None = None
    is_active: bool | None = None


class RuleOut(Schema):
    id: int
    category_id: int
    category_code: str
    consortium_id: int | None
    effective_from: dt.date
    unit_value: Decimal
    version: int
    basis: str

    @staticmethod
    def resolve_category_code(obj: Any) -> str:
        return obj.category.code


class RuleIn(Schema):
    category_id: int
    consortium_id: int | None
    effective_from: dt.date
    unit_value: Decimal
    basis: str = ""


class EntryOut(Schema):
    id: int
    consortium_id: int
    date: dt.date
    year: int
    giver: PartyOut
    receiver: PartyOut
    category: str
    quantity: Decimal
    value: Decimal
    rule_id: int
    rule_version: int
    source_type: str = Field(..., description="empty for manual entries or hidden contents")
    source_id: int | None
    manual: bool
    confidential: bool
    reverses_id: int | None
    reversed: bool
    note: str
    contents_hidden: bool
    confirmation: str = Field(
        "",
        description="empty: counts at once; pending (waits for the giving unit), confirmed or "
        "declined (decision 0804)",
    )

    @staticmethod
    def resolve_confirmation(obj: Any) -> str:
        from gongsheng.ledger.selectors import confirmation_state

        return confirmation_state(obj)

    @staticmethod
    def resolve_giver(obj: Any) -> dict[str, Any]:
        return _party(obj, "giver")

    @staticmethod
    def resolve_receiver(obj: Any) -> dict[str, Any]:
        return _party(obj, "receiver")

    @staticmethod
    def resolve_category(obj: Any) -> str:
        return obj.category.code

    @staticmethod
    def resolve_rule_version(obj: Any) -> int:
        return obj.rule.version

    @staticmethod
    def resolve_reversed(obj: Any) -> bool:
        return bool(getattr(obj, "is_reversed", False))

    @staticmethod
    def resolve_contents_hidden(obj: Any) -> bool:
        return not getattr(obj, "show_contents", True)

    @staticmethod
    def resolve_note(obj: Any) -> str:
        return obj.note if getattr(obj, "show_contents", True) else ""

    @staticmethod
    def resolve_source_type(obj: Any) -> str:
        return obj.source_type if getattr(obj, "show_contents", True) else ""

    @staticmethod
    def resolve_source_id(obj: Any) -> int | None:
        return obj.source_id if getattr(obj, "show_contents", True) else None


class EntryIn(Schema):
    consortium_id: int
    date: dt.date
    category: str
    quantity: Decimal
    giver: PartyIn
    receiver: PartyIn
    note: str = ""
    confidential: bool = False
    reference: str = ""


class ReverseIn(Schema):
    note: str = ""


class CorrectIn(Schema):
    date: dt.date | None = None
    category: str | None = None
    quantity: Decimal | None = None
    note: str = ""


class CorrectOut(Schema):
    reversal: EntryOut
    entry: EntryOut


class AnswerIn(Schema):
    note: str = Field("", max_length=300)


class ConfirmationOut(Schema):
    id: int
    entry_id: int
    unit_id: int
    decision: str
    note: str
    decided_at: dt.datetime
    decided_by_name: str
