"""``gongsheng worker``: run background jobs and the periodic sweeps.

Start as many as you like, on any machine that reaches the database; ``gongsheng serve``
starts one beside the web server. Ctrl+C (or SIGTERM) stops it: the running job goes back to
the queue at its next progress step.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.crypto import get_random_string


class Command(BaseCommand):
    help = "Run Gongsheng's background jobs and periodic sweeps (Ctrl+C stops)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at the queue"
        )
        parser.add_argument(
            "--sweep-every", type=float, default=5.0, help="seconds between looks for due sweeps"
        )
        parser.add_argument("--batch", action="store_true", help="run what is ready, then exit")
        parser.add_argument("--no-sweeps", action="store_true", help="run jobs only")
        parser.add_argument("--worker-id", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        import logging

        from gongsheng.jobs.worker import GongshengWorker

        log = logging.getLogger("gongsheng.jobs")
        if not log.handlers:
            log.addHandler(logging.StreamHandler(self.stderr))
        log.setLevel(logging.INFO if options["verbosity"] else logging.WARNING)
        worker_id = options["worker_id"] or f"worker-{get_random_string(12)}"
        worker = GongshengWorker(
            queue_names=["default"],
            interval=max(0.0, options["interval"]),
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
            sweep_every=max(0.5, options["sweep_every"]),
            sweeps_on=not options["no_sweeps"],
        )
        if options["verbosity"]:
            self.stderr.write(f"Gongsheng worker {worker_id} is running (Ctrl+C stops it).")
        # messages stored for people (progress, errors) are in the platform's language
        with translation.override(settings.LANGUAGE_CODE):
            if options["batch"]:
                from gongsheng.jobs import sweeps

                if not options["no_sweeps"]:
                    sweeps.run_due_sweeps(worker_id=worker_id)
                worker.run()
            else:
                worker.configure_signals()
                worker.run()
