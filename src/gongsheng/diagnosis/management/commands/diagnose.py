"""``gongsheng diagnose [--consortium ID]``: recompute the diagnosis and raise its alerts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gongsheng.access.actors import SYSTEM


class Command(BaseCommand):
    help = (
        "Recompute the symbiosis diagnosis of every consortium (or of one) over its default "
        "window, store it for every web process, and raise its alerts (no duplicates)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--consortium", type=int, default=None, metavar="ID")
        parser.add_argument(
            "--stale-only",
            action="store_true",
            help="recompute only results whose data changed (default: all)",
        )
        parser.add_argument("--no-alerts", action="store_true", help="do not raise alerts")

    def handle(
        self,
        *args: Any,
        consortium: int | None,
        stale_only: bool,
        no_alerts: bool,
        **options: Any,
    ) -> None:
        from rich.progress import Progress

        from gongsheng.consortia.models import Consortium
        from gongsheng.core.context import request_scope
        from gongsheng.diagnosis.services import diagnosis_refresh_all

        ids = list(Consortium.objects.order_by("pk").values_list("pk", flat=True))
        if consortium is not None:
            if consortium not in ids:
                raise CommandError(f"--consortium: no consortium with id {consortium}")
            ids = [consortium]
        with request_scope(), Progress(transient=True) as bar:
            task = bar.add_task("diagnosis", total=len(ids))
            alerts = bar.add_task("alerts", total=len(ids), visible=not no_alerts)
            summary = diagnosis_refresh_all(
                actor=SYSTEM,
                consortium_ids=ids,
                force=not stale_only,
                alerts=not no_alerts,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                alert_progress=lambda done, total: bar.update(alerts, completed=done, total=total),
            )
        self.stdout.write(
            f"Diagnosed {summary['consortia']} consortia ({summary['recomputed']} recomputed, "
            f"{summary['pairs']} pairs) in {summary['seconds']:.1f} s; "
            f"{summary['alerts']} new alert(s)."
        )
