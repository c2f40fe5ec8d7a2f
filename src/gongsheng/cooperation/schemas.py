"""API schemas for projects, contracts, IP and alerts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from gongsheng.cooperation.ip_texts import ip_text


class CooperationUnitRef(Schema):
    id: int
    name: str
    short_name: str


class ProjectOut(Schema):
    id: int
    consortium_id: int
    code: str
    name: str
    type: str
    status: str
    lead_unit: CooperationUnitRef
    starts_on: dt.date | None
    ends_on: dt.date | None
    approved_on: dt.date | None
    accepted_on: dt.date | None
    description: str
    version: int


class ProjectIn(Schema):
    consortium_id: int
    name: str
    type: str
    lead_unit_id: int
    code: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    description: str = ""


class ProjectPatch(Schema):
    version: int | None = Field(None, description="the version you read; stale -> 409")
    code: str | None = None
    name: str | None = None
    type: str | None = None
    lead_unit_id: int | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    description: str | None = None


class MoveIn(Schema):
    to_status: str
    version: int | None = None
    reason: str = ""
    on: dt.date | None = None


class TransitionOut(Schema):
    from_status: str
    to_status: str
    on: dt.date
    actor_id: int | None
    reason: str


class MilestoneIn(Schema):
    title: str
    due_on: dt.date | None = None
    progress: int = 0
    done_on: dt.date | None = None


class MilestoneOut(MilestoneIn):
    id: int


class ParticipantIn(Schema):
    unit_id: int
    role: str = "partner"


class ParticipantOut(Schema):
    id: int
    unit: CooperationUnitRef
    role: str


class InputIn(Schema):
    unit_id: int
    category: str
    committed: Decimal = Decimal(0)
    actual: Decimal = Decimal(0)
    on: dt.date
    note: str = ""
    input_id: int | None = Field(None, description="correct an input already recorded")


class InputOut(Schema):
    id: int
    unit_id: int
    category: str
    committed: Decimal
    actual: Decimal
    on: dt.date
    note: str


class OutputIn(Schema):
    title: str
    category: str
    quantity: Decimal
    receiver_id: int
    on: dt.date


class OutputOut(OutputIn):
    id: int


class BudgetOut(Schema):
    id: int
    source: str
    unit_id: int | None
    amount: Decimal
    note: str


class CooperationEntryOut(Schema):
    id: int
    date: dt.date
    giver_kind: str
    giver_unit_id: int | None
    giver_pool: str
    receiver_kind: str
    receiver_unit_id: int | None
    receiver_pool: str
    category: str = Field(alias="category.code")
    quantity: Decimal
    value: Decimal
    source_key: str
    reverses_id: int | None


class ProjectDetailOut(Schema):
    project: ProjectOut
    transitions: list[TransitionOut]
    milestones: list[MilestoneOut]
    participants: list[ParticipantOut]
    inputs: list[InputOut]
    budget: list[BudgetOut]
    outputs: list[OutputOut]
    ledger: list[CooperationEntryOut]


class CooperationPartyOut(Schema):
    unit: CooperationUnitRef
    role: str


class ContractOut(Schema):
    """A contract; ``title`` and ``terms`` are null for those who see only that it exists."""

    id: int
    consortium_id: int
    code: str
    type: str
    status: str
    value: Decimal
    signed_on: dt.date | None
    parties: list[CooperationPartyOut]
    title: str | None
    terms: str | None
    benefit_method: str | None
    version: int

    @staticmethod
    def _hidden(obj: Any) -> bool:
        return not getattr(obj, "contents_visible", False)

    @staticmethod
    def resolve_parties(obj: Any) -> list[Any]:
        return list(obj.parties.all())

    @staticmethod
    def resolve_title(obj: Any) -> str | None:
        return None if ContractOut._hidden(obj) else obj.title

    @staticmethod
    def resolve_terms(obj: Any) -> str | None:
        return None if ContractOut._hidden(obj) else obj.terms

    @staticmethod
    def resolve_benefit_method(obj: Any) -> str | None:
        return None if ContractOut._hidden(obj) else obj.benefit_method


class CooperationPartyIn(Schema):
    unit_id: int
    role: str
    share: Decimal | None = None


class ContractIn(Schema):
    consortium_id: int
    title: str
    type: str
    parties: list[CooperationPartyIn]
    code: str = ""
    status: str = "draft"
    signed_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    value: Decimal = Decimal(0)
    benefit_method: str = "fixed"
    terms: str = ""
    project_id: int | None = None


class ContractPatch(Schema):
    """A change of a contract: the fields given, the parties when given (all of them), a
    note for the saved version and the version read."""

    version: int | None = None
    code: str | None = None
    title: str | None = None
    type: str | None = None
    status: str | None = None
    signed_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    value: Decimal | None = None
    benefit_method: str | None = None
    terms: str | None = None
    project_id: int | None = None
    parties: list[CooperationPartyIn] | None = None
    note: str = ""


class OwnerOut(Schema):
    unit: CooperationUnitRef
    share: Decimal


class IPAssetOut(Schema):
    id: int
    consortium_id: int
    title: str
    kind: str
    number: str
    value: Decimal
    owners: list[OwnerOut]
    origin: str | None

    @staticmethod
    def resolve_owners(obj: Any) -> list[Any]:
        return list(obj.owners.all())

    @staticmethod
    def resolve_origin(obj: Any) -> str | None:
        return obj.origin if getattr(obj, "contents_visible", False) else None


class OwnerIn(Schema):
    unit_id: int
    share: Decimal


class OwnersIn(Schema):
    """The new owners of an IP asset (shares add up to 1) and the version read."""

    owners: list[OwnerIn]
    version: int | None = None
    consent_obtained: bool = False
    note: str = ""


class IPAssetIn(Schema):
    consortium_id: int
    title: str
    kind: str
    owners: list[OwnerIn]
    number: str = ""
    origin: str = "own"
    contract_id: int | None = None
    project_id: int | None = None
    patented: bool = False
    delivered: bool = True
    value: Decimal = Decimal(0)


class IPAssetPatch(Schema):
    """A change of an IP asset: the fields given; the owners when given (all of them, a
    change of shares is checked as a transfer), with the other owners' consent; the version
    read."""

    version: int | None = None
    title: str | None = None
    kind: str | None = None
    number: str | None = None
    origin: str | None = None
    contract_id: int | None = None
    project_id: int | None = None
    patented: bool | None = None
    delivered: bool | None = None
    value: Decimal | None = None
    owners: list[OwnerIn] | None = None
    consent_obtained: bool = False


class LicenceIn(Schema):
    licensor_id: int
    licensee_id: int
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None = None
    field_of_use: str = ""
    territory: str = ""
    may_sublicense: bool = False
    may_transfer: bool = False
    fee: Decimal = Decimal(0)
    consent_obtained: bool = False


class LicenceOut(Schema):
    id: int
    asset_id: int
    licensor_id: int
    licensee_id: int
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None
    may_sublicense: bool
    may_transfer: bool
    parent_id: int | None


class ActionIn(Schema):
    unit_id: int
    action: str
    on: dt.date
    counterparty_id: int | None = None
    consent_obtained: bool = False
    note: str = ""


class ActionOut(Schema):
    id: int
    unit_id: int
    action: str
    on: dt.date
    outcome: str
    basis: str = Field(..., description="in the request's language")
    reason: str = Field(..., description="in the request's language")

    @staticmethod
    def resolve_basis(obj: Any) -> str:
        return ip_text(obj.basis)

    @staticmethod
    def resolve_reason(obj: Any) -> str:
        return ip_text(obj.reason)


class VerdictOut(Schema):
    outcome: str
    basis: str
    reason: str
    consent_of: list[int]


class CooperationAlertOut(Schema):
    id: int
    consortium_id: int
    unit_id: int | None
    kind: str
    severity: str
    title: str = Field(..., description="in the request's language")
    reason: str = Field(..., description="in the request's language")
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return obj.title_text

    @staticmethod
    def resolve_reason(obj: Any) -> str:
        return obj.reason_text
