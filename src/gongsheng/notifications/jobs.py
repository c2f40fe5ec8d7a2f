"""Notification delivery in the background worker (found by ``jobs``' autodiscovery).

``notify()`` sends each delivery right after its transaction commits; the sweep below sends
what is still pending (the process stopped before its on-commit call ran) and retries
deliveries whose sender died mid-way, every minute, in whichever worker claims it. The job
kind ``notifications.deliver`` (registered by ``jobs.builtin``) sends a given list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongsheng.jobs import sweeps
from gongsheng.notifications.services.delivery import deliver, deliver_pending


@sweeps.register("notifications.deliver_pending", every=dt.timedelta(minutes=1))
def send_pending() -> str:
    counts = deliver_pending()
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing pending"


def deliver_job(ctx: Any) -> dict[str, int]:
    """The ``notifications.deliver`` job: send the deliveries named in ``params["ids"]``."""
    return deliver(int(i) for i in ctx.params.get("ids", []))
