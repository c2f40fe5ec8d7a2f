"""Every read of the modelling pages and API, scoped: series, prefills, runs and scenarios.

Who may look (``rules.VIEW_ROLES``): the consortium's secretariat, supervisors and member
units, and platform admins. The series are the consortium's totals per unit group and year
from the diagnosis (``diagnosis.selectors.diagnosis_series``), which every role of the
consortium may read.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.roles import Role
from gongsheng.access.scope import access_object, context_for, scope
from gongsheng.consortia.models import Consortium
from gongsheng.consortia.selectors import consortium_get
from gongsheng.core.errors import Forbidden, ValidationFailed
from gongsheng.modelling import runs
from gongsheng.modelling.choices import Group, ScenarioKind
from gongsheng.modelling.forms import (
    GameForm,
    LogisticForm,
    game_initial,
    logistic_initial,
    validated,
)
from gongsheng.modelling.models import Scenario
from gongsheng.modelling.rules import VIEW_ROLES


def viewable_consortium(*, user: Any, consortium_id: int) -> Consortium:
    """The consortium, if the user may see its models (``NotFound`` / ``Forbidden`` if not)."""
    consortium = consortium_get(user=user, consortium_id=consortium_id)
    ctx = context_for(user)
    if not ctx.platform_admin and consortium.pk not in ctx.consortia(*VIEW_ROLES):
        raise Forbidden(_("Dynamics and games are for the consortium's members and supervisors."))
    return consortium


def may_save(*, user: Any, consortium_id: int) -> bool:
    ctx = context_for(user)
    return ctx.platform_admin or consortium_id in ctx.consortia(Role.SECRETARIAT)


# --- series ------------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupSeries:
    """Per calendar year and unit group: inputs (value given) and outputs (value received)."""

    years: list[int]
    inputs: dict[str, list[float]]
    outputs: dict[str, list[float]]
    source: str = "ledger"

    def as_dict(self) -> dict[str, Any]:
        return {"years": self.years, "inputs": self.inputs, "outputs": self.outputs,
                "source": self.source}  # fmt: skip


def group_series(*, user: Any, consortium_id: int) -> GroupSeries:
    """Inputs and outputs per year and group: the consortium's totals from the diagnosis
    (``diagnosis.selectors.diagnosis_series``, one GROUP BY over the ledger).

    Years run without gaps from the first to the last year with an entry (a year without
    entries has zeros)."""
    from gongsheng.diagnosis.selectors import diagnosis_series

    viewable_consortium(user=user, consortium_id=consortium_id)
    cells: dict[tuple[int, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in diagnosis_series(user=user, consortium_id=consortium_id):
        c = cells[(int(row.year), str(row.group))]
        c[0] += float(row.inputs)
        c[1] += float(row.outputs)
    if not cells:
        return GroupSeries([], {}, {}, source="diagnosis")
    first, last = min(y for y, _g in cells), max(y for y, _g in cells)
    years = list(range(first, last + 1))
    zero = [0.0, 0.0]
    return GroupSeries(
        years,
        {str(g): [cells.get((y, str(g)), zero)[0] for y in years] for g in Group},
        {str(g): [cells.get((y, str(g)), zero)[1] for y in years] for g in Group},
        source="diagnosis",
    )


def logistic(
    *,
    user: Any,
    consortium_id: int,
    groups: list[str],
    quality: str,
    measure: str,
    year_from: int | None = None,
    year_to: int | None = None,
) -> dict[str, Any]:
    """The Logistic fit of the chosen groups' quality parameter (``runs.logistic_run``)."""
    series = group_series(user=user, consortium_id=consortium_id)
    keep = [
        k for k, y in enumerate(series.years)
        if (year_from is None or y >= year_from) and (year_to is None or y <= year_to)
    ]  # fmt: skip
    years = [series.years[k] for k in keep]
    X = runs.quality_matrix(
        series.years, series.inputs, series.outputs, groups=groups, quality=quality,
        measure=measure,
    )[keep]  # fmt: skip
    labels = [str(Group(g).label) for g in groups]
    out = _cached(
        "logistic", {"years": years, "X": X.tolist(), "groups": groups, "labels": labels},
        lambda: runs.logistic_run(years, X, groups=groups, labels=labels),
    )  # fmt: skip
    out.update(quality=quality, measure=measure, year_from=year_from, year_to=year_to)  # fmt: skip
    return out


# --- game --------------------------------------------------------------------------------
#: the environment register's parameter keys -> the game's keyword arguments
POLICY_KEYS = {"G_s": "g_s", "G_e": "g_e", "T": "t", "P_s": "p_s", "P_e": "p_e"}
#: prefilled amounts are shown in this many CNY (万元) by default: the game's other parameters
#: (ΔR, C_s, ...) must be entered in the same unit
DEFAULT_SCALE = 10_000


@dataclass(frozen=True)
class Prefill:
    """Game parameters taken from the consortium's policies in force in ``year``, in units of
    ``scale`` CNY, with the policies each came from."""

    year: int
    scale: int
    values: dict[str, float]
    sources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    amounts_cny: dict[str, float] = field(default_factory=dict)
    unmapped: list[dict[str, Any]] = field(default_factory=list)
    #: ΔR, α, the costs, spill-overs, C_g and L from the ledger (``ledger_defaults``), same unit
    defaults: dict[str, float] = field(default_factory=dict)
    #: the years of the ledger the defaults come from (empty: the illustrative values)
    default_years: list[int] = field(default_factory=list)
    #: the sweep's upper end, covering every amount above
    bracket_hi: float = 20.0

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "scale": self.scale, "values": self.values,
                "sources": self.sources, "amounts_cny": self.amounts_cny,
                "unmapped": self.unmapped, "defaults": self.defaults,
                "default_years": self.default_years,
                "bracket_hi": self.bracket_hi}  # fmt: skip


def game_prefill(
    *, user: Any, consortium_id: int, year: int, scale: int = DEFAULT_SCALE
) -> Prefill:
    """The incentives G_s, G_e, T, P_s, P_e from the consortium's policies in ``year``
    (``environment.selectors.incentive_amounts``), divided by ``scale``."""
    from gongsheng.environment.selectors import incentive_amounts

    viewable_consortium(user=user, consortium_id=consortium_id)
    raw = incentive_amounts(user=user, consortium_id=consortium_id, year=year)
    values: dict[str, float] = {}
    cny: dict[str, float] = {}
    sources: dict[str, list[dict[str, Any]]] = {}
    for key, name in POLICY_KEYS.items():
        entry = (raw.get("parameters") or {}).get(key) or {}
        amount = float(entry.get("amount") or 0.0)
        cny[name] = amount
        values[name] = amount / scale
        sources[name] = list(entry.get("policies") or [])
    defaults, years = ledger_defaults(
        group_series(user=user, consortium_id=consortium_id), year=year, scale=scale
    )
    top = max([*values.values(), defaults["c_s"], defaults["c_e"]])
    return Prefill(int(year), int(scale), values, sources, cny, list(raw.get("unmapped") or []),
                   defaults, years, runs.nice_ceiling(2 * top))  # fmt: skip


def game_start(prefill: Prefill) -> dict[str, Any]:
    """The game's inputs as its page starts them: the ledger's defaults and the policies'
    amounts of ``prefill`` (its year and unit), the sweep covering them."""
    return game_initial(prefill.defaults | prefill.values) | {
        "year": prefill.year, "scale": prefill.scale, "bracket_hi": prefill.bracket_hi,
    }  # fmt: skip


def game_inputs(*, user: Any, consortium_id: int, given: dict[str, Any]) -> dict[str, Any]:
    """Validated inputs of a game run from the parameters ``given``, the others taking the
    page's starting values (:func:`game_start`) for ``given``'s year (this year when not
    given) and unit."""
    year, scale = given.get("year"), given.get("scale")
    prefill = game_prefill(
        user=user,
        consortium_id=consortium_id,
        # bad values are refused by name below; the starting values need a usable pair
        year=year if isinstance(year, int) and 1900 <= year <= 2200 else timezone.localdate().year,
        scale=scale if isinstance(scale, int) and scale > 0 else DEFAULT_SCALE,
    )
    return run_inputs(ScenarioKind.GAME, game_start(prefill) | given)


#: the spill-overs, the government's cost and its credibility benefit as shares of ΔR: the
#: proportions of the illustrative parameters (S_s = 1, S_e = 1.5, C_g = 2, L = 6 for ΔR = 10)
SHARES_OF_GAIN = {"s_s": 0.1, "s_e": 0.15, "c_g": 0.2, "l": 0.6}
#: the ledger years (at most) that the defaults average
DEFAULT_YEARS = 3


def ledger_defaults(
    series: GroupSeries, *, year: int, scale: int
) -> tuple[dict[str, float], list[int]]:
    """The game's other parameters from the consortium's own amounts, in units of ``scale``.

    Over the last :data:`DEFAULT_YEARS` ledger years up to ``year``: C_s and C_e are the
    schools' and the enterprises' inputs per year, ΔR their outputs per year together, α the
    schools' share of those outputs, and S_s, S_e, C_g and L the illustrative proportions of
    ΔR (:data:`SHARES_OF_GAIN`). Without such years (or without outputs, or inputs of both
    groups) the illustrative values of the command line, and no years."""
    defaults = {
        k: v for k, v in runs.default_game_parameters().items() if k not in POLICY_KEYS.values()
    }
    ks = [k for k, y in enumerate(series.years) if y <= year][-DEFAULT_YEARS:]
    if not ks:
        return defaults, []

    def mean(values: list[float]) -> float:
        return sum(values[k] for k in ks) / len(ks) / scale

    school, firm = mean(series.outputs["school"]), mean(series.outputs["enterprise"])
    c_s, c_e = mean(series.inputs["school"]), mean(series.inputs["enterprise"])
    gain = school + firm
    if gain <= 0 or c_s <= 0 or c_e <= 0:
        return defaults, []
    out = {"delta_r": gain, "alpha": school / gain, "c_s": c_s, "c_e": c_e}
    out |= {k: share * gain for k, share in SHARES_OF_GAIN.items()}
    defaults.update({k: round(v, 4 if k == "alpha" else 2) for k, v in out.items()})
    return defaults, [series.years[k] for k in ks]


def game(*, user: Any, consortium_id: int, params: dict[str, float], **options: Any) -> dict:
    """The game's rest points, ESS, basins, trajectories and thresholds (``runs.game_run``)."""
    viewable_consortium(user=user, consortium_id=consortium_id)
    return _cached("game", {"params": params, **options}, lambda: runs.game_run(params, **options))


#: how long a run's result is kept (it depends only on its inputs, so it is never stale)
RUN_CACHE_SECONDS = 3600


def _cached(kind: str, inputs: dict[str, Any], compute: Callable[[], dict]) -> dict[str, Any]:
    """A run's result from Django's cache, keyed by its inputs (the series' numbers included),
    else computed and kept: the same page or API call again answers at once."""
    from django.core.cache import cache

    blob = json.dumps([kind, inputs], sort_keys=True, default=str).encode()
    key = "modelling:run:" + hashlib.sha256(blob).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, RUN_CACHE_SECONDS)
    return found


# --- runs from form or API inputs --------------------------------------------------------
def _plain(data: Any) -> dict[str, Any]:
    """A plain dict of the inputs (a QueryDict keeps every group ticked)."""
    if hasattr(data, "getlist"):
        out = {k: v for k, v in data.items() if v != ""}
        if "groups" in data:
            out["groups"] = data.getlist("groups")
        return out
    return {k: v for k, v in dict(data).items() if v is not None}


def run_inputs(kind: str, data: Any) -> dict[str, Any]:
    """Validated, JSON-ready inputs of a run (``ValidationFailed`` naming each bad field).

    Parameters not given take the defaults (the game: the command line's illustrative values;
    the dynamics: schools and enterprises, outputs per year, every year)."""
    data = _plain(data)
    if kind == ScenarioKind.LOGISTIC:
        data = {**logistic_initial(), **data}
        d = validated(LogisticForm(data), _("The dynamics inputs are not valid."))
        return {"groups": d["groups"], "quality": d["quality"], "measure": d["measure"],
                "year_from": d["year_from"], "year_to": d["year_to"]}  # fmt: skip
    if kind == ScenarioKind.GAME:
        form = GameForm({**game_initial(), **data})
        d = validated(form, _("The game parameters are not valid."))
        return {"params": form.parameters(), "sweep_param": d["sweep_param"],
                "bracket_hi": d["bracket_hi"], "grid": d["grid"], "year": d["year"],
                "scale": d["scale"]}  # fmt: skip
    raise ValidationFailed(_("Unknown model %(kind)s.") % {"kind": kind})


def run(*, user: Any, consortium_id: int, kind: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Run a model from validated inputs (a read: results are not stored)."""
    if kind == ScenarioKind.LOGISTIC:
        return logistic(user=user, consortium_id=consortium_id, **inputs)
    opts = {k: inputs[k] for k in ("sweep_param", "bracket_hi", "grid")}
    return game(user=user, consortium_id=consortium_id, params=inputs["params"], **opts)


# --- scenarios ---------------------------------------------------------------------------
def scenario_list(
    *, user: Any, consortium_id: int | None = None, kind: str = ""
) -> QuerySet[Scenario]:
    qs = scope(user, Scenario.objects.select_related("created_by"), "view")
    if consortium_id is not None:
        qs = qs.filter(consortium_id=consortium_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-id")


def scenario_get(*, user: Any, scenario_id: int) -> Scenario:
    return access_object(
        user, Scenario.objects.select_related("created_by", "consortium"), scenario_id
    )


def scenarios_compare(*, user: Any, consortium_id: int, ids: list[int]) -> list[Scenario]:
    """Up to eight scenarios of one consortium, in the order asked."""
    found = {
        s.pk: s
        for s in scenario_list(user=user, consortium_id=consortium_id).filter(pk__in=ids[:8])
    }
    return [found[i] for i in ids[:8] if i in found]
