"""``gongsheng serve``: serve the platform with waitress (not Django's development server),
with a background worker (``gongsheng worker``) beside it unless ``--no-worker``.

Static files are served by WhiteNoise from ``STATIC_ROOT`` under the hashed names that
``collectstatic`` writes into its manifest (far-future caching, cache-busting on change). A
page cannot render before that manifest exists, so ``serve`` collects the files itself when
the manifest is missing or older than the files it lists (a fresh clone, an upgrade), instead
of answering every page with a 500. Likewise it migrates the database first when a migration
is unapplied (a new data directory, an upgrade), as ``bootstrap.py serve`` does, so that the
worker it starts does not fail on missing tables. Ctrl+C (SIGINT) or SIGTERM stops the
server and its worker with one line each.
"""

from __future__ import annotations

import contextlib
import json
import signal
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand

#: the file ``ManifestStaticFilesStorage`` writes into ``STATIC_ROOT``
MANIFEST = "staticfiles.json"
#: what ``collectstatic`` skips by default
IGNORE_PATTERNS = ["CVS", ".*", "*~"]


def static_files_current() -> bool:
    """Whether ``STATIC_ROOT`` holds every static file, collected after its last change.

    Always true for a storage without a manifest (tests), which serves files as they are.
    """
    if not hasattr(staticfiles_storage, "manifest_name"):
        return True
    manifest = Path(settings.STATIC_ROOT) / MANIFEST
    try:
        built = manifest.stat().st_mtime
        collected = set(json.loads(manifest.read_text(encoding="utf-8")).get("paths", {}))
    except (OSError, ValueError):
        return False
    for finder in finders.get_finders():
        for path, storage in finder.list(IGNORE_PATTERNS):
            if path not in collected or Path(storage.path(path)).stat().st_mtime > built:
                return False
    return True


def unapplied_migrations() -> int:
    """How many migrations ``migrate`` would apply to the default database."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # waitress closes its sockets on KeyboardInterrupt and returns


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
        # explicit handlers: a process started in the background inherits an ignored SIGINT
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        with contextlib.suppress(KeyboardInterrupt):
            self._serve(host, port, threads, no_worker)
        self.stdout.write("Gongsheng 共生 stopped.")

    def _serve(self, host: str, port: int, threads: int, no_worker: bool) -> None:
        from waitress import serve

        from gongsheng.consortia.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_accounts
        from gongsheng.jobs.supervise import WorkerProcess

        if unapplied_migrations():
            self.stdout.write(
                "正在迁移数据库（首次启动或升级后）… · "
                "Migrating the database (first start or after an upgrade) …"
            )
            call_command("migrate", interactive=False, verbosity=0)
        if not static_files_current():
            self.stdout.write(
                "正在收集静态文件（首次启动或升级后）… · "
                "Collecting static files (first start or after an upgrade) …"
            )
            call_command("collectstatic", interactive=False, verbosity=0)
        # only now: WhiteNoise indexes STATIC_ROOT when the WSGI application is built
        from gongsheng.wsgi import application

        self.stdout.write(f"Gongsheng 共生 is serving at http://{host}:{port}/  (Ctrl+C stops it)")
        demo = set(demo_accounts())
        if demo:  # only the accounts the demo made (never a real admin of the same name)
            self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
            for username, description in DEMO_LOGINS:
                if username in demo:
                    self.stdout.write(f"  {username:<18} {description}")
        worker = None
        if not no_worker:
            worker = WorkerProcess(out=self.stderr).start()
            self.stdout.write(f"Background worker started (pid {worker.pid}).")
        try:
            serve(application, host=host, port=port, threads=threads, ident="gongsheng")
        finally:
            if worker is not None:
                self.stdout.write("Stopping the background worker…")
                worker.stop()
