"""Issue 14 point 7 through the command line: the demo refuses to run in production and never
touches an account it did not make (a real ``admin`` from ``createsuperuser``); ``check
--deploy`` warns about every account that still has the demo password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import gongsheng
from gongsheng.cli import main

SRC = Path(gongsheng.__file__).resolve().parent.parent
REAL_PASSWORD = "Real-admin-pw-77"


def _gongsheng(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"GONGSHENG_TESTING", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(GONGSHENG_DATA=str(tmp_path), PYTHONPATH=str(SRC), **env)
    return subprocess.run(
        [sys.executable, "-m", "gongsheng.cli", *args],
        env=clean, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_demo_refuses_to_run_in_production(tmp_path):
    done = _gongsheng(tmp_path, "demo", GONGSHENG_ENV="production")
    assert done.returncode == 1
    assert "The demo does not run in production" in done.stderr
    assert "Nothing was changed." in done.stderr
    # `serve` runs `demo --if-missing` before it starts: it says so and goes on
    done = _gongsheng(tmp_path, "demo", "--if-missing", GONGSHENG_ENV="production")
    assert done.returncode == 0, done.stderr
    assert "not loaded in production" in done.stdout


def _run(*argv: str) -> None:
    try:
        main(["gongsheng", *argv])
    except SystemExit as exc:  # pragma: no cover - a failing command
        assert exc.code in (0, None), exc


@pytest.mark.django_db
def test_the_demo_keeps_a_real_admin_and_check_deploy_names_demo_passwords(capsys, monkeypatch):
    from django.db import connections

    from gongsheng.access.models import RoleAssignment, User

    # a command run from argv closes the connections when it ends; the test's transaction
    # lives on one of them (PostgreSQL), so keep it open
    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", REAL_PASSWORD)
    _run("createsuperuser", "--no-input", "--username", "admin", "--email", "root@example.cn")
    admin = User.objects.get(username="admin")

    _run("demo")
    out = capsys.readouterr().out
    kept = User.objects.get(username="admin")
    assert kept.pk == admin.pk and kept.is_superuser and not kept.is_demo
    assert kept.check_password(REAL_PASSWORD)
    assert not kept.check_password("gongsheng-demo")
    assert kept.email == "root@example.cn" and kept.display_name == ""
    assert not RoleAssignment.objects.filter(user=kept).exists()  # no demo role handed to it
    assert "Left alone: the account 'admin' exists" in out
    assert "Logins (password gongsheng-demo): secretariat, supervisor" in out
    assert User.objects.get(username="secretariat").is_demo

    _run("check", "--deploy")
    err = capsys.readouterr().err
    assert "gongsheng.W001" in err
    assert "7 account(s) still have the public demo password: enterprise_admin" in err
    assert "admin," not in err.replace("enterprise_admin,", "").replace("school_admin,", "")

    # the real admin with the demo password is named too
    kept.set_password("gongsheng-demo")
    kept.save()
    _run("check", "--deploy")
    assert "8 account(s) still have the public demo password: admin, " in capsys.readouterr().err


@pytest.mark.django_db
def test_a_demo_reset_keeps_a_real_users_roles_in_demo_consortia(capsys, monkeypatch):
    from django.db import connections

    from gongsheng.access.actors import SYSTEM
    from gongsheng.access.models import RoleAssignment
    from gongsheng.access.services import role_grant, user_create
    from gongsheng.audit.models import AuditEntry, EventType
    from gongsheng.consortia.demo_roles import HeldRole, restore_roles
    from gongsheng.consortia.models import Consortium

    monkeypatch.setattr(connections, "close_all", lambda: None)
    _run("demo")
    main_pk = Consortium.objects.get(code="binjiang-wind", is_demo=True).pk
    real = user_create(actor=SYSTEM, username="wang.li", password=REAL_PASSWORD)
    for role, code in (("observer", "binjiang-wind"), ("supervisor", "qingshan-ic")):
        consortium = Consortium.objects.get(code=code, is_demo=True)
        role_grant(actor=SYSTEM, user=real, role=role, consortium_id=consortium.pk)
    capsys.readouterr()
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()

    _run("demo")
    out = capsys.readouterr().out
    held = set(RoleAssignment.objects.filter(user=real).values_list("role", "consortium__code"))
    assert held == {("observer", "binjiang-wind"), ("supervisor", "qingshan-ic")}
    main = Consortium.objects.get(code="binjiang-wind", is_demo=True)
    assert main.pk != main_pk, "the consortium was made afresh, the role points at the new one"
    assert RoleAssignment.objects.get(user=real, role="observer").consortium_id == main.pk
    assert "Kept the roles real accounts hold in demo consortia: wang.li (observer, " in out
    assert AuditEntry.objects.filter(
        pk__gt=last, event_type=EventType.ROLE_GRANTED,
        object_id__in=RoleAssignment.objects.filter(user=real).values("pk"),
    ).count() == 2, "granted again through the service, audited"  # fmt: skip
    # a role whose consortium the demo no longer makes is reported, not restored
    gone = HeldRole(real.pk, "wang.li", "observer", "no-longer-in-the-demo")
    assert restore_roles([gone]) == ([], [gone])
