"""Invitation, password change and reset, deactivation and the tokens page, end to end through
the pages with Django's mail outbox; every step's audit entries."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from gongsheng.access.invitations import InvitationTokenGenerator
from gongsheng.access.models import ApiToken, User
from gongsheng.audit.models import AuditEntry
from tests.support.world import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Wind-turbine-42"


def _events(user):
    return list(
        AuditEntry.objects.filter(object_id=user.pk, content_type__model="user")
        .order_by("pk")
        .values_list("event_type", flat=True)
    )


def _logs_in(username: str, password: str) -> bool:
    from django.test import Client

    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302


def _api_me(raw: str) -> int:
    from django.test import Client

    return Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code


def _link(message) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found, message.body
    return found.group(0).split("testserver", 1)[1]


def _invite(client, world, **extra):
    client.force_login(world.users["secretariat"])
    data = {"username": "li.na", "display_name": "李娜", "email": "li.na@example.cn",
            "role": "unit_member", "unit": world.units["ent"].pk, **extra}  # fmt: skip
    response = client.post(f"/consortia/{world.a.pk}/people/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()
    return User.objects.get(username="li.na")


def test_invite_set_password_log_in_once(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        person = _invite(client, world)
    assert not person.has_usable_password()
    assert [m.to for m in mail.outbox] == [["li.na@example.cn"]]
    link = _link(mail.outbox[0])
    assert link.startswith("/invitation/")
    assert not _logs_in("li.na", NEW_PASSWORD)

    page = client.get(link)
    assert page.status_code == 200 and "li.na" in page.content.decode()
    weak = client.post(link, {"new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 422 and "errorlist" in weak.content.decode()
    done = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/login/"

    response = client.post("/login/", {"username": "li.na", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
    client.logout()
    # single use: the same link no longer works, and changes nothing
    again = client.post(link, {"new_password1": "Other-pass-99", "new_password2": "Other-pass-99"})
    assert again.status_code == 404
    assert User.objects.get(pk=person.pk).check_password(NEW_PASSWORD)
    assert _events(person) == [250, 252]  # invited, invitation accepted
    granted = AuditEntry.objects.filter(event_type=211).order_by("pk").last()
    assert granted.after["role"] == "unit_member" and granted.actor_name == "secretariat"


def test_an_invitation_expires(world, client, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world)
    link = _link(mail.outbox[0])
    real_now = InvitationTokenGenerator._now
    monkeypatch.setattr(
        InvitationTokenGenerator,
        "_now",
        lambda self: real_now(self) + __import__("datetime").timedelta(days=8),
    )
    assert client.get(link).status_code == 404
    assert client.get("/invitation/MTIz/garbage-token/").status_code == 404
    assert client.get("/invitation/!!!/x-y/").status_code == 404


def test_a_resent_invitation_and_a_deactivated_invitee(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = _invite(client, world)
        client.force_login(world.users["secretariat"])
        assert client.post(f"/people/{person.pk}/invite-again/").status_code == 302
    assert len(mail.outbox) == 2
    assert client.post(f"/people/{person.pk}/deactivate/").status_code == 302
    client.logout()
    assert client.get(_link(mail.outbox[1])).status_code == 404  # a deactivated invitee
    assert _events(person) == [250, 251, 253]


def test_bad_invitations_name_the_field_and_change_nothing(world, client):
    client.force_login(world.users["secretariat"])
    url = f"/consortia/{world.a.pk}/people/"
    base = {"username": "n1", "email": "n1@example.cn", "role": "unit_member",
            "unit": world.units["ent"].pk}  # fmt: skip
    cases = [
        ({"username": "unit_admin"}, "username"),  # taken
        ({"email": "not-an-address"}, "email"),
        ({"unit": ""}, "unit"),  # a unit role without a unit
        ({"unit": world.units["x"].pk}, "unit"),  # consortium B's unit
        ({"role": "nonsense"}, "role"),
    ]
    count = User.objects.count()
    for change, field in cases:
        response = client.post(url, {**base, **change})
        assert response.status_code == 422, change
        body = response.content.decode()
        assert re.search(rf'id_{field}".*?errorlist|errorlist', body, re.S), (change, body)
    assert User.objects.count() == count


def test_password_change_is_audited(world, client):
    user = world.users["unit_member"]
    client.force_login(user)
    bad = client.post("/account/password/", {"old_password": "wrong", "new_password1": NEW_PASSWORD,
                                              "new_password2": NEW_PASSWORD})  # fmt: skip
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    response = client.post("/account/password/", {"old_password": PASSWORD,
                           "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})  # fmt: skip
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200  # still logged in
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    assert _events(user)[-1] == 255


def test_forgotten_password_by_mail(world, client):
    user = world.users["unit_member"]
    user.email = "member@example.cn"
    user.save(update_fields=["email"])
    assert "/password/reset/" in client.get("/login/").content.decode()
    response = client.post("/password/reset/", {"email": "member@example.cn"})
    assert response.status_code == 302
    client.post("/password/reset/", {"email": "nobody-here@example.cn"})  # says nothing more
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert _logs_in("unit_member", NEW_PASSWORD)
    assert _events(user)[-1] == 256
    client.logout()
    used = client.get(link, follow=True).content.decode()
    assert "此链接不可用" in used and 'name="new_password1"' not in used  # used once


def test_a_deactivated_user_is_out_everywhere(world, client):
    from gongsheng.access.services import token_create

    person = world.users["unit_member"]
    _token, raw = token_create(actor=person, user=person, name="script")
    assert _api_me(raw) == 200
    member = client.__class__()
    member.force_login(person)
    assert member.get("/account/").status_code == 200

    client.force_login(world.users["unit_admin"])
    assert client.post(f"/people/{person.pk}/deactivate/").status_code == 302
    assert member.get("/account/").status_code == 302  # the session ends
    assert _api_me(raw) == 401
    assert not _logs_in("unit_member", PASSWORD)
    assert User.objects.filter(pk=person.pk).exists()  # deactivated, not deleted
    assert client.post(f"/people/{person.pk}/reactivate/").status_code == 302
    assert _api_me(raw) == 200
    assert _events(person)[-2:] == [253, 254]
    entry = AuditEntry.objects.filter(event_type=253).get()
    assert entry.before["is_active"] is True and entry.after["is_active"] is False


def test_nobody_deactivates_themselves(world, client):
    client.force_login(world.users["secretariat"])
    me = world.users["secretariat"]
    response = client.post(f"/people/{me.pk}/deactivate/")
    assert response.status_code in (403, 422)
    assert User.objects.get(pk=me.pk).is_active


def test_my_tokens_page(world, client):
    user = world.users["unit_admin"]
    client.force_login(user)
    assert client.post("/account/", {"name": ""}).status_code == 422
    response = client.post("/account/", {"name": "报表脚本", "expires_in_days": "30"})
    assert response.status_code == 200
    raw = re.search(r"<code>(gs_[^<]+)</code>", response.content.decode()).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.name == "报表脚本" and token.expires_at is not None
    assert _api_me(raw) == 200
    page = client.get("/account/").content.decode()
    assert "报表脚本" in page and raw not in page  # the key is shown once
    # someone else's token: not found, and it keeps working
    other = world.users["secretariat"]
    client.force_login(other)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert "报表脚本" not in client.get("/account/").content.decode()
    client.force_login(user)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert _api_me(raw) == 401
    assert list(
        AuditEntry.objects.filter(object_id=token.pk, content_type__model="apitoken")
        .order_by("pk")
        .values_list("event_type", flat=True)
    ) == [221, 222]
