"""Every read of projects, contracts and IP, already scoped (``access.scope``).

Lists use a constant number of queries whatever their length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Sum

from gongsheng.access.scope import access_object, scope, visible_contents
from gongsheng.alerts.models import Alert
from gongsheng.cooperation import ip_rules
from gongsheng.cooperation.models import (
    BudgetLine,
    Contract,
    ContractParty,
    IPAsset,
    IPOwner,
    IPRecordedAction,
    Licence,
    Milestone,
    Participant,
    Project,
    ProjectInput,
    ProjectOutput,
    ProjectTransition,
)
from gongsheng.ledger.models import LedgerEntry
from gongsheng.ledger.pools import with_pool_names
from gongsheng.ledger.services import source_label


def project_list(*, user: Any, consortium_id: int | None = None, params: Any = None) -> QuerySet:
    """The projects the user may see, filtered by ``params`` (the declaration's filter set)."""
    from gongsheng.declare.declaration import declaration_for
    from gongsheng.declare.selectors import listing

    decl = declaration_for(Project)
    return listing(decl, user=user, consortium_id=consortium_id, params=params)


def project_get(*, user: Any, project_id: int, action: str = "view") -> Project:
    return access_object(
        user, Project.objects.select_related("lead_unit", "consortium"), project_id, action
    )


@dataclass(frozen=True)
class ParticipantRow:
    participant: Participant
    inputs: list[ProjectInput]
    committed_value: Decimal
    actual_value: Decimal


@dataclass(frozen=True)
class ProjectDetail:
    project: Project
    transitions: list[ProjectTransition]
    milestones: list[Milestone]
    participants: list[Participant]
    inputs: list[ProjectInput]  # only those the user may see
    budget: list[BudgetLine]
    budget_total: Decimal
    outputs: list[ProjectOutput]
    ledger: list[LedgerEntry]
    ledger_total: Decimal
    can_change: bool


def project_detail(*, user: Any, project_id: int) -> ProjectDetail:
    """A project with its parts, in a fixed number of queries."""
    project = project_get(user=user, project_id=project_id)
    inputs = list(
        scope(user, ProjectInput.objects.filter(project=project), "view")
        .select_related("unit")
        .order_by("unit_id", "category", "id")
    )
    budget = list(
        scope(user, BudgetLine.objects.filter(project=project), "view").select_related("unit")
    )
    ledger = list(
        with_pool_names(
            scope(
                user,
                LedgerEntry.objects.filter(source_type=source_label(project), source_id=project.pk),
                "view",
            )
        )
        .select_related("giver_unit", "receiver_unit", "category")
        .order_by("date", "id")
    )
    return ProjectDetail(
        project=project,
        transitions=list(ProjectTransition.objects.filter(project=project).select_related("actor")),
        milestones=list(Milestone.objects.filter(project=project)),
        participants=list(Participant.objects.filter(project=project).select_related("unit")),
        inputs=inputs,
        budget=budget,
        budget_total=sum((b.amount for b in budget), Decimal(0)),
        outputs=list(ProjectOutput.objects.filter(project=project).select_related("receiver")),
        ledger=ledger,
        ledger_total=sum((e.value for e in ledger if e.giver_kind == "unit"), Decimal(0)),
        can_change=scope(user, Project.objects.filter(pk=project.pk), "change").exists(),
    )


# --- contracts (the list and a contract are read through its declaration) ---------------
@dataclass(frozen=True)
class ContractDetail:
    contract: Contract
    contents: bool  # the user may see its contents
    parties: list[ContractParty]
    obligations: list[Any]
    clauses: list[Any]
    versions: list[Any]


def contract_detail(*, user: Any, contract_id: int) -> ContractDetail:
    contract = access_object(user, Contract.objects.select_related("project"), contract_id)
    contents = bool(visible_contents(user, Contract.objects.filter(pk=contract.pk)))
    parties = list(contract.parties.select_related("unit"))
    if not contents:
        return ContractDetail(contract, False, parties, [], [], [])
    return ContractDetail(
        contract,
        True,
        parties,
        list(contract.obligations.select_related("unit")),
        list(contract.ip_clauses.select_related("unit")),
        list(contract.versions.select_related("created_by")),
    )


def benefit_split(*, user: Any, contract_id: int, total: Decimal) -> list[tuple[Any, Decimal]]:
    """Share ``total`` among the parties by the contract's benefit rule.

    fixed: the parties' fixed shares; by_input: the parties' actual inputs to the contract's
    project (ledger values); shapley / nash: the allocation engine (Analytics I), with each
    party's input as its stand-alone value (see docs/decisions/0401-ip-rules-engine.md).
    """
    d = contract_detail(user=user, contract_id=contract_id)
    if not d.contents:
        from gongsheng.core.errors import Forbidden

        raise Forbidden()
    parties = d.parties
    total = Decimal(total)
    method = d.contract.benefit_method
    if method == "fixed":
        weights = [p.share or Decimal(0) for p in parties]
    else:
        inputs: dict[int, Decimal] = {}
        if d.contract.project_id:
            rows = (
                LedgerEntry.objects.filter(
                    source_type="cooperation.project",
                    source_id=d.contract.project_id,
                    giver_kind="unit",
                )
                .values("giver_unit_id")
                .annotate(v=Sum("value"))
            )
            inputs = {r["giver_unit_id"]: r["v"] for r in rows}
        weights = [inputs.get(p.unit_id, Decimal(0)) for p in parties]
        if method in ("shapley", "nash"):
            weights = _allocate(method, [float(w) for w in weights], float(total))
    s = sum(weights, Decimal(0))
    if s <= 0:
        return [(p, Decimal(0)) for p in parties]
    return [
        (p, (total * Decimal(w) / s).quantize(Decimal("0.01"))) for p, w in zip(parties, weights)
    ]


def _allocate(method: str, inputs: list[float], total: float) -> list[Decimal]:
    """Call the allocation engine (imported here: it belongs to another part of the platform)."""
    from gongsheng.analytics import allocation

    n = len(inputs)
    if method == "shapley":
        # coalition value: the inputs it pools, scaled so the grand coalition is worth ``total``
        grand = sum(inputs) or 1.0
        values = [
            sum(inputs[i] for i in range(n) if mask >> i & 1) * total / grand
            for mask in range(2**n)
        ]
        phi = allocation.shapley(values)
    else:
        grand = sum(inputs) or 1.0
        disagreement = [x * total / grand / 2 for x in inputs]  # half of its pro-rata claim
        phi = allocation.nash_bargaining(total, disagreement)
    return [Decimal(str(round(float(x), 6))) for x in phi]


# --- IP (the list and an asset are read through its declaration) ----------------------
def licence_list(*, user: Any, consortium_id: int | None = None) -> QuerySet:
    """Licences the user may see, each marked whether its terms are visible to the user."""
    qs = scope(user, Licence.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(asset__consortium_id=consortium_id)
    readable = scope(user, Licence.objects.all(), "view_contents").values("pk")
    return (
        qs.annotate(
            contents_visible=ExpressionWrapper(Q(pk__in=readable), output_field=BooleanField())
        )
        .select_related("asset", "licensor", "licensee", "contract")
        .order_by("asset__number", "starts_on", "id")
    )


@dataclass(frozen=True)
class IPAssetDetail:
    asset: IPAsset
    contents: bool
    owners: list[IPOwner]
    licences: list[Licence]
    actions: list[IPRecordedAction]


def ip_asset_detail(*, user: Any, asset_id: int) -> IPAssetDetail:
    asset = access_object(user, IPAsset.objects.select_related("contract"), asset_id)
    contents = bool(visible_contents(user, IPAsset.objects.filter(pk=asset.pk)))
    owners = list(asset.owners.select_related("unit"))
    licences = list(
        scope(user, Licence.objects.filter(asset=asset), "view").select_related(
            "licensor", "licensee"
        )
    )
    actions = (
        list(
            scope(user, IPRecordedAction.objects.filter(asset=asset), "view").select_related(
                "unit", "counterparty"
            )
        )
        if contents
        else []
    )
    return IPAssetDetail(asset, contents, owners, licences, actions)


def ip_ask(
    *,
    user: Any,
    asset_id: int,
    unit_id: int,
    action: str,
    licence_kind: str = "general",
    on: dt.date | None = None,
) -> ip_rules.Verdict:
    """Ask the rules engine about one asset the user may see the contents of."""
    from gongsheng.cooperation.services.ip_actions import facts_for

    asset = access_object(user, IPAsset.objects.all(), asset_id, "view_contents")
    return ip_rules.decide(
        facts_for(asset, unit_id=unit_id, action=action, licence_kind=licence_kind, on=on)
    )


# --- alerts -----------------------------------------------------------------------------
def alert_list(*, user: Any, consortium_id: int | None = None, open_only: bool = True):
    qs = scope(user, Alert.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(consortium_id=consortium_id)
    if open_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    return qs.select_related("unit", "acknowledged_by").order_by("-raised_at", "-id")
