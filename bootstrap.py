#!/usr/bin/env python3
"""Set Gongsheng up and run it, with nothing but Python 3.11+.

    python3 bootstrap.py serve    # venv, install, migrate, demo consortium, serve on :8000
    python3 bootstrap.py test     # venv, install with test extras, lint, migrations and type
                                  # checks, run the whole suite

Both are idempotent: a second run reuses the virtual environment (``.venv``) and reinstalls
only when ``pyproject.toml`` changed. Extra arguments after ``test`` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("GONGSHENG_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def say(message: str) -> None:
    print(f"[gongsheng] {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    proc = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if check and proc.returncode != 0:
        say(f"failed ({proc.returncode}): {' '.join(str(a) for a in args)}")
        sys.exit(proc.returncode)
    return proc.returncode


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - bootstrap runs under any python3
        sys.exit("Gongsheng needs Python 3.11 or newer.")
    if not PY.exists():
        say(f"creating the virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp_file = VENV / f".gongsheng-installed-{extras or 'base'}"
    stamp = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp_file.exists() and stamp_file.read_text() == stamp:
        return
    say("installing Gongsheng and its dependencies (the first time takes a few minutes)")
    run(PY, "-m", "pip", "install", "-qq", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PY, "-m", "pip", "install", "-qq", "-e", target)
    stamp_file.write_text(stamp)


def gongsheng(*args: str, env: dict[str, str] | None = None, check: bool = True) -> int:
    return run(BIN / "gongsheng", *args, env=env, check=check)


def serve(argv: list[str]) -> None:
    ensure_venv("")
    say("preparing the database")
    gongsheng("migrate", "--no-input", "-v", "0")
    gongsheng("demo", "--if-missing")
    # `gongsheng serve` collects the static files itself when they are missing or stale.
    # Ctrl+C reaches it too (the terminal signals the whole process group): wait for it to
    # close its sockets and say so, rather than print this script's own traceback.
    proc = subprocess.Popen([str(BIN / "gongsheng"), "serve", *argv], cwd=ROOT)
    while True:
        try:
            sys.exit(proc.wait())
        except KeyboardInterrupt:
            try:  # a SIGINT sent to this script alone: pass it on
                proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGINT)
            except KeyboardInterrupt:
                continue


def step(name: str, *args: str | Path, env: dict[str, str] | None = None) -> None:
    """Run one check quietly: one line when it passes; its name and its output when it fails."""
    started = time.monotonic()
    proc = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.monotonic() - started
    if proc.returncode != 0:
        say(f"{name}: FAILED (exit {proc.returncode}, {took:.0f} s)")
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        sys.exit(f"[gongsheng] stopped: the {name} step failed")
    say(f"{name}: ok ({took:.0f} s)")


def pytest_quietly(args: list[str], env: dict[str, str]) -> int:
    """Run pytest; off a terminal (CI, a log file) drop a line that repeats the one before it
    (xdist prints its "bringing up nodes..." status line twice when it cannot redraw it)."""
    if sys.stdout.isatty():
        return subprocess.run(args, cwd=ROOT, env=env).returncode
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, encoding="utf-8"
    )
    assert proc.stdout is not None
    previous = None
    for line in proc.stdout:
        if line != previous or not line.strip():
            sys.stdout.write(line)
            sys.stdout.flush()
        previous = line
    return proc.wait()


def test(argv: list[str]) -> None:
    ensure_venv("test")
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # the README's test run is on SQLite; CI adds PostgreSQL
    # the checks that load the product's settings get a throwaway data directory
    checks_env = {**env, "GONGSHENG_DATA": tempfile.mkdtemp(prefix="gongsheng-checks-")}
    step("ruff", BIN / "ruff", "check", "--quiet", "src", "tests", "benchmarks", "bootstrap.py")
    step("import contracts", BIN / "lint-imports", "--no-cache", env=env)
    step(
        "migrations (makemigrations --check)",
        BIN / "gongsheng", "makemigrations", "--check", "--dry-run", "--no-input",
        env=checks_env,
    )  # fmt: skip
    step("types (mypy)", BIN / "mypy", env=checks_env)
    shutil.rmtree(checks_env["GONGSHENG_DATA"], ignore_errors=True)
    say("tests")
    workers = env.get("GONGSHENG_TEST_WORKERS", "2")
    args = [
        str(BIN / "python"), "-m", "pytest", "-q", "-n", workers, "--dist", "loadgroup",
        "tests", "--doctest-modules", "src/gongsheng/analytics", "src/gongsheng/cli/_format.py",
        *argv,
    ]  # fmt: skip
    code = pytest_quietly(args, env)
    if code == 5:  # no tests collected is not a failure of the setup, but say so
        say("pytest collected no tests")
        code = 0
    sys.exit(code)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test"}:
        sys.exit(__doc__)
    command, rest = sys.argv[1], sys.argv[2:]
    try:
        {"serve": serve, "test": test}[command](rest)
    except KeyboardInterrupt:  # Ctrl+C while installing or migrating: one line, no traceback
        print(file=sys.stderr)
        sys.exit("[gongsheng] interrupted")


if __name__ == "__main__":
    main()
