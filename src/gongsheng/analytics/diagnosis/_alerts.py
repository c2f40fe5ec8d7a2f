"""The alerts of a diagnosis, each with the numbers behind it."""

from __future__ import annotations

import math

import numpy as np

from gongsheng.analytics.diagnosis._types import Alert
from gongsheng.analytics.reasons import Reason
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
                    Reason(
                        "alert.free_rider",
                        unit=r.name,
                        outputs=r.outputs,
                        inputs=r.inputs,
                        tolerance=tol,
                    ),
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
                Reason(
                    "alert.parasitic_pair_listed" if more else "alert.parasitic_pair",
                    parasite=u.names[p],
                    host=u.names[h],
                    gain=float(gp),
                    loss=float(-gh),
                    band=float(band),
                    **({"total": int(parasitic.size), "listed": int(listed.size)} if more else {}),
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
                why = Reason("alert.inactive_never", unit=r.name, limit=limit)
            else:
                months = (window[1] - r.last_activity).days / _DAYS_PER_MONTH
                if months <= limit:
                    continue
                why = Reason(
                    "alert.inactive_since",
                    unit=r.name,
                    last=r.last_activity.isoformat(),
                    months=months,
                    end=window[1].isoformat(),
                    limit=limit,
                )
            out.append(
                Alert(
                    "inactive_member",
                    (r.id,),
                    months,
                    float(limit),
                    why,
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
                    Reason(
                        "alert.school_hot_enterprise_cold",
                        enterprise=enterprise,
                        ratio=ratio,
                        school=school,
                        limit=settings.cold_ratio,
                    ),
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
                Reason(
                    "alert.concentration",
                    hhi=conc.hhi,
                    hhi_max=settings.hhi_max,
                    unit=u.names[top],
                    share=conc.top_share,
                    share_max=settings.top_share_max,
                ),
            )
        )
    return tuple(out)
