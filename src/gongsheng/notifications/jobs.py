"""Notification delivery in the background worker (found by ``jobs``' autodiscovery).

``notify()`` starts one ``notifications.deliver`` job per batch after its transaction
commits; the job sends the batch's mail and chat messages. The sweep below is the safety net:
it sends what is still pending (the process stopped before the job was started, or the start
failed) and retries deliveries whose sender died mid-way, every minute, in whichever worker
claims it. Both go through :func:`deliver`, which claims each delivery once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy

from gongsheng.jobs import sweeps
from gongsheng.jobs.registry import job_kind
from gongsheng.notifications.services.delivery import DELIVER_JOB, deliver, deliver_pending


@sweeps.register("notifications.deliver_pending", every=dt.timedelta(minutes=1))
def send_pending() -> str:
    counts = deliver_pending()
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing pending"


@job_kind(DELIVER_JOB, label=gettext_lazy("Deliver notifications"), attempts=5, backoff=30.0)
def deliver_job(ctx: Any) -> dict[str, int]:
    """Send the deliveries named in ``params["ids"]`` (each claimed once: a delivery the sweep
    or an earlier run already took is skipped), with progress per delivery."""
    ids = [int(i) for i in ctx.params.get("ids", [])]
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for n, pk in enumerate(ids):
        ctx.progress(n, len(ids), gettext_lazy("sending"))
        for state, k in deliver([pk]).items():
            counts[state] += k
    ctx.progress(len(ids), len(ids), gettext_lazy("sent"))
    return counts
