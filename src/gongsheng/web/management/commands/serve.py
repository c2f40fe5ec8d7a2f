"""``gongsheng serve``: serve the platform with waitress (not Django's development server),
with a background worker (``gongsheng worker``) beside it unless ``--no-worker``."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Serve Gongsheng with waitress on http://HOST:PORT (default 127.0.0.1:8000), with a "
        "background worker for jobs and sweeps beside it."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a worker (run `gongsheng worker` elsewhere)",
        )

    def handle(
        self, *args: Any, host: str, port: int, threads: int, no_worker: bool, **options: Any
    ) -> None:
        from waitress import serve

        from gongsheng.consortia.demo import DEMO_LOGINS, DEMO_PASSWORD
        from gongsheng.jobs.supervise import WorkerProcess
        from gongsheng.wsgi import application

        self.stdout.write(f"Gongsheng 共生 is serving at http://{host}:{port}/  (Ctrl+C stops it)")
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"  {username:<18} {description}")
        worker = None
        if not no_worker:
            worker = WorkerProcess(out=self.stderr).start()
            self.stdout.write(f"Background worker started (pid {worker.pid}).")

        def _terminate(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _terminate)
        try:
            serve(application, host=host, port=port, threads=threads, ident="gongsheng")
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                self.stdout.write("Stopping the background worker…")
                worker.stop()
