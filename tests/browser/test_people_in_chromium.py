"""People in Debian's chromium: the secretariat invites a person, the invitee sets a password
through the mailed one-time link and logs in; later they forget it and reset it by mail from
the login page (忘记密码). Mails are read from Django's outbox."""

from __future__ import annotations

import re

from django.core import mail

from tests.support.world import PASSWORD

FIRST, SECOND = "Blade-inspector-31", "Gearbox-service-57"


def _log_in(page, server, username: str, password: str) -> None:
    page.goto(f"{server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _submit(page, selector: str = "main form button[type=submit]") -> None:
    page.click(selector)
    page.wait_for_load_state("networkidle")


def _mailed_link(server) -> str:
    found = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    path = found.group(0).split("://", 1)[1].split("/", 1)[1]
    return f"{server.url}/{path}"


def test_invite_set_password_log_in_then_reset_it(live_server, transactional_db, page):
    from gongsheng.access.models import User
    from tests.support.world import build_world

    world = build_world()
    _log_in(page, live_server, "secretariat", PASSWORD)
    page.goto(f"{live_server.url}/consortia/{world.a.pk}/people/")
    page.fill("#id_username", "wang.fang")
    page.fill("#id_display_name", "王芳")
    page.fill("#id_email", "wang.fang@example.cn")
    page.select_option("#id_unit", str(world.units["ent"].pk))
    page.select_option("#id_role", "unit_member")
    _submit(page, "#invite-form button[type=submit]")
    assert "wang.fang@example.cn" in page.locator(".messages").inner_text()
    assert "wang.fang" in page.locator("#people-list").inner_text()
    _submit(page, "header form button[type=submit]")  # log out

    page.goto(_mailed_link(live_server))
    page.fill("#id_new_password1", "short")
    page.fill("#id_new_password2", "short")
    _submit(page)
    assert page.locator(".errorlist").count() > 0  # a weak password is named, nothing set
    page.fill("#id_new_password1", FIRST)
    page.fill("#id_new_password2", FIRST)
    _submit(page)
    assert page.url.endswith("/login/")
    _log_in(page, live_server, "wang.fang", FIRST)
    assert page.locator("#account-link").inner_text() == "王芳"
    _submit(page, "header form button[type=submit]")

    page.goto(f"{live_server.url}/login/")
    page.click("#forgot-password")
    page.fill("#id_email", "wang.fang@example.cn")
    _submit(page)
    assert len(mail.outbox) == 2
    page.goto(_mailed_link(live_server))
    page.fill("#id_new_password1", SECOND)
    page.fill("#id_new_password2", SECOND)
    _submit(page)
    _log_in(page, live_server, "wang.fang", SECOND)
    assert page.locator("#account-link").count() == 1
    user = User.objects.get(username="wang.fang")
    assert user.check_password(SECOND) and user.unit_id == world.units["ent"].pk
