"""Access matrix of modelling scenarios (role × scenario of own consortium / other consortium),
and the exact audit entries of the scenario services."""

from __future__ import annotations

import pytest

from gongsheng.access.scope import scope
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import Conflict, Forbidden, NotFound
from gongsheng.modelling import services
from gongsheng.modelling.models import Scenario

pytestmark = pytest.mark.django_db

ROLES = [
    "admin", "secretariat", "supervisor", "observer", "unit_admin", "unit_member",
    "school_admin", "other_consortium", "nobody",
]  # fmt: skip
# V = view, C = view contents, W = change / delete; scenarios are consortium-wide records
MATRIX = {
    #                 admin  sec    sup   obs  uadm  umem  sadm  othc  nobody
    "scenario A":   ["VCW", "VCW", "VC", "",  "VC", "VC", "VC", "",   ""],
    "scenario B":   ["VCW", "",    "",   "",  "",   "",   "",   "VC", ""],
}  # fmt: skip
GAME = {"p_e": 3, "grid": 2, "bracket_hi": 5}


def _allowed(user, obj) -> str:
    base = Scenario.objects.filter(pk=obj.pk)
    out = ""
    for action, letter in (("view", "V"), ("view_contents", "C"), ("change", "W")):
        if scope(user, base, action).exists():
            out += letter
    return out


@pytest.fixture
def scenarios(world):
    a = services.scenario_save(actor=world.users["secretariat"], consortium_id=world.a.pk,
                               kind="game", name="A", data=GAME)  # fmt: skip
    b = services.scenario_save(actor=world.users["admin"],
                               consortium_id=world.b.pk, kind="game", name="B", data=GAME)  # fmt: skip
    return {"scenario A": a, "scenario B": b}


@pytest.mark.parametrize("record", list(MATRIX))
def test_access_matrix(world, scenarios, record):
    got = [_allowed(world.users[role], scenarios[record]) for role in ROLES]
    mismatches = [
        f"{role}: expected {exp or '-'}, got {g or '-'}"
        for role, exp, g in zip(ROLES, MATRIX[record], got, strict=True)
        if exp != g
    ]
    assert not mismatches, f"{record}: " + "; ".join(mismatches)


class TestServices:
    def test_save_audits_inputs_and_keeps_the_rerun_result(self, world):
        s = services.scenario_save(
            actor=world.users["secretariat"], consortium_id=world.a.pk, kind="game",
            name="  Penalty 3  ", note="n", data=GAME,
        )  # fmt: skip
        assert (
            s.name == "Penalty 3" and s.version == 1 and s.created_by == world.users["secretariat"]
        )
        assert s.result["ess"] == ["(1, 1, 1)"] and s.inputs["params"]["p_e"] == 3.0
        (entry,) = AuditEntry.objects.filter(event_type=EventType.SCENARIO_SAVED)
        assert entry.consortium_id == world.a.pk and entry.object_id == s.pk
        assert entry.after["name"] == "Penalty 3" and entry.after["inputs"]["params"]["p_e"] == 3.0
        assert entry.actor_name == "secretariat"

    def test_update_checks_the_version_and_audits_before_and_after(self, world):
        sec = world.users["secretariat"]
        s = services.scenario_save(actor=sec, consortium_id=world.a.pk, kind="game", name="x",
                                   data=GAME)  # fmt: skip
        services.scenario_update(actor=sec, scenario_id=s.pk, version=1, name="y")
        (entry,) = AuditEntry.objects.filter(event_type=EventType.SCENARIO_CHANGED)
        assert (entry.before["name"], entry.after["name"]) == ("x", "y")
        with pytest.raises(Conflict):
            services.scenario_update(actor=sec, scenario_id=s.pk, version=1, name="z")
        same = services.scenario_update(actor=sec, scenario_id=s.pk, version=2, name="y")
        assert same.version == 2  # nothing changed: no new version, no audit entry
        assert AuditEntry.objects.filter(event_type=EventType.SCENARIO_CHANGED).count() == 1

    @pytest.mark.parametrize(("role", "error"), [
        ("supervisor", Forbidden), ("unit_admin", Forbidden), ("observer", Forbidden),
        ("other_consortium", NotFound),
    ])  # fmt: skip
    def test_only_the_secretariat_saves(self, world, role, error):
        with pytest.raises(error):
            services.scenario_save(actor=world.users[role], consortium_id=world.a.pk,
                                   kind="game", name="x", data=GAME)  # fmt: skip
        assert not Scenario.objects.exists()

    def test_delete_is_audited(self, world):
        sec = world.users["secretariat"]
        s = services.scenario_save(actor=sec, consortium_id=world.a.pk, kind="game", name="x",
                                   data=GAME)  # fmt: skip
        with pytest.raises(Forbidden):
            services.scenario_delete(actor=world.users["supervisor"], scenario_id=s.pk)
        services.scenario_delete(actor=sec, scenario_id=s.pk)
        assert not Scenario.objects.exists()
        (entry,) = AuditEntry.objects.filter(event_type=EventType.SCENARIO_DELETED)
        assert entry.before["name"] == "x" and entry.after in (None, {})
