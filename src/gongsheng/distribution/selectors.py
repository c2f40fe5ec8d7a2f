"""Every read of distribution studies, already scoped (``access.scope``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from gongsheng.access.scope import access_object, can, scope
from gongsheng.consortia.models import Unit
from gongsheng.cooperation.models import Contract
from gongsheng.core.charts import bar_option, bar_series
from gongsheng.core.reasons import reason_text
from gongsheng.distribution.choices import Method
from gongsheng.distribution.models import CoalitionValue, Player, Study

METHODS = [Method.SHAPLEY, Method.MODIFIED, Method.NASH, Method.INPUT]


def study_list(*, user: Any, consortium_id: int | None = None, scope_: str = "") -> QuerySet:
    qs = scope(user, Study.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(consortium_id=consortium_id)
    if scope_:
        qs = qs.filter(scope=scope_)
    return qs.select_related("project", "consortium", "contract").order_by("-created_at", "-id")


def study_get(*, user: Any, study_id: int, action: str = "view") -> Study:
    return access_object(
        user, Study.objects.select_related("project", "consortium", "contract"), study_id, action
    )


@dataclass
class CoalitionRow:
    value: CoalitionValue
    members: list[str]
    projects: list[tuple[int | None, str]]  # (project id, pool) behind a ledger value


@dataclass
class MethodCell:
    value: float | None
    share: float | None
    gap: float | None
    flag: bool
    se: float | None = None


@dataclass
class PlayerRow:
    player: Player
    units: list[Unit]
    input_share: float | None
    cells: dict[str, MethodCell]


@dataclass
class StudyDetail:
    study: Study
    players: list[PlayerRow]
    coalitions: list[CoalitionRow]
    missing: list[str]
    methods: list[tuple[str, str, dict[str, Any]]]  # (code, label, result row)
    chart: dict[str, Any] | None
    can_change: bool
    contracts: list[Contract] = field(default_factory=list)

    @property
    def chart_option(self) -> dict[str, Any] | None:
        """The shares by method as grouped bars (drawn by the shared chart script)."""
        if not self.chart:
            return None
        return bar_option(
            self.chart["labels"],
            [bar_series(s["name"], (round(x, 4) for x in s["data"])) for s in self.chart["series"]],
            legend={},
            value_axis={"name": _("share")},
        )


def _label(mask: int, labels: list[str]) -> list[str]:
    return [labels[i] for i in range(len(labels)) if mask >> i & 1]


def study_detail(*, user: Any, study_id: int) -> StudyDetail:
    """The study with players, every coalition value and its source, and the results."""
    study = study_get(user=user, study_id=study_id)
    players = list(
        Player.objects.filter(study=study).prefetch_related(
            Prefetch("units", queryset=Unit.objects.order_by("name"))
        )
    )
    labels = [p.label for p in players]
    coalitions = []
    missing = []
    for c in CoalitionValue.objects.filter(study=study).select_related("entered_by"):
        projects = [
            (int(p[8:]) if p.startswith("project:") and p[8:].isdigit() else None, p)
            for p in c.pools
        ]
        coalitions.append(CoalitionRow(c, _label(c.mask, labels), projects))
        if c.value is None:
            missing.append("{" + ", ".join(_label(c.mask, labels)) + "}")
    results = study.results or {}
    rows = []
    input_shares = results.get("input_shares")
    for p in players:
        cells = {}
        for code in METHODS:
            r = results.get("methods", {}).get(code) or {}
            if "values" not in r:
                continue
            i = p.position
            se = (r.get("standard_errors") or [None] * len(players))[i]
            cells[code] = MethodCell(
                r["values"][i], r["shares"][i], (r.get("gaps") or [None] * len(players))[i],
                bool((r.get("flags") or [False] * len(players))[i]), se,
            )  # fmt: skip
        rows.append(
            PlayerRow(
                p, list(p.units.all()), input_shares[p.position] if input_shares else None, cells
            )
        )
    methods = [
        (code, Method(code).label, _rendered(results["methods"][code]))
        for code in METHODS
        if results and code in results.get("methods", {})
    ]
    chart = None
    if results:
        series = []
        if input_shares:
            series.append({"name": str(Method.INPUT.label), "data": input_shares})
        for code, label, r in methods:
            if code != Method.INPUT and "shares" in r:
                series.append({"name": str(label), "data": r["shares"]})
        chart = {"labels": labels, "series": series}
    can_change = can(user, "change", study)
    contracts: list[Contract] = []
    if can_change and study.project_id:
        contracts = list(
            scope(user, Contract.objects.filter(project_id=study.project_id), "change").order_by(
                "-id"
            )
        )
    return StudyDetail(study, rows, coalitions, missing, methods, chart, can_change, contracts)


def method_error(row: dict[str, Any]) -> str:
    """Why a method has no result, in the reader's language (its stored code; a result
    stored before codes keeps its English line)."""
    return reason_text(row.get("error_code") or row.get("error", ""))


def _rendered(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "error": method_error(row)} if "error" in row else row


def rendered_results(results: dict[str, Any] | None) -> dict[str, Any] | None:
    """A study's stored results with each method's ``error`` in the reader's language."""
    if not results or "methods" not in results:
        return results
    methods = {code: _rendered(row) for code, row in results["methods"].items()}
    return {**results, "methods": methods}


@dataclass
class OwnShare:
    player: Player
    study: Study
    shares: dict[str, float | None]
    input_share: float | None


def own_shares(*, user: Any, consortium_id: int | None = None) -> list[OwnShare]:
    """The user's unit's player rows in computed studies, with its shares per method."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return []
    qs = scope(user, Player.objects.filter(units=unit_id), "view").select_related(
        "study", "study__project"
    )
    if consortium_id is not None:
        qs = qs.filter(study__consortium_id=consortium_id)
    out = []
    for p in qs.order_by("-study__created_at", "-study_id"):
        results = p.study.results or {}
        shares: dict[str, float | None] = {}
        for code in METHODS:
            r = results.get("methods", {}).get(code) or {}
            shares[code] = r["shares"][p.position] if "shares" in r else None
        ins = results.get("input_shares")
        out.append(OwnShare(p, p.study, shares, ins[p.position] if ins else None))
    return out
