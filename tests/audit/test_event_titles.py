"""The audit log and 修改历史 show people an event's title, the record's kind, the field's name
and values as labels (是/否, a choice's label), never the codes (issue 13.3)."""

from __future__ import annotations

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.titles import EVENT_TITLES
from gongsheng.consortia import services
from gongsheng.core.registry import _event_names
from tests.support.world import code


def test_every_event_has_a_title():
    missing = sorted(set(_event_names().values()) - set(EVENT_TITLES))
    assert not missing, f"add their titles to audit/titles.py: {missing}"


@pytest.mark.django_db
def test_the_audit_log_shows_titles_kinds_fields_and_labels(world, client):
    services.unit_create(
        actor=SYSTEM,
        consortium_id=world.a.pk,
        credit_code=code(901),
        name="Audited unit",
        type="enterprise",
    )
    client.force_login(world.users["secretariat"])
    client.cookies["django_language"] = "zh-hans"
    body = client.get("/audit/?q=Audited").content.decode()
    assert "创建单位" in body and "UNIT_CREATED" not in body  # the event's title
    assert 'muted">成员单位</span>' in body  # the record's kind: the model's verbose name
    assert "<b>类型</b>" in body  # the field's verbose name
    assert "企业" in body and ">enterprise<" not in body and ": enterprise" not in body
    assert "False" not in body and "True" not in body
