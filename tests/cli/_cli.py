"""Running ``gongsheng`` as its own process against a throwaway installation: a data directory
and, when the test run is on PostgreSQL (``DATABASE_URL``), a database of its own on the same
server (created here, dropped afterwards); on SQLite the data directory's file."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]


def _server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as con:
        con.execute(sql)


@dataclass
class Installation:
    data: Path
    database_url: str | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def vendor(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    def run(
        self, *args: str, check: bool = True, timeout: int = 900
    ) -> subprocess.CompletedProcess:
        """``gongsheng ARGS`` (or ``python SCRIPT ARGS`` when the first is a .py path)."""
        cmd = [sys.executable, *args] if args[0].endswith(".py") else [
            sys.executable, "-m", "gongsheng.cli", *args
        ]  # fmt: skip
        proc = subprocess.run(
            cmd, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        if check and proc.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} exited {proc.returncode}\n{proc.stdout[-3000:]}\n"
                f"{proc.stderr[-3000:]}"
            )
        return proc

    def wipe(self) -> None:
        """Lose everything: the database and the uploaded files."""
        import shutil

        shutil.rmtree(self.data / "uploads", ignore_errors=True)
        if self.database_url:
            name = urlsplit(self.database_url).path.lstrip("/")
            _admin(self.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _admin(self.database_url, f'CREATE DATABASE "{name}"')
        else:
            for path in self.data.glob("gongsheng.sqlite3*"):
                path.unlink()

    def drop(self) -> None:
        if self.database_url:
            name = urlsplit(self.database_url).path.lstrip("/")
            _admin(self.database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def installation(tmp: Path) -> Installation:
    data = tmp / "data"
    data.mkdir(parents=True, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "GONGSHENG_", "PYTEST_")) and k != "DATABASE_URL"
    }
    src = str(ROOT / "src")
    env.update(
        GONGSHENG_DATA=str(data),
        DJANGO_SETTINGS_MODULE="gongsheng.settings",
        GONGSHENG_ALLOWED_HOSTS="testserver,127.0.0.1",
        PYTHONPATH=os.pathsep.join([src, str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    )
    server = _server_url()
    url = None
    if server:
        name = f"gs_drill_{uuid.uuid4().hex[:10]}"
        url = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
        _admin(server, f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = url
    return Installation(data, url, env)
