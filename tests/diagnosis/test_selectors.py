"""Diagnosis selectors: what each view holds, evidence, series, comparisons, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.analytics.symbiosis import BehaviourMode, OrganisationMode
from gongsheng.core.errors import ValidationFailed
from gongsheng.diagnosis import selectors
from gongsheng.diagnosis.types import ACCESS_FULL
from gongsheng.ledger.services import Party
from tests.diagnosis.diag_data import build, post
from tests.support.queries import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    return build(world)


def test_consortium_view_for_the_secretariat(world, data):
    v = selectors.consortium_diagnosis(user=world.users["secretariat"], consortium_id=world.a.pk)
    assert v.access == ACCESS_FULL and v.years == (2024, 2024) and v.cached is False
    assert v.pair_count == 3 and len(v.pairs) == 3
    p = v.pairs.find(data["u"]["ent"], data["u"]["school"])
    assert p.behaviour is BehaviourMode.PARASITISM
    assert p.organisation is OrganisationMode.CONTINUOUS  # the contract covers 2024
    assert p.a_name == "Unit school" and p.in_a == pytest.approx(110)
    assert v.energy == pytest.approx(200)
    assert v.energy_by_group["government"] == pytest.approx(400)
    assert {u.name for u in v.units} == {"Unit gov", "Unit school", "Unit ent", "Unit other"}
    assert {a.kind for a in v.alerts} >= {"free_rider", "parasitic_pair", "inactive_member"}
    again = selectors.consortium_diagnosis(user=world.users["supervisor"], consortium_id=world.a.pk)
    assert again.cached is True and again.as_dict()["pairs"] == v.as_dict()["pairs"]


def test_window_from_settings_and_arguments(world, data):
    from gongsheng.diagnosis.services import settings_update

    sec = world.users["secretariat"]
    post(world, "2025-01-05", Party.unit(data["u"]["ent"]), Party.unit(data["u"]["gov"]), 40)
    v = selectors.consortium_diagnosis(user=sec, consortium_id=world.a.pk)
    assert v.years == (2024, 2025) and [t.year for t in v.trends] == [2024, 2025]
    settings_update(actor=sec, consortium_id=world.a.pk, year_from=2025, year_to=2025)
    v = selectors.consortium_diagnosis(user=sec, consortium_id=world.a.pk)
    assert v.years == (2025, 2025) and v.pair_count == 1
    v = selectors.consortium_diagnosis(
        user=sec, consortium_id=world.a.pk, year_from=2024, year_to=2024
    )
    assert v.pair_count == 3
    with pytest.raises(ValidationFailed, match="year_to"):
        selectors.consortium_diagnosis(
            user=sec, consortium_id=world.a.pk, year_from=2025, year_to=2024
        )


def test_pair_detail_with_evidence(world, data):
    u = data["u"]
    d = selectors.pair_diagnosis(
        user=world.users["secretariat"], consortium_id=world.a.pk, a_id=u["ent"], b_id=u["school"]
    )
    assert (d.a.id, d.b.id) == (u["school"], u["ent"])
    assert d.pools == ["project:diag"]
    values = sorted(e.value for e in d.entries)
    assert values == [Decimal("10.00"), Decimal("100.00"), Decimal("200.00"), Decimal("300.00")]
    assert [(e.source_type, e.source_id, e.title) for e in d.episodes] == [
        ("cooperation.contract", data["contract"].pk, "Training agreement")
    ]
    assert d.pair.reason.startswith("parasitism")


def test_pair_without_cooperation(world, data):
    d = selectors.pair_diagnosis(
        user=world.users["secretariat"],
        consortium_id=world.a.pk,
        a_id=data["u"]["other"],
        b_id=data["u"]["gov"],
    )
    assert d.pair is None and d.pools == [] and list(d.entries) == []


def test_project_participants_make_episodes(world, data):
    from gongsheng.cooperation import services as coop

    sec = world.users["secretariat"]
    p = coop.project_create(
        actor=sec,
        consortium_id=world.a.pk,
        name="Industrial college",
        type="industrial_college",
        lead_unit_id=data["u"]["ent"],
        starts_on=dt.date(2024, 1, 1),
    )
    coop.participant_add(actor=sec, project_id=p.pk, unit_id=data["u"]["gov"])
    for status in ("proposed", "feasibility", "approved"):
        p.refresh_from_db()
        coop.project_move(actor=sec, project_id=p.pk, version=p.version, to_status=status)
    v = selectors.consortium_diagnosis(user=sec, consortium_id=world.a.pk)
    pair = v.pairs.find(data["u"]["ent"], data["u"]["gov"])
    assert pair.organisation is OrganisationMode.INTEGRATED  # a joint body over the window
    d = selectors.pair_diagnosis(
        user=sec, consortium_id=world.a.pk, a_id=data["u"]["ent"], b_id=data["u"]["gov"]
    )
    assert [(e.source_type, e.joint_body) for e in d.episodes] == [("cooperation.project", True)]


def test_province_rows(world, data):
    rows = selectors.province_diagnosis(user=world.users["admin"])
    assert [r.name for r in rows] == ["Consortium A", "Consortium B"]
    assert rows[0].pair_count == 3 and rows[0].alerts["parasitic_pair"] == 1
    rows = selectors.province_diagnosis(user=world.users["unit_admin"])
    assert [(r.name, r.access, r.alerts) for r in rows] == [("Consortium A", "unit", {})]


def test_series_per_year_and_group(world, data, settings):
    # every group of A has fewer than three units: an observer sees none of them by default
    # (their totals would be those units' own figures, decision 0804); the secretariat does
    rows = selectors.diagnosis_series(user=world.users["observer"], consortium_id=world.a.pk)
    assert rows == []
    assert selectors.diagnosis_series(user=world.users["secretariat"], consortium_id=world.a.pk)
    settings.GONGSHENG_MIN_GROUP_UNITS = 1
    rows = selectors.diagnosis_series(user=world.users["observer"], consortium_id=world.a.pk)
    got = {(r.year, r.group): (r.inputs, r.outputs) for r in rows}
    assert got == {
        (2024, "enterprise"): (300.0, 10.0),
        (2024, "government"): (0.0, 400.0),
        (2024, "school"): (110.0, 200.0),
    }


def test_window_comparison(world, data):
    post(world, "2023-05-01", Party.unit(data["u"]["ent"]), Party.unit(data["u"]["gov"]), 40)
    c = selectors.window_comparison(
        user=world.users["secretariat"],
        consortium_id=world.a.pk,
        before=(2023, 2023),
        after=(2024, 2024),
    )
    assert c.before.pair_count == 1 and c.after.pair_count == 3
    assert c.behaviour_change["parasitism"] == 0  # 2023: ent → gov, gov gains: parasitism
    assert c.behaviour_change["commensalism"] == 2
    assert c.energy_change == pytest.approx(200)
    assert "not an estimate" in c.note
    with pytest.raises(ValidationFailed, match="before"):
        selectors.window_comparison(
            user=world.users["secretariat"], consortium_id=world.a.pk, before=(2023,), after=(1, 2)
        )


def test_settings_get_defaults(world):
    s = selectors.settings_get(user=world.users["observer"], consortium_id=world.a.pk)
    assert s.pk is None and s.tolerance == 0.05


def _grow(world, n_units: int):
    """More units, each cooperating with school directly and through a new pool."""
    from gongsheng.consortia.services import unit_create
    from tests.support.world import code

    def grow():
        for k in range(n_units):
            unit = unit_create(
                actor=SYSTEM,
                consortium_id=world.a.pk,
                credit_code=code(500 + k),
                name=f"Grown {k}",
                type="enterprise",
                joined_on=dt.date(2024, 1, 1),
            )
            school = world.units["school"].pk
            post(world, "2024-04-01", Party.unit(unit.pk), Party.unit(school), 7 + k)
            post(world, "2024-04-02", Party.unit(unit.pk), Party.of_pool(f"p{k}"), 5)
            post(world, "2024-04-03", Party.unit(school), Party.of_pool(f"p{k}"), 5)
            post(world, "2024-04-04", Party.of_pool(f"p{k}"), Party.unit(school), 12)

    return grow


def test_query_counts_constant_cold(world, data):
    from gongsheng.diagnosis.models import DiagnosisResult

    sec = world.users["secretariat"]

    def render():
        DiagnosisResult.objects.all().delete()
        return selectors.consortium_diagnosis(user=sec, consortium_id=world.a.pk)

    render()  # the user's roles are loaded once and cached on the user
    assert_constant_queries(render, _grow(world, 6))


def test_query_counts_constant_warm(world, data):
    sec = world.users["secretariat"]

    def render():
        selectors.consortium_diagnosis(user=sec, consortium_id=world.a.pk)  # fill
        return count_queries(
            lambda: selectors.consortium_diagnosis(user=sec, consortium_id=world.a.pk)
        )[0]

    n1 = render()
    _grow(world, 5)()
    assert render() == n1
    assert n1 <= 14  # + the audience asked of the policy, + the confirmations in the stamp


def test_pair_and_province_queries_constant(world, data):
    from gongsheng.diagnosis.models import DiagnosisResult

    sec, admin = world.users["secretariat"], world.users["admin"]
    u = data["u"]

    def render():
        DiagnosisResult.objects.all().delete()
        d = selectors.pair_diagnosis(
            user=sec, consortium_id=world.a.pk, a_id=u["school"], b_id=u["ent"]
        )
        list(d.entries)
        return selectors.province_diagnosis(user=admin)

    render()
    assert_constant_queries(render, _grow(world, 4))
