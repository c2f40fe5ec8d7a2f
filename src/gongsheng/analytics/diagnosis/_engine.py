"""The consortium diagnosis, :func:`diagnose`, in named steps (NumPy)."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from gongsheng.analytics.diagnosis._alerts import alerts as _alerts
from gongsheng.analytics.diagnosis._common import (
    _ORGANISATION_OBJECTS,
    BEHAVIOURS,
    ORGANISATIONS,
    UNIT_GROUPS,
)
from gongsheng.analytics.diagnosis._inputs import _episodes, _Flows, _series, _Units
from gongsheng.analytics.diagnosis._measures import _degree, concentration, pair_modes
from gongsheng.analytics.diagnosis._rows import PAIR_FLOAT_COLUMNS
from gongsheng.analytics.diagnosis._settings import DiagnosisSettings
from gongsheng.analytics.diagnosis._table import PairTable
from gongsheng.analytics.diagnosis._types import ConsortiumDiagnosis, UnitDiagnosis, YearTrend
from gongsheng.analytics.reasons import Reason
from gongsheng.analytics.symbiosis import BehaviourMode, OrganisationMode, describe_organisation

# --------------------------------------------------------------------------------------
# the diagnosis
# --------------------------------------------------------------------------------------
_BEHAVIOURS = tuple(m.value for m in BehaviourMode)
_ORGANISATIONS = (*(m.value for m in OrganisationMode), "none")


def _counts(codes: np.ndarray, keys: tuple[str, ...]) -> dict[str, int]:
    """Counts per key of integer codes (−1 = the last key, ``"none"``)."""
    c = np.asarray(codes, dtype=np.int64)
    c = np.where(c < 0, len(keys) - 1, c)
    n = np.bincount(c, minlength=len(keys))
    return {k: int(v) for k, v in zip(keys, n, strict=True)}


def _by_group(values: np.ndarray, gidx: np.ndarray) -> dict[str, float]:
    sums = np.bincount(gidx, np.asarray(values, dtype=float), minlength=len(UNIT_GROUPS))
    return {g: float(s) for g, s in zip(UNIT_GROUPS, sums, strict=True)}


def diagnose(
    units,
    *,
    direct=None,
    pool_inputs=None,
    pool_outputs=None,
    episodes=None,
    series=None,
    years: tuple[int, int] | None = None,
    settings: DiagnosisSettings | None = None,
) -> ConsortiumDiagnosis:
    r"""Symbiosis diagnosis of a consortium: every pair, every unit, the whole, the alerts.

    1. **Pair view** (:func:`pair_view`) of the flows in the window ``years``: in_a, in_b,
       out_a, out_b per pair a < b, with their direct and through-pools parts.
    2. **Behavioural mode** (:func:`pair_modes`): net gains g = out − in with the band
       tol·(in_a + in_b + out_a + out_b); symmetric mutualism when both gain and their
       relative gains g/in agree within tol; free riders count as gaining. Pair energy
       E = g_a + g_b.
    3. **Organisational mode** of each pair with episodes overlapping the window, from
       :func:`gongsheng.analytics.symbiosis.describe_organisation` with the settings'
       thresholds, over the window's days.
    4. **Symbiosis degree and share** (:func:`gongsheng.analytics.symbiosis.symbiosis_degree`,
       ``growth``) where both units have ≥ 2 periods with positive quality parameters: the
       mean of the defined period degrees δ_ab, δ_ba and θ_a = |δ_ab|/(|δ_ab| + |δ_ba|);
       otherwise a note says why not.
    5. **Consortium**: pairs per mode, the target state (integrated + symmetric mutualism),
       Σ E split by unit group (each unit's pair gains), the group × group matrix of pair
       inputs, unit totals by group, the Herfindahl–Hirschman index of unit inputs
       (:func:`concentration`) and trends per year (each year's own pair view).
    6. **Units**: totals, pair gains, free riders, last joint activity.
    7. **Alerts** with reasons: ``free_rider`` (outputs > 0, inputs ≤ tol·outputs),
       ``parasitic_pair`` (the parasite named first; the ``max_pair_alerts`` largest losses),
       ``inactive_member`` (no episode ending
       within ``inactive_months`` before the window end, 联而不合),
       ``school_hot_enterprise_cold`` (enterprise / school inputs < ``cold_ratio``, 校热企冷),
       ``concentration`` (HHI > ``hhi_max`` or top share > ``top_share_max``).

    Each step is a function of this module, in the order they run: ``_window``,
    ``_find_pairs``, ``_pair_columns`` (1, 2), ``_organisation`` (3), ``_degrees`` (4),
    ``_unit_rows`` (6), ``_trends`` (5) and ``_alerts.alerts`` (7).

    Parameters
    ----------
    units : mapping or sequence of rows
        Columns ``id`` (non-negative ints), ``name``, ``group`` (one of ``UNIT_GROUPS``) and
        optional ``lead`` and ``member`` (default True; only members can be inactive: a unit
        that left but still has flows in the window is diagnosed, not warned about).
    direct : mapping or sequence of rows, optional
        Unit-to-unit flows: ``giver``, ``receiver``, ``value`` and optional ``period``
        (year); ``-1`` or None for outside the consortium. Aggregated or not.
    pool_inputs, pool_outputs : mapping or sequence of rows, optional
        ``pool``, ``unit``, ``value`` and optional ``period``.
    episodes : mapping or sequence of rows, optional
        ``a``, ``b``, ``start``, ``end`` (None = running) and optional ``dimension``,
        ``joint_body``.
    series : mapping or sequence of rows, optional
        Quality parameters: ``unit``, ``period``, ``value``.
    years : (int, int), optional
        The window (inclusive). Default: every period in the flows.
    settings : DiagnosisSettings, optional
        Tolerance and thresholds (defaults as documented there).

    Returns
    -------
    ConsortiumDiagnosis

    Raises
    ------
    ValueError
        For malformed tables (naming the table, column and row), unknown unit ids, a bad
        window or settings.

    References
    ----------
    .. [1] 袁纯清, 《共生理论——兼论小型经济》, 经济科学出版社, 1998.
    .. [2] Gongsheng ``MODELS.md`` ("Pair view", "Behavioural mode of a pair") and decision 0701.
    .. [3] Hirschman, A. O. "The Paternity of an Index", American Economic Review 54(5), 1964.

    Examples
    --------
    A school and an enterprise put 100 each into a project pool that pays out 130 to each:

    >>> from gongsheng.analytics.diagnosis import diagnose
    >>> d = diagnose(
    ...     {"id": [1, 2], "name": ["School", "Firm"], "group": ["school", "enterprise"]},
    ...     pool_inputs={"pool": ["p", "p"], "unit": [1, 2], "value": [100, 100],
    ...                  "period": [2024, 2024]},
    ...     pool_outputs={"pool": ["p", "p"], "unit": [1, 2], "value": [130, 130],
    ...                   "period": [2024, 2024]},
    ... )
    >>> d.pairs.row(0).behaviour.value, d.energy
    ('symmetric_mutualism', 60.0)
    >>> d.years, [a.kind for a in d.alerts]
    ((2024, 2024), ['inactive_member', 'inactive_member', 'concentration'])
    """
    settings = settings or DiagnosisSettings()
    if not isinstance(settings, DiagnosisSettings):
        raise ValueError(f"`settings` must be a DiagnosisSettings; got {settings!r}")
    tol = settings.tolerance
    u = _Units(units)
    flows = _Flows(u, direct, pool_inputs, pool_outputs)
    eps = _episodes(u, episodes)
    years, window, all_periods = _window(flows, eps, years)
    view = flows.view(u.n, years)
    ia, ib, org_of, last = _find_pairs(u, view, eps, window)
    cols, modes = _pair_columns(view, ia, ib, tol=tol)
    organisation_code, stats = _organisation(u.n, ia, ib, org_of, window, settings)
    notes = _degrees(u, ia, ib, series, cols)
    table = PairTable(
        a=u.ids[ia],
        b=u.ids[ib],
        ia=ia,
        ib=ib,
        columns={name: np.asarray(cols[name], dtype=float) for name in PAIR_FLOAT_COLUMNS},
        behaviour=modes.behaviour,
        gaining=modes.gaining,
        free_rider_a=modes.free_rider_a,
        free_rider_b=modes.free_rider_b,
        organisation=_ORGANISATION_OBJECTS[organisation_code],
        organisation_stats=tuple(stats),
        degree_note=tuple(notes),
        unit_ids=tuple(int(i) for i in u.ids),
        unit_names=u.names,
        unit_groups=u.groups,
        tolerance=tol,
        codes={
            "behaviour": modes.behaviour_code,
            "gaining": modes.gaining_code,
            "organisation": organisation_code,
        },
    )
    unit_rows, pair_gain = _unit_rows(u, view, ia, ib, last, tol=tol)
    m = ia.size
    target = int(
        np.count_nonzero(
            (modes.behaviour_code == BEHAVIOURS.index(BehaviourMode.SYMMETRIC_MUTUALISM))
            & (organisation_code == ORGANISATIONS.index(OrganisationMode.INTEGRATED))
        )
    )
    onehot = np.zeros((u.n, len(UNIT_GROUPS)))
    onehot[np.arange(u.n), u.group_index] = 1.0
    conc = concentration(view.unit_inputs)
    inputs_by_group = _by_group(view.unit_inputs, u.group_index)
    return ConsortiumDiagnosis(
        years=years,
        window=window,
        settings=settings,
        units=unit_rows,
        pairs=table,
        behaviour_counts=_counts(modes.behaviour_code, _BEHAVIOURS),
        organisation_counts=_counts(organisation_code, _ORGANISATIONS),
        target_count=target,
        target_share=target / m if m else math.nan,
        energy=float(modes.energy.sum()),
        energy_by_group=_by_group(pair_gain, u.group_index),
        groups=UNIT_GROUPS,
        flow_matrix=onehot.T @ view.inputs @ onehot,
        inputs_by_group=inputs_by_group,
        outputs_by_group=_by_group(view.unit_outputs, u.group_index),
        concentration=conc,
        trends=_trends(u, flows, all_periods, years, tol=tol),
        alerts=_alerts(u, table, unit_rows, conc, inputs_by_group, window, settings),
    )


# --------------------------------------------------------------------------------------
# the steps
# --------------------------------------------------------------------------------------
def _window(flows: _Flows, eps: list, years: Any) -> tuple[Any, Any, np.ndarray]:
    """Step 1, the window: ``years`` checked (default: every period in the flows) and the
    window's first and last day (default without periods: the episodes' span).

    Returns ``(years or None, (first day, last day) or None, every period in the flows)``.
    """
    all_periods = flows.periods() if flows.has_period else np.zeros(0, np.int64)
    if years is not None:
        if not (isinstance(years, Sequence) and len(years) == 2):
            raise ValueError(f"`years` must be a pair (first, last); got {years!r}")
        y0, y1 = int(years[0]), int(years[1])
        if y1 < y0:
            raise ValueError(f"`years` must end on or after its start; got {years!r}")
        years = (y0, y1)
    elif all_periods.size:
        years = (int(all_periods.min()), int(all_periods.max()))
    window = (_dt.date(years[0], 1, 1), _dt.date(years[1], 12, 31)) if years else None
    if window is None and eps:
        starts = [e[2] for e in eps]
        ends = [e[3] or e[2] for e in eps]
        window = (min(starts), max(max(ends), max(starts)))
    return years, window, all_periods


def _find_pairs(u: _Units, view: Any, eps: list, window: Any):
    """Step 2, the pairs: every two units with a flow between them in the window or an
    episode overlapping it, as positions ``ia``, ``ib`` sorted by the units' ids (a < b).

    Returns ``(ia, ib, episodes per pair {(lo, hi): [(start, end, dimension, joint)]},
    each unit's last day of joint activity in the window or None)``.
    """
    inputs, outputs = view.inputs, view.outputs
    seen = (np.abs(inputs) + np.abs(outputs)) > 0
    seen |= seen.T
    org_of: dict[tuple[int, int], list] = {}
    last: list[Any] = [None] * u.n
    if window is not None:
        for lo, hi, start, end, dim, joint in eps:
            if start > window[1] or (end is not None and end < window[0]):
                continue
            org_of.setdefault((lo, hi), []).append((start, end, dim, joint))
            seen[lo, hi] = seen[hi, lo] = True
            upto = window[1] if end is None else min(end, window[1])
            for k in (lo, hi):
                if last[k] is None or upto > last[k]:
                    last[k] = upto
    ia, ib = np.nonzero(np.triu(seen, 1))
    ids = u.ids
    swap = ids[ia] > ids[ib]
    ia, ib = np.where(swap, ib, ia), np.where(swap, ia, ib)
    order = np.lexsort((ids[ib], ids[ia]))
    return ia[order], ib[order], org_of, last


def _pair_columns(view: Any, ia: np.ndarray, ib: np.ndarray, *, tol: float):
    """Step 3, each pair's flows and behavioural mode: in and out of a and b, direct and
    through pools, then :func:`pair_modes` (gains, relative gains, energy, flow).

    Returns ``(columns by name, PairModes)``.
    """
    cols: dict[str, np.ndarray] = {
        "in_a_direct": view.input_direct[ia, ib],
        "in_a_pools": view.input_pools[ia, ib],
        "in_b_direct": view.input_direct[ib, ia],
        "in_b_pools": view.input_pools[ib, ia],
        "out_a_direct": view.input_direct[ib, ia],
        "out_a_pools": view.output_pools[ia, ib],
        "out_b_direct": view.input_direct[ia, ib],
        "out_b_pools": view.output_pools[ib, ia],
    }
    for side in ("in_a", "in_b", "out_a", "out_b"):
        cols[side] = cols[f"{side}_direct"] + cols[f"{side}_pools"]
    modes = pair_modes(cols["in_a"], cols["in_b"], cols["out_a"], cols["out_b"], tol=tol)
    for k in ("gain_a", "gain_b", "relative_gain_a", "relative_gain_b", "energy", "flow"):
        cols[k] = modes[k]
    return cols, modes


def _organisation(n: int, ia, ib, org_of: dict, window: Any, settings: DiagnosisSettings):
    """Step 4, each pair's organisational mode from its episodes in the window
    (:func:`gongsheng.analytics.symbiosis.describe_organisation` with the settings'
    thresholds).

    Returns ``(codes: positions in ORGANISATIONS, −1 for none; the OrganisationResult or
    None of each pair)``.
    """
    m = ia.size
    code = np.full(m, -1, dtype=np.int8)
    stats: list[Any] = [None] * m
    if org_of:
        okw = settings.organisation_kwargs()
        row = np.full((n, n), -1, dtype=np.int64)
        row[ia, ib] = row[ib, ia] = np.arange(m)
        for (lo, hi), found in org_of.items():
            k = int(row[lo, hi])
            res = describe_organisation(found, window=window, **okw)
            stats[k] = res
            if res.mode is not None:
                code[k] = ORGANISATIONS.index(res.mode)
    return code, stats


def _degrees(u: _Units, ia, ib, series: Any, cols: dict[str, np.ndarray]) -> list[str]:
    """Step 5, symbiosis degree and share of each pair whose units have quality-parameter
    series: ``degree``, ``degree_reverse`` and ``share`` are added to ``cols`` (NaN where
    not defined).

    Returns the note of each pair (how the degree was found, or why not).
    """
    m = ia.size
    degree, reverse, share = np.full(m, np.nan), np.full(m, np.nan), np.full(m, np.nan)
    notes: list[str] = [Reason("degree.no_series")] * m
    _periods, z = _series(u, series)
    if z is not None:
        has = np.isfinite(z).any(axis=1)
        for k in np.flatnonzero(has[ia] | has[ib]):
            d_ab, d_ba, th, note = _degree(z[ia[k]], z[ib[k]], u.names[ia[k]], u.names[ib[k]])
            degree[k], reverse[k], share[k], notes[k] = d_ab, d_ba, th, note
    cols["degree"], cols["degree_reverse"], cols["share"] = degree, reverse, share
    return notes


def _unit_rows(u: _Units, view: Any, ia, ib, last: list, *, tol: float):
    """Step 6, every unit's totals: inputs, outputs, net, the sum of its pair gains, its
    number of pairs, whether it rides free and its last joint activity.

    Returns ``(UnitDiagnosis rows, pair gain per unit)``.
    """
    pair_gain = (view.outputs - view.inputs).sum(axis=1)
    n_pairs = np.bincount(np.concatenate([ia, ib]), minlength=u.n)
    uin, uout = view.unit_inputs, view.unit_outputs
    free = (uout > 0) & (uin <= tol * uout)
    rows = tuple(
        UnitDiagnosis(
            id=int(u.ids[i]),
            name=u.names[i],
            group=u.groups[i],
            lead=bool(u.lead[i]),
            member=bool(u.member[i]),
            inputs=float(uin[i]),
            outputs=float(uout[i]),
            net=float(uout[i] - uin[i]),
            pair_gain=float(pair_gain[i]),
            pairs=int(n_pairs[i]),
            free_rider=bool(free[i]),
            last_activity=last[i],
        )
        for i in range(u.n)
    )
    return rows, pair_gain


def _trends(u: _Units, flows: _Flows, all_periods, years: Any, *, tol: float):
    """Step 7, trends: each year of the window diagnosed on its own pair view (pairs per
    mode, energy, inputs and outputs, by unit group)."""
    if not flows.has_period or years is None:
        return ()
    trends = []
    for y in all_periods[(all_periods >= years[0]) & (all_periods <= years[1])]:
        v = flows.view(u.n, (int(y), int(y)))
        ins, outs = v.inputs, v.outputs
        s = (np.abs(ins) + np.abs(outs)) > 0
        ya, yb = np.nonzero(np.triu(s | s.T, 1))
        ym = pair_modes(ins[ya, yb], ins[yb, ya], outs[ya, yb], outs[yb, ya], tol=tol)
        trends.append(
            YearTrend(
                year=int(y),
                pairs=int(ya.size),
                behaviour_counts=_counts(ym.behaviour_code, _BEHAVIOURS),
                energy=float(ym.energy.sum()),
                inputs=float(v.unit_inputs.sum()),
                outputs=float(v.unit_outputs.sum()),
                inputs_by_group=_by_group(v.unit_inputs, u.group_index),
                outputs_by_group=_by_group(v.unit_outputs, u.group_index),
            )
        )
    return tuple(trends)
