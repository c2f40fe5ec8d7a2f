"""The alerts of a diagnosis, each with the numbers behind it."""

from __future__ import annotations

import math

import numpy as np

from gongsheng.analytics.diagnosis._rows import _money, _pct
from gongsheng.analytics.diagnosis._types import Alert
from gongsheng.analytics.symbiosis import BehaviourMode, Side

_DAYS_PER_MONTH = 365.25 / 12


def alerts(u, table, unit_rows, conc, inputs_by_group, window, settings) -> tuple[Alert, ...]:
    tol = settings.tolerance
    out: list[Alert] = []
    for r in unit_rows:
        if r.free_rider:
            out.append(
                Alert(
                    "free_rider",
                    (r.id,),
                    r.inputs,
                    tol * r.outputs,
                    f"{r.name} received {_money(r.outputs)} and put in {_money(r.inputs)} "
                    f"(at most {_pct(tol)} of what it received counts as nothing).",
                )
            )
    parasitic = np.flatnonzero(table.behaviour == BehaviourMode.PARASITISM)
    if parasitic.size:
        loss = np.where(
            table.gaining[parasitic] == Side.FIRST,
            table.columns["gain_b"][parasitic],
            table.columns["gain_a"][parasitic],
        )
        parasitic = parasitic[np.argsort(loss, kind="stable")]  # the largest losses first
    listed = parasitic[: settings.max_pair_alerts]
    more = parasitic.size - listed.size
    for k in listed:
        first = table.gaining[k] is Side.FIRST
        ia, ib = int(table.ia[k]), int(table.ib[k])
        p, h = (ia, ib) if first else (ib, ia)
        gp = table.columns["gain_a" if first else "gain_b"][k]
        gh = table.columns["gain_b" if first else "gain_a"][k]
        band = tol * table.columns["flow"][k]
        out.append(
            Alert(
                "parasitic_pair",
                (int(u.ids[p]), int(u.ids[h])),
                float(gh),
                float(-band),
                f"{u.names[p]} gains {_money(gp)} from its pair with {u.names[h]}, which loses "
                f"{_money(-gh)} (beyond the tolerance of {_money(band)}): {u.names[p]} is "
                "the parasite."
                + (
                    f" One of {parasitic.size} parasitic pairs; the {listed.size} largest "
                    "losses are listed."
                    if more
                    else ""
                ),
            )
        )
    if window is not None:
        limit = settings.inactive_months
        for r in unit_rows:
            if not r.member:
                continue
            if r.last_activity is None:
                months = math.inf
                why = f"{r.name} has no joint project, contract or booking in the window"
            else:
                months = (window[1] - r.last_activity).days / _DAYS_PER_MONTH
                if months <= limit:
                    continue
                why = (
                    f"{r.name}'s last joint activity ended on {r.last_activity.isoformat()}, "
                    f"{months:.1f} months before {window[1].isoformat()}"
                )
            out.append(
                Alert(
                    "inactive_member",
                    (r.id,),
                    months,
                    float(limit),
                    f"{why} (limit {limit} months): joined but not cooperating (联而不合).",
                )
            )
    school, enterprise = inputs_by_group["school"], inputs_by_group["enterprise"]
    if school > 0:
        ratio = enterprise / school
        if ratio < settings.cold_ratio:
            ids = tuple(int(u.ids[i]) for i in range(u.n) if u.groups[i] == "enterprise")
            out.append(
                Alert(
                    "school_hot_enterprise_cold",
                    ids,
                    ratio,
                    settings.cold_ratio,
                    f"Enterprises put in {_money(enterprise)}, {ratio:.2f} times the "
                    f"schools' {_money(school)} (below {settings.cold_ratio:.2f}): "
                    "schools hot, enterprises cold (校热企冷).",
                )
            )
    if conc.top_index >= 0 and (
        conc.hhi > settings.hhi_max or conc.top_share > settings.top_share_max
    ):
        top = conc.top_index
        over_hhi = conc.hhi > settings.hhi_max
        out.append(
            Alert(
                "concentration",
                (int(u.ids[top]),),
                conc.hhi if over_hhi else conc.top_share,
                settings.hhi_max if over_hhi else settings.top_share_max,
                f"Inputs depend on few units: HHI {conc.hhi:.3f} (limit {settings.hhi_max:.2f}), "
                f"{u.names[top]} puts in {_pct(conc.top_share)} of all inputs "
                f"(limit {_pct(settings.top_share_max)}).",
            )
        )
    return tuple(out)
