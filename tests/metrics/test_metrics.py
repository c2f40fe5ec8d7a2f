"""The metric registry: each metric moves by exactly what a change of the data adds, the
numbers come only from what the user may see, and the queries do not grow with units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia import services as consortia
from gongsheng.cooperation import services as coop
from gongsheng.core.errors import NotFound, ValidationFailed
from gongsheng.ledger.services import Party, entry_create, entry_reverse
from gongsheng.metrics.registry import compute, compute_all, registered
from gongsheng.sharing import services as sharing
from tests.sharing.support import at, make_resource, price
from tests.support.queries import count_queries
from tests.support.world import code

D = Decimal
Y = 2025
NAMES = {
    "contracts_signed", "enterprise_inputs", "government_inputs", "members_admitted",
    "pairs_in_target_state", "projects_accepted", "school_inputs", "shared_resource_hours",
}  # fmt: skip


def values(world, user="secretariat", year=Y) -> dict[str, Decimal]:
    results = compute_all(
        user=world.users[user], consortium_ids=[world.a.pk], year_from=year, year_to=year
    )
    return {r.metric.name: r.value(consortium_id=world.a.pk, year=year) for r in results}


def moved(before, after) -> dict[str, Decimal]:
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


def post(world, giver, receiver, qty, day=dt.date(Y, 3, 1), **kw):
    u = world.units
    return entry_create(
        actor=SYSTEM, consortium_id=world.a.pk, date=day, category="money", quantity=D(qty),
        giver=Party.unit(u[giver].pk), receiver=Party.unit(u[receiver].pk), **kw,
    )  # fmt: skip


def test_every_metric_is_documented():
    assert {m.name for m in registered()} == NAMES
    for m in registered():
        assert all(str(x) for x in (m.label, m.unit, m.source, m.description)), m.name


@pytest.mark.parametrize(
    ("giver", "metric"),
    [("ent", "enterprise_inputs"), ("school", "school_inputs"), ("gov", "government_inputs")],
)
def test_a_ledger_input_moves_its_metric(world, giver, metric):
    receiver = "other" if giver != "other" else "ent"
    before = values(world)
    entry = post(world, giver, receiver, "1250.50")
    assert moved(before, values(world)) == {metric: D("1250.50")}
    post(world, giver, receiver, "99", day=dt.date(Y - 1, 12, 31))  # another year
    assert moved(before, values(world)) == {metric: D("1250.50")}
    entry_reverse(actor=world.users["secretariat"], entry_id=entry.pk)
    assert moved(before, values(world)) == {}


def test_a_booking_that_took_place_moves_the_hours(world):
    price(world.a)  # 100 CNY per hour of facility use
    resource = make_resource(world)
    day = dt.date(Y, 5, 7)  # a Wednesday
    then = at(day, 8) - dt.timedelta(days=7)
    before = values(world)
    b = sharing.booking_create(
        actor=world.users["school_admin"], resource_id=resource.pk,
        start=at(day, 9), end=at(day, 11, 30), now=then,
    )  # fmt: skip
    assert moved(before, values(world)) == {}  # pending: not used
    sharing.booking_approve(actor=world.users["unit_admin"], booking_id=b.pk, version=1, now=then)
    # 2.5 hours used; approving posted the host's input (ent, an enterprise) to the ledger
    assert moved(before, values(world)) == {
        "shared_resource_hours": D("2.50"),
        "enterprise_inputs": D("250.00"),
    }
    result = compute("shared_resource_hours", user=world.users["secretariat"],
                     consortium_ids=[world.a.pk], year_from=Y, year_to=Y)  # fmt: skip
    assert result.by_unit == {(world.a.pk, world.units["school"].pk, Y): D("2.50")}


def test_a_project_accepted_moves_its_metric(world):
    sec = world.users["secretariat"]
    p = coop.project_create(actor=sec, consortium_id=world.a.pk, name="Line upgrade",
                            type="joint_rd", lead_unit_id=world.units["ent"].pk)  # fmt: skip
    before = values(world)
    steps = ["proposed", "feasibility", "approved", "contracted", "in_progress", "acceptance"]
    for status in steps:
        p = coop.project_move(actor=sec, project_id=p.pk, to_status=status, version=p.version,
                              on=dt.date(Y, 6, 1))  # fmt: skip
        if status != "acceptance":
            assert moved(before, values(world)) == {}
    assert moved(before, values(world)) == {"projects_accepted": D(1)}
    coop.project_move(actor=sec, project_id=p.pk, to_status="closed", version=p.version,
                      on=dt.date(Y, 7, 1))  # fmt: skip
    assert moved(before, values(world)) == {"projects_accepted": D(1)}  # counted once
    r = compute("projects_accepted", user=sec, consortium_ids=[world.a.pk], year_from=Y,
                year_to=Y)  # fmt: skip
    assert r.by_unit == {(world.a.pk, world.units["ent"].pk, Y): D(1)}


def test_a_contract_signed_moves_its_metric(world):
    sec = world.users["secretariat"]
    u = world.units
    parties = [{"unit_id": u["ent"].pk, "role": "commissioning"},
               {"unit_id": u["school"].pk, "role": "developer"}]  # fmt: skip
    before = values(world)
    coop.contract_create(actor=sec, consortium_id=world.a.pk, title="Draft", type="framework",
                         status="draft", signed_on=dt.date(Y, 4, 1), parties=parties)  # fmt: skip
    assert moved(before, values(world)) == {}
    coop.contract_create(actor=sec, consortium_id=world.a.pk, title="Signed", type="framework",
                         status="in_force", signed_on=dt.date(Y, 4, 1), parties=parties)  # fmt: skip
    assert moved(before, values(world)) == {"contracts_signed": D(1)}


def test_a_member_admitted_moves_its_metric(world):
    sec = world.users["secretariat"]
    unit = consortia.unit_create(actor=SYSTEM, credit_code=code(77), name="Newcomer",
                                 type="enterprise")  # fmt: skip
    before = values(world)
    m = consortia.membership_create(actor=sec, consortium_id=world.a.pk, unit_id=unit.pk,
                                    applied_on=dt.date(Y, 2, 1))  # fmt: skip
    assert moved(before, values(world)) == {}  # an application is not an admission
    consortia.membership_transition(actor=sec, membership_id=m.pk, to_status="admitted",
                                    on=dt.date(Y, 3, 15))  # fmt: skip
    assert moved(before, values(world)) == {"members_admitted": D(1)}


def test_numbers_come_only_from_what_the_user_may_see(world, settings):
    post(world, "ent", "school", "1000")
    post(world, "other", "school", "300")
    post(world, "ent", "other", "70", confidential=True)
    a = world.a.pk
    ent, other = world.units["ent"].pk, world.units["other"].pk

    def seen(user):
        r = compute("enterprise_inputs", user=world.users[user], consortium_ids=[a],
                    year_from=Y, year_to=Y)  # fmt: skip
        return r.value(consortium_id=a, year=Y), r.by_unit

    assert seen("secretariat") == (D(1370), {(a, ent, Y): D(1070), (a, other, Y): D(300)})
    assert seen("supervisor") == seen("secretariat")  # decision 0301: supervisors see all
    # an observer: the consortium's total of what is not confidential, no unit, and only
    # totals of at least GONGSHENG_MIN_GROUP_UNITS giving units (default 3; decision 0804)
    assert seen("observer") == (D(0), {})
    settings.GONGSHENG_MIN_GROUP_UNITS = 2
    assert seen("observer") == (D(1300), {})
    # a unit: its own flows only (the confidential one is its own)
    assert seen("unit_admin") == (D(1070), {(a, ent, Y): D(1070)})
    assert seen("school_admin") == (D(1300), {(a, ent, Y): D(1000), (a, other, Y): D(300)})
    assert seen("other_consortium") == (D(0), {})
    assert seen("nobody") == (D(0), {})
    assert seen("admin") == seen("secretariat")


def test_result_shapes_and_window_checks(world):
    post(world, "ent", "school", "10", day=dt.date(Y - 1, 1, 1))
    post(world, "ent", "school", "5", day=dt.date(Y, 1, 1))
    r = compute("enterprise_inputs", user=world.users["secretariat"], consortium_ids=None,
                year_from=Y - 2, year_to=Y)  # fmt: skip
    assert r.by_year == {Y - 2: D(0), Y - 1: D(10), Y: D(5)}
    assert r.by_consortium == {(world.a.pk, Y - 1): D(10), (world.a.pk, Y): D(5)}
    for kw, field in [({"year_from": "x", "year_to": Y}, "year_from"),
                      ({"year_from": Y, "year_to": 3000}, "year_to"),
                      ({"year_from": Y, "year_to": Y - 1}, "year_from"),
                      ({"year_from": 1995, "year_to": 2030}, "year_to")]:  # fmt: skip
        with pytest.raises(ValidationFailed) as exc:
            compute("enterprise_inputs", user=world.users["secretariat"], consortium_ids=None,
                    **kw)  # fmt: skip
        assert exc.value.errors[0].field == field
    with pytest.raises(NotFound):
        compute("graduates_employed_locally", user=world.users["secretariat"],
                consortium_ids=None, year_from=Y, year_to=Y)  # fmt: skip


def test_queries_do_not_grow_with_units(world):
    user = world.users["secretariat"]

    def run():
        return compute_all(user=user, consortium_ids=[world.a.pk], year_from=Y - 1, year_to=Y)

    run()  # the user's roles are loaded once
    n1, _, _ = count_queries(run)
    for i in range(5):
        unit = consortia.unit_create(actor=SYSTEM, consortium_id=world.a.pk,
                                     credit_code=code(200 + i), name=f"Firm {i}",
                                     type="enterprise", joined_on=dt.date(Y, 1, 2))  # fmt: skip
        entry_create(actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(Y, 2, 1),
                     category="money", quantity=D(1), giver=Party.unit(unit.pk),
                     receiver=Party.unit(world.units["school"].pk))  # fmt: skip
    n2, sql, results = count_queries(run)
    # one query per metric, and one look-up of flows waiting for their giver's confirmation
    # per ledger metric (decision 0804)
    assert n1 == n2 == len(NAMES) + 3, sql
    by_name = {r.metric.name: r for r in results}
    assert by_name["enterprise_inputs"].value(year=Y) == D(5)
    assert by_name["members_admitted"].value(year=Y) == D(5)


def test_pairs_in_the_target_state_come_from_the_stored_diagnosis(world):
    """School and ent each put 100 a month into a shared pool that pays each 150 back
    (symmetric mutualism) under a contract in force all year (integrated, with the
    consortium's thresholds lowered to one dimension): one pair in the target state."""
    from gongsheng.cooperation.services import contract_create
    from gongsheng.diagnosis import services as diagnosis

    u = {k: v.pk for k, v in world.units.items()}
    year = 2024

    def target(user="secretariat"):
        r = compute("pairs_in_target_state", user=world.users[user],
                    consortium_ids=[world.a.pk, world.b.pk], year_from=year, year_to=year)  # fmt: skip
        return r.rows

    def party(k):
        return Party.of_pool("project:joint") if k == "pool" else Party.unit(u[k])

    for month in range(1, 13):
        for giver, receiver, qty in [("ent", "pool", 100), ("school", "pool", 100),
                                     ("pool", "ent", 150), ("pool", "school", 150)]:  # fmt: skip
            entry_create(actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(year, month, 1),
                         category="money", quantity=D(qty), giver=party(giver),
                         receiver=party(receiver))  # fmt: skip
    contract_create(actor=SYSTEM, consortium_id=world.a.pk, title="Joint college",
                    type="talent_training", status="in_force", starts_on=dt.date(year, 1, 1),
                    ends_on=dt.date(year, 12, 31),
                    parties=[{"unit_id": u["ent"], "role": "enterprise"},
                             {"unit_id": u["school"], "role": "school"}])  # fmt: skip
    diagnosis.settings_update(actor=SYSTEM, consortium_id=world.a.pk, min_dimensions=1,
                              joint_body_share=0.01, continuous_share=0.01)  # fmt: skip
    assert target() == ()  # never computed: no value, and the metric does not compute it
    diagnosis.diagnosis_result(consortium_id=world.a.pk, year_from=year, year_to=year)
    rows = target()
    assert [(r.consortium_id, r.unit_id, r.year, r.value) for r in rows] == [
        (world.a.pk, None, year, D(1))
    ]
    # an observer reads the members' diagnosis (decision 0804): none stored yet, no value
    assert target("observer") == ()
    diagnosis.diagnosis_result(
        consortium_id=world.a.pk, year_from=year, year_to=year, audience="members"
    )
    assert target("observer") == rows  # a consortium total: every role sees it
    assert target("other_consortium") == ()
    # the data changes: the stored diagnosis is stale and is not read until recomputed
    entry_create(actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(year, 6, 2),
                 category="money", quantity=D(1), giver=party("gov"),
                 receiver=party("school"))  # fmt: skip
    assert target() == ()
    diagnosis.diagnosis_result(consortium_id=world.a.pk, year_from=year, year_to=year)
    assert [r.value for r in target()] == [D(1)]
