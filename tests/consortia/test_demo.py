"""The demo consortium: deterministic, complete, resettable."""

from __future__ import annotations

from django.core.management import call_command

from gongsheng.access.models import User
from gongsheng.consortia.choices import UnitType
from gongsheng.consortia.demo import DEMO_LOGINS, load_demo
from gongsheng.consortia.models import Consortium, Membership, MembershipEvent, Unit


def _state():
    return sorted(
        Membership.objects.filter(consortium__is_demo=True).values_list(
            "consortium__code", "unit__credit_code", "rank", "status", "joined_on", "left_on"
        )
    )


def test_demo_is_realistic_and_resets_to_the_same_state(db):
    load_demo()
    main = Consortium.objects.get(code="binjiang-wind")
    units = Unit.objects.filter(memberships__consortium=main)
    assert 35 <= units.count() <= 50
    assert set(units.values_list("type", flat=True)) == set(UnitType.values)
    assert {main.lead_government.type, main.lead_school.type, main.lead_enterprise.type} == {
        "park_committee", "higher_vocational", "enterprise",
    }  # fmt: skip
    statuses = set(Membership.objects.filter(consortium=main).values_list("status", flat=True))
    assert statuses == {"admitted", "applied", "withdrawn", "expelled"}
    years = {
        d.year
        for d in Membership.objects.filter(consortium=main).values_list("joined_on", flat=True)
        if d
    }
    assert len(years) >= 3
    assert MembershipEvent.objects.filter(kind="rank_changed").exists()
    assert all("演示" in name for name in units.values_list("name", flat=True))
    assert set(User.objects.values_list("username", flat=True)) >= {u for u, _ in DEMO_LOGINS}
    first = _state()
    call_command("demo", verbosity=0)
    assert _state() == first
    assert Consortium.objects.filter(code="binjiang-wind").count() == 1


def test_demo_logins_work_with_the_documented_password(db, client):
    load_demo()
    for username, _ in DEMO_LOGINS:
        response = client.post("/login/", {"username": username, "password": "gongsheng-demo"})
        assert response.status_code == 302, username
        client.post("/logout/")


def test_scale_generates_consortia_and_units_quickly(db):
    from gongsheng.consortia.demo import load_demo

    summary = load_demo(scale=(3, 40))
    assert summary.consortia == 6
    assert Unit.objects.filter(city__startswith="测试市").count() == 120
    supervisor = User.objects.get(username="supervisor")
    assert supervisor.role_assignments.count() == 6
