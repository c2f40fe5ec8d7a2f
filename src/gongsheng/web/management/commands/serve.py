"""``gongsheng serve``: serve the platform with waitress (not Django's development server)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Gongsheng with waitress on http://HOST:PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, host: str, port: int, threads: int, **options: Any) -> None:
        from waitress import serve

        from gongsheng.consortia.demo import DEMO_LOGINS, DEMO_PASSWORD
        from gongsheng.wsgi import application

        self.stdout.write(f"Gongsheng 共生 is serving at http://{host}:{port}/  (Ctrl+C stops it)")
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"  {username:<18} {description}")
        serve(application, host=host, port=port, threads=threads, ident="gongsheng")
