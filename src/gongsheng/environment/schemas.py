"""API input and output schemas for the policy register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class EnvironmentUnitRef(Schema):
    id: int
    name: str


class PolicyOut(Schema):
    id: int
    consortium_id: int
    title: str
    number: str
    issuer: str
    level: str
    kind: str
    instrument: str
    target_groups: list[str]
    target_units: list[EnvironmentUnitRef]
    issued_on: dt.date | None
    effective_from: dt.date
    effective_to: dt.date | None
    withdrawn_on: dt.date | None
    amount: Decimal | None
    amount_basis: str
    quantity: Decimal | None
    classification: str
    classification_reason: str
    notes: str
    evidence_name: str = Field(description="the evidence file's name, or empty")
    version: int

    @staticmethod
    def resolve_target_groups(obj) -> list[str]:
        return obj.groups

    @staticmethod
    def resolve_evidence_name(obj) -> str:
        # annotated by the declaration's queryset (one subquery for a listing)
        return getattr(obj, "evidence_name", None) or ""

    @staticmethod
    def resolve_target_units(obj) -> list[dict]:
        return [{"id": u.pk, "name": u.name} for u in obj.target_units.all()]


class PolicyIn(Schema):
    consortium_id: int
    title: str
    number: str = ""
    issuer: str
    level: str
    kind: str
    instrument: str
    target_groups: list[str] = []
    target_unit_ids: list[int] = []
    issued_on: dt.date | None = None
    effective_from: dt.date
    effective_to: dt.date | None = None
    amount: Decimal | None = None
    amount_basis: str = "per_year"
    quantity: Decimal | None = None
    classification: str = "neutral"
    classification_reason: str = ""
    notes: str = ""


class PolicyPatch(Schema):
    version: int | None = Field(None, description="the version you read; stale -> 409")
    title: str | None = None
    number: str | None = None
    issuer: str | None = None
    level: str | None = None
    kind: str | None = None
    instrument: str | None = None
    target_groups: list[str] | None = None
    target_unit_ids: list[int] | None = None
    issued_on: dt.date | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    withdrawn_on: dt.date | None = None
    amount: Decimal | None = None
    amount_basis: str | None = None
    quantity: Decimal | None = None
    classification: str | None = None
    classification_reason: str | None = None
    notes: str | None = None


class PolicyWithdrawIn(Schema):
    version: int | None = None
    on: dt.date
    reason: str = ""


class ParameterSource(Schema):
    id: int
    title: str
    number: str
    amount: float
    share: float
    how: str


class ParameterOut(Schema):
    label: str
    amount: float
    policies: list[ParameterSource]


class UnmappedOut(Schema):
    id: int
    title: str
    reason: str


class IncentivesOut(Schema):
    consortium_id: int
    year: int
    currency: str
    parameters: dict[str, ParameterOut]
    unmapped: list[UnmappedOut]
