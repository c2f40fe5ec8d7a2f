"""``gongsheng serve`` as a person runs it: a fresh data directory with no ``migrate`` and no
``collectstatic`` done, a page and a static file fetched, then Ctrl+C (SIGINT): a clean exit,
no traceback (the worker beside it finds its tables)."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import gongsheng

SRC = Path(gongsheng.__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, *, wait: float) -> tuple[int, bytes, dict[str, str]]:
    """GET ``url``, retrying while the server is not listening yet (at most ``wait`` seconds)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), dict(exc.headers)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_serve_without_migrate_or_collectstatic_then_ctrl_c(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"GONGSHENG_TESTING", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(GONGSHENG_DATA=str(tmp_path), PYTHONPATH=str(SRC))
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongsheng.cli", "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # the first start collects (and compresses) the static files: allow for a busy machine
        status, body, _ = _get(f"http://127.0.0.1:{port}/login/", wait=300)
        assert status == 200, body[:2000]
        page = body.decode()
        css = re.search(r'href="(/static/gongsheng/site\.[0-9a-f]{12}\.css)"', page)
        assert css, "the page links the hashed stylesheet from the manifest"
        status, body, headers = _get(f"http://127.0.0.1:{port}{css.group(1)}", wait=5)
        assert status == 200 and b"{" in body
        assert "immutable" in headers.get("Cache-Control", "")
        assert (tmp_path / "static" / "staticfiles.json").exists()
        with sqlite3.connect(tmp_path / "gongsheng.sqlite3") as db:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
        assert {"jobs_job", "django_migrations"} <= tables, "serve migrated first"
        time.sleep(3)  # the worker's first look at the queue
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:  # pragma: no cover - reported below
            proc.kill()
            out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    lines = out.splitlines()
    assert lines[0].startswith("正在迁移数据库") and "Migrating the database" in lines[0]
    assert lines[1].startswith("正在收集静态文件") and "Collecting static files" in lines[1]
    assert lines[-1] == "Gongsheng 共生 stopped."
    assert len(lines) == len(set(lines)), "no line printed twice"
