#!/usr/bin/env python3
"""Set Gongsheng up and run it, with nothing but Python 3.11+.

    python3 bootstrap.py serve    # venv, install, migrate, demo consortium, serve on :8000
    python3 bootstrap.py test     # venv, install with test extras, lint, run the whole suite

Both are idempotent: a second run reuses the virtual environment (``.venv``) and reinstalls
only when ``pyproject.toml`` changed. Extra arguments after ``test`` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
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
    gongsheng("collectstatic", "--no-input", "-v", "0")
    gongsheng("demo", "--if-missing")
    gongsheng("serve", *argv)


def test(argv: list[str]) -> None:
    ensure_venv("test")
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # the README's test run is on SQLite; CI adds PostgreSQL
    say("ruff")
    run(BIN / "ruff", "check", "--quiet", "src", "tests", "benchmarks", "bootstrap.py")
    say("import contracts")
    run(BIN / "lint-imports", "--no-cache", env=env)
    say("tests")
    workers = env.get("GONGSHENG_TEST_WORKERS", "2")
    args = [
        str(BIN / "python"), "-m", "pytest", "-q", "-n", workers, "--dist", "loadgroup",
        "tests", "--doctest-modules", "src/gongsheng/analytics", *argv,
    ]  # fmt: skip
    code = subprocess.run(args, cwd=ROOT, env=env).returncode
    if code == 5:  # no tests collected is not a failure of the setup, but say so
        say("pytest collected no tests")
        code = 0
    sys.exit(code)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in {"serve", "test"}:
        sys.exit(__doc__)
    command, rest = sys.argv[1], sys.argv[2:]
    {"serve": serve, "test": test}[command](rest)


if __name__ == "__main__":
    main()
