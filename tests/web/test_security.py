"""The security baseline: deployment checks, login lockout, idle timeout, secret key."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gongsheng.access.actors import SYSTEM


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "GONGSHENG_ENV": "production",
        "GONGSHENG_DATA": str(tmp_path),
        "GONGSHENG_ALLOWED_HOSTS": "gongsheng.example.cn",
        "DJANGO_SETTINGS_MODULE": "gongsheng.settings",
    }
    env.pop("GONGSHENG_TESTING", None)
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for Playwright in the browser tests
    proc = subprocess.run(
        [sys.executable, "-m", "gongsheng.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    key = Path(tmp_path, "secret_key")
    assert key.exists() and oct(key.stat().st_mode)[-3:] == "600" and len(key.read_text()) > 50


def test_secret_key_is_not_in_the_repository():
    root = Path(__file__).resolve().parents[2]
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True).stdout
    assert "secret_key" not in tracked.split()


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account(world, client, settings):
    from tests.support.world import PASSWORD

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "observer", "password": "wrong-password-1"})
    r = client.post("/login/", {"username": "observer", "password": PASSWORD})
    assert r.status_code == 429
    assert "登录失败次数过多" in r.content.decode()


def test_idle_timeout_is_configured():
    from django.conf import settings

    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 <= 60 * 60


@pytest.mark.django_db
def test_password_rules(world):
    from gongsheng.access.services import user_create
    from gongsheng.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as info:
        user_create(actor=SYSTEM, username="weak", password="abcdefghijk")
    assert info.value.errors[0].field == "password"


@pytest.mark.django_db
def test_every_response_carries_the_content_security_policy(world, client):
    """Pages, the login page, static files and the API: no inline script, no eval, no
    framing, no plugins (decision 0805)."""
    client.force_login(world.users["secretariat"])
    for path in ("/", "/login/", f"/consortia/{world.a.pk}/", "/api/docs", "/nowhere/"):
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
        assert directives["frame-ancestors"] == "'none'" and "unsafe" not in directives["style-src"]


def test_no_template_has_an_inline_script_or_handler():
    """What the policy would block: inline scripts, on… attributes, javascript: links,
    hx-on (htmx evaluates it); the offline report (not a platform page) keeps its own."""
    import re

    root = Path(__file__).resolve().parents[2] / "src" / "gongsheng"
    bad = re.compile(
        r"<script(?![^>]*\b(src|type=\"application/json\")=?)[^>]*>|\son[a-z]+=|javascript:|hx-on",
        re.I,
    )
    found = [
        f"{path.relative_to(root)}: {m.group(0)}"
        for path in root.rglob("templates/**/*.html")
        for m in bad.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.django_db
class TestCsrfFailurePage:
    """A form sent without its token (expired, or from another site) gets our 403_csrf.html:
    a Chinese page on our stylesheet, nothing the policy blocks (Django's own page has an
    inline <style> and English text)."""

    def _post_without_token(self, world, *, visit_first: bool, language: str | None = None):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(world.users["secretariat"])
        if language:
            client.cookies["django_language"] = language
        unit = world.units["ent"]
        if visit_first:  # the form page sets the CSRF cookie; the post's token is wrong
            assert client.get(f"/units/{unit.pk}/edit/").status_code == 200
        r = client.post(
            f"/units/{unit.pk}/edit/",
            {"name": "x", "version": unit.version, "csrfmiddlewaretoken": "a" * 32},
        )
        return r, r.content.decode()

    def test_an_expired_form_gets_a_readable_chinese_page_under_the_policy(self, world):
        r, body = self._post_without_token(world, visit_first=True)
        assert r.status_code == 403 and r["Content-Type"].startswith("text/html")
        assert '<html lang="zh-hans">' in body and "<title>无权操作 · " in body
        assert "表单未能提交：表单已过期，或不是从本站页面提交的。" in body
        assert 'rel="stylesheet" href="/static/gongsheng/site.css"' in body
        assert 'id="account-link"' in body  # the layout, for the signed-in user
        assert "CSRF verification" not in body and "CSRF验证" not in body  # not Django's page
        # nothing the Content-Security-Policy would block, and the policy is there
        assert "<style" not in body and "style=" not in body
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body) == []
        assert "script-src 'self'" in r["Content-Security-Policy"]

    def test_a_missing_cookie_gets_the_same_page(self, world):
        r, body = self._post_without_token(world, visit_first=False)
        assert r.status_code == 403 and "表单未能提交" in body and "允许本站使用 Cookie" in body

    def test_in_english_for_an_english_reader(self, world):
        r, body = self._post_without_token(world, visit_first=True, language="en")
        assert r.status_code == 403 and '<html lang="en">' in body
        assert "The form could not be sent" in body and "表单" not in body
