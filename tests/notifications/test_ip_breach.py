"""An IP rule breach tells the secretariat and the asset owners' unit admins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from gongsheng.cooperation import services
from gongsheng.notifications.models import Notification
from tests.cooperation.conftest import coop, project  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_a_transfer_without_consent_notifies_the_secretariat_and_the_owners(world, coop):  # noqa: F811
    asset = coop["ip commissioned"]
    services.ip_action_record(
        actor=world.users["secretariat"], asset_id=asset.pk, unit_id=world.units["school"].pk,
        action="transfer", on=dt.date(2025, 3, 1), counterparty_id=world.units["other"].pk,
    )  # fmt: skip
    notes = Notification.objects.filter(event="ip.breach")
    owners = {o.unit_id for o in asset.owners.all()}
    expected = {
        u.username
        for u in world.users.values()
        if u.username != "secretariat"  # the actor is not told of their own act
        and u.unit_id in owners
        and u.role_assignments.filter(role="unit_admin", consortium=world.a).exists()
    }
    assert {n.recipient.username for n in notes} == expected and expected
    with translation.override("zh-hans"):
        title, body = notes[0].render()
    assert str(asset) in title and "859" in body
