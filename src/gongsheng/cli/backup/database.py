"""Dumping and restoring the database: SQLite through its online backup API, PostgreSQL
through pg_dump / pg_restore of the server's own major version."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

Progress = Callable[[int, int | None], None]


class BackupError(Exception):
    """A refusal or failure, with a message for the operator (Chinese / English)."""


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def dump_name() -> str:
    return "gongsheng.sqlite3" if vendor() == "sqlite" else "gongsheng.pgdump"


def server_major() -> int | None:
    """PostgreSQL's major version (15 for 15.8); None on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    return int(connection.pg_version) // 10000


# --- SQLite ------------------------------------------------------------------------------


def _sqlite_path() -> str:
    from django.conf import settings

    name = str(settings.DATABASES["default"]["NAME"])
    if name in ("", ":memory:") or name.startswith("file::memory:"):
        raise BackupError("数据库在内存中，无法备份 the database is in memory: nothing to back up")
    return name


def _copy_sqlite(source: str, target: str, progress: Progress) -> None:
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        # a consistent copy while the platform keeps running (pages copied in steps)
        src.backup(dst, pages=1024, progress=lambda _s, left, total: progress(total - left, total))
    finally:
        src.close()
        dst.close()


def _sqlite_dump(target: Path, progress: Progress) -> None:
    _copy_sqlite(_sqlite_path(), str(target), progress)
    con = sqlite3.connect(target)
    try:  # one self-contained file in the archive (no -wal beside it)
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()


def _sqlite_restore(dump: Path, progress: Progress) -> None:
    from django.db import connections

    connections.close_all()
    path = _sqlite_path()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(str(dump), path, progress)
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()


# --- PostgreSQL --------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    """libpq's environment for the configured database (no password on the command line)."""
    from django.conf import settings

    db: dict[str, Any] = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return env


def tool_major(path: str) -> int | None:
    """The major version a PostgreSQL client tool reports (``pg_dump (PostgreSQL) 15.8``)."""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    match = re.search(r"\)\s*(\d+)", out.stdout)
    return int(match[1]) if match else None


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore of the server's major version.

    Looked for in ``GONGSHENG_PG_BIN`` (a directory) when it is set, else in Debian's
    ``/usr/lib/postgresql/<major>/bin`` and then on ``PATH``; a tool of another major version
    is refused, saying which one to install.
    """
    major = server_major()
    if os.environ.get("GONGSHENG_PG_BIN"):
        candidates = [str(Path(os.environ["GONGSHENG_PG_BIN"]) / name)]
    else:
        candidates = [f"/usr/lib/postgresql/{major}/bin/{name}"]
        on_path = shutil.which(name)
        if on_path:
            candidates.append(on_path)
    found = []
    for path in candidates:
        if Path(path).is_file() and os.access(path, os.X_OK):
            tool = tool_major(path)
            if tool == major:
                return path
            found.append(f"{path} is version {tool}")
    seen = "; ".join(found) if found else f"no {name} found"
    raise BackupError(
        f"{name} 的主版本须与数据库服务器一致 {name} must match the server's major version: "
        f"the server is PostgreSQL {major}, {seen}. Install postgresql-client-{major} "
        f"(Debian: apt-get install postgresql-client-{major}) or set GONGSHENG_PG_BIN to the "
        "directory holding the right version."
    )


def _run(args: list[str], what: str) -> None:
    proc = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise BackupError(f"{what} failed (exit {proc.returncode}): " + " | ".join(detail[-5:]))


def _pg_dump(target: Path, progress: Progress) -> None:
    progress(0, None)
    _run(
        [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
         "--file", str(target)],
        "pg_dump",
    )  # fmt: skip
    progress(1, 1)


def _pg_restore(dump: Path, progress: Progress) -> None:
    from django.db import connection, connections

    tool = pg_tool("pg_restore")
    progress(0, None)
    with connection.cursor() as cur:  # an empty schema: nothing of the present data remains
        cur.execute("DROP SCHEMA IF EXISTS public CASCADE")
        cur.execute("CREATE SCHEMA public")
    connections.close_all()
    _run(
        [tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         "--dbname", _pg_env().get("PGDATABASE", ""), str(dump)],
        "pg_restore",
    )  # fmt: skip
    progress(1, 1)


def preflight() -> None:
    """Refuse before anything is written: a database in memory, a client tool that does not
    match the server."""
    if vendor() == "postgresql":
        pg_tool("pg_dump")
    elif not Path(_sqlite_path()).is_file():
        raise BackupError(
            f"没有数据库 no database at {_sqlite_path()}: nothing to back up (run `gongsheng "
            "migrate` to create one)"
        )


def dump(target: Path, progress: Progress) -> None:
    """Write a consistent copy of the database to ``target``."""
    (_sqlite_dump if vendor() == "sqlite" else _pg_dump)(target, progress)


def restore(source: Path, progress: Progress) -> None:
    """Replace the database's contents with the dump at ``source``."""
    if vendor() == "postgresql":
        pg_tool("pg_restore")  # refuse a mismatched tool before anything is dropped
        _pg_restore(source, progress)
    else:
        _sqlite_restore(source, progress)
