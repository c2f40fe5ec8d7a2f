"""API input and output schemas for shared resources, quotas and bookings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class SharingUnitRef(Schema):
    id: int
    name: str


class ResourceOut(Schema):
    id: int
    consortium_id: int
    owner: SharingUnitRef
    code: str
    name: str
    kind: str
    capacity: int
    location: str
    description: str
    rules: str
    opening_hours: dict[str, list[list[str]]]
    closed_dates: list[str]
    cancel_hours: int
    is_active: bool
    version: int


class ResourceIn(Schema):
    consortium_id: int
    owner_id: int
    code: str
    name: str
    kind: str
    capacity: int = 1
    location: str = ""
    description: str = ""
    rules: str = ""
    opening_hours: dict[str, list[list[str]]] | None = None
    closed_dates: list[str] = []
    cancel_hours: int = 24
    is_active: bool = True


class ResourcePatch(Schema):
    version: int | None = Field(None, description="the version you read; stale -> 409")
    name: str | None = None
    kind: str | None = None
    capacity: int | None = None
    location: str | None = None
    description: str | None = None
    rules: str | None = None
    opening_hours: dict[str, list[list[str]]] | None = None
    closed_dates: list[str] | None = None
    cancel_hours: int | None = None
    is_active: bool | None = None


class BookingOut(Schema):
    id: int
    consortium_id: int
    resource_id: int
    unit: SharingUnitRef
    host_unit: SharingUnitRef
    start: dt.datetime
    end: dt.datetime
    quantity: int
    hours: Decimal
    purpose: str
    status: str
    reason: str
    decided_at: dt.datetime | None
    version: int


class BookingIn(Schema):
    resource_id: int
    start: dt.datetime
    end: dt.datetime
    quantity: int = 1
    purpose: str = ""
    unit_id: int | None = Field(None, description="the secretariat books for a unit")


class BookingPatch(Schema):
    version: int | None = Field(None, description="the version you read; stale -> 409")
    purpose: str | None = None


class VersionIn(Schema):
    version: int | None = None


class DecisionIn(Schema):
    version: int | None = None
    reason: str = ""


class UtilisationRow(Schema):
    id: int
    name: str
    hours: Decimal
    count: int
    rate: Decimal | None


class UnitUse(Schema):
    id: int
    name: str
    used: Decimal
    hosted: Decimal


class UtilisationOut(Schema):
    consortium_id: int
    year: int
    resources: list[UtilisationRow]
    units: list[UnitUse]
    by_month: list[tuple[int, Decimal]]


class QuotaOut(Schema):
    id: int
    consortium_id: int
    unit_id: int | None
    resource_id: int | None
    owner_id: int | None
    period: str
    hours: Decimal
    version: int


class QuotaIn(Schema):
    consortium_id: int
    period: str
    hours: Decimal = Field(ge=0)
    unit_id: int | None = None
    resource_id: int | None = None
    owner_id: int | None = None
