"""The jobs app's own sweeps: pick up jobs dead workers left behind, remove old jobs."""

from __future__ import annotations

import datetime as dt

from gongsheng.jobs import services, sweeps


@sweeps.register("jobs.recover", every=dt.timedelta(minutes=1))
def recover_lost_jobs() -> str:
    return f"{services.jobs_recover()} job(s) resumed"


@sweeps.register("jobs.prune", every=dt.timedelta(hours=6))
def prune_old_jobs() -> str:
    return f"{services.jobs_prune()} old job(s) removed"
