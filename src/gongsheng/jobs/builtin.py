"""The jobs app's own sweeps (pick up jobs dead workers left behind, remove old jobs) and
the job kinds it names for apps above it."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from gongsheng.jobs import services, sweeps
from gongsheng.jobs.registry import register_dotted


@sweeps.register("jobs.recover", every=dt.timedelta(minutes=1))
def recover_lost_jobs() -> str:
    return f"{services.jobs_recover()} job(s) resumed"


@sweeps.register("jobs.prune", every=dt.timedelta(hours=6))
def prune_old_jobs() -> str:
    return f"{services.jobs_prune()} old job(s) removed"


# Notification delivery runs as a job: ``gongsheng.notifications`` (above this app) provides
# ``jobs.deliver_job(ctx)``; starting ``job_start(kind="notifications.deliver",
# params={...})`` needs no import of it here.
register_dotted(
    "notifications.deliver",
    "gongsheng.notifications.jobs.deliver_job",
    label=gettext_lazy("Deliver notifications"),
    attempts=5,
    backoff=30.0,
)
