"""API input and output schemas for consortia, units, contacts and memberships."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field


class UnitRef(Schema):
    id: int
    name: str
    type: str


class ConsortiumOut(Schema):
    id: int
    code: str
    name: str
    level: str
    batch: str
    status: str
    province: str
    city: str
    founded_on: dt.date | None
    description: str
    park_name: str
    park_industry_chain: str
    park_output: Decimal | None
    park_output_rank: int | None
    lead_government: UnitRef | None
    lead_school: UnitRef | None
    lead_enterprise: UnitRef | None
    member_count: int | None = None
    version: int


class ConsortiumIn(Schema):
    code: str
    name: str
    level: str
    batch: str = ""
    status: str = "building"
    province: str = ""
    city: str = ""
    founded_on: dt.date | None = None
    description: str = ""
    park_name: str = ""
    park_industry_chain: str = ""
    park_output: Decimal | None = None
    park_output_rank: int | None = None


class ConsortiumPatch(Schema):
    version: int | None = Field(None, description="the version you read; stale -> 409")
    name: str | None = None
    level: str | None = None
    batch: str | None = None
    status: str | None = None
    province: str | None = None
    city: str | None = None
    founded_on: dt.date | None = None
    description: str | None = None
    park_name: str | None = None
    park_industry_chain: str | None = None
    park_output: Decimal | None = None
    park_output_rank: int | None = None
    lead_government_id: int | None = None
    lead_school_id: int | None = None
    lead_enterprise_id: int | None = None


class CountOut(Schema):
    code: str
    label: str
    count: int


class YearCountOut(Schema):
    year: int
    count: int


class OverviewOut(Schema):
    consortium: ConsortiumOut
    admitted: int
    pending: int
    members_by_type: list[CountOut]
    members_by_rank: list[CountOut]
    joined_by_year: list[YearCountOut]
    left_by_year: list[YearCountOut]


class MembershipBrief(Schema):
    id: int
    consortium_id: int
    rank: str
    status: str
    joined_on: dt.date | None
    left_on: dt.date | None


class UnitOut(Schema):
    id: int
    credit_code: str
    name: str
    short_name: str
    type: str
    province: str
    city: str
    address: str
    website: str
    description: str
    version: int
    membership: MembershipBrief | None = Field(
        None, description="the unit's membership of the consortium filtered on"
    )

    @staticmethod
    def resolve_membership(obj: object) -> object:
        here = getattr(obj, "here", None)
        return here[0] if here else None


class UnitIn(Schema):
    credit_code: str
    name: str
    type: str
    short_name: str = ""
    province: str = ""
    city: str = ""
    address: str = ""
    website: str = ""
    description: str = ""
    consortium_id: int | None = Field(None, description="admit the new unit to this consortium")
    rank: str = "member"


class UnitPatch(Schema):
    version: int | None = None
    credit_code: str | None = None
    name: str | None = None
    short_name: str | None = None
    type: str | None = None
    province: str | None = None
    city: str | None = None
    address: str | None = None
    website: str | None = None
    description: str | None = None


class ContactOut(Schema):
    id: int
    unit_id: int
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool
    version: int

    # personal data: masked for users without ``view_personal`` (``access.personal``)
    @staticmethod
    def resolve_phone(obj: Any, context: Any) -> str:
        return _personal(obj, "phone", context)

    @staticmethod
    def resolve_email(obj: Any, context: Any) -> str:
        return _personal(obj, "email", context)


def _personal(obj: Any, field: str, context: Any) -> Any:
    from gongsheng.access.personal import mask_value, visible_ids

    value = getattr(obj, field)
    request = (context or {}).get("request")
    user = getattr(request, "user", None)
    if user is None or obj.pk in visible_ids(user, type(obj)):
        return value
    return mask_value(value)


class ContactIn(Schema):
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    is_primary: bool = False


class ContactPatch(Schema):
    version: int | None = None
    name: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None
    is_primary: bool | None = None


class MembershipOut(Schema):
    id: int
    consortium_id: int
    unit: UnitRef
    rank: str
    status: str
    applied_on: dt.date | None
    joined_on: dt.date | None
    left_on: dt.date | None
    approved_by_id: int | None
    approved_at: dt.datetime | None
    note: str
    version: int


class MembershipIn(Schema):
    consortium_id: int
    unit_id: int
    rank: str = "member"
    status: str = "applied"
    applied_on: dt.date | None = None
    joined_on: dt.date | None = None
    note: str = ""


class MembershipPatch(Schema):
    version: int | None = None
    rank: str | None = None
    applied_on: dt.date | None = None
    joined_on: dt.date | None = None
    left_on: dt.date | None = None
    note: str | None = None


class TransitionIn(Schema):
    to_status: str
    version: int | None = None
    on: dt.date | None = None
    note: str = ""
