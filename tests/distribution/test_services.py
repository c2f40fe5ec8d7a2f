"""Studies: coalition values from a hand-built ledger, entered values, refusal while missing,
the computed methods against hand-computed numbers, and saving shares into a contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from gongsheng.distribution import services
from gongsheng.distribution.models import CoalitionValue, Study

pytestmark = pytest.mark.django_db
H = 1 / 3
# players: 0 school, 1 ent, 2 gov; masks: school 1, ent 2, gov 4
SHAPLEY = [100 * H + 400 / 6 + 250 / 6 + 800 * H, 200 * H + 500 / 6 + 350 / 6 + 900 * H,
           50 * H + 200 / 6 + 200 / 6 + 600 * H]  # fmt: skip


def values(study):
    return {c.mask: c for c in CoalitionValue.objects.filter(study=study)}


def complete(world, study):
    return services.coalition_values_set(
        actor=world.users["secretariat"], study_id=study.pk, version=study.version,
        values={5: "300", 6: "400"},
    )  # fmt: skip


def test_values_from_the_ledger(world, study):
    v = values(study)
    assert [p.label for p in study.players.all()] == ["Unit school", "Unit ent", "Unit gov"]
    assert study.total == Decimal("1200.00") and study.total_source == "ledger"
    assert (v[1].value, v[1].source, v[1].pools) == (Decimal("100.00"), "ledger", ["solo:school"])
    assert (v[2].value, v[2].source) == (Decimal("200.00"), "ledger")
    assert v[4].value == Decimal("50.00") and v[4].pools == ["solo:gov-1", "solo:gov-2"]
    assert (v[3].value, v[3].pools) == (Decimal("600.00"), ["pair:se"])
    assert v[5].source == v[6].source == "missing" and v[5].value is None
    assert (v[7].value, v[7].source) == (Decimal("1200.00"), "total")
    inputs = [p.input_value for p in study.players.all()]
    assert inputs == [Decimal("60.00"), Decimal("30.00"), Decimal("10.00")]
    entry = AuditEntry.objects.get(event_type=EventType.DISTRIBUTION_STUDY_CREATED)
    assert entry.object_id == study.pk and entry.actor_name == "secretariat"


def test_history_is_scaled_to_the_study_period(world, ledger_project):
    # a two-year history window for a one-year period halves every ledger value
    study = services.study_create(
        actor=world.users["secretariat"], consortium_id=world.a.pk, scope="project",
        project_id=ledger_project.pk, title="Scaled", history_from=dt.date(2024, 1, 1),
    )  # fmt: skip
    v = values(study)
    ratio = Decimal(365) / Decimal(366 + 365)  # 2025 of [2024, 2025]
    assert v[1].value == (Decimal(100) * ratio).quantize(Decimal("0.01"))
    assert v[7].value == Decimal("1200.00")  # the total is not scaled


def test_missing_values_are_refused_and_named(world, study):
    with pytest.raises(ValidationFailed) as exc:
        services.study_compute(actor=world.users["secretariat"], study_id=study.pk)
    assert "{Unit school, Unit gov}" in exc.value.message
    assert "{Unit ent, Unit gov}" in exc.value.message
    assert {e.field for e in exc.value.errors} == {"v_5", "v_6"}
    study.refresh_from_db()
    assert study.results is None


def test_entered_values_are_marked(world, study):
    study = complete(world, study)
    v = values(study)
    assert (v[5].value, v[5].source, v[5].entered_by.username) == (
        Decimal("300.00"), "entered", "secretariat")  # fmt: skip
    assert v[5].entered_at is not None
    entry = AuditEntry.objects.get(event_type=EventType.DISTRIBUTION_VALUES_SET)
    assert entry.after == {"{Unit school, Unit gov}": "300.00", "{Unit ent, Unit gov}": "400.00"}
    with pytest.raises(ValidationFailed) as exc:
        services.coalition_values_set(
            actor=world.users["secretariat"], study_id=study.pk, version=study.version,
            values={7: "5", 6: "abc", 99: "1"},
        )  # fmt: skip
    assert {e.field for e in exc.value.errors} == {"v_7", "v_6", "v_99"}
    with pytest.raises(Conflict):
        services.coalition_values_set(
            actor=world.users["secretariat"], study_id=study.pk, version=1, values={6: "1"}
        )


def test_compute_matches_hand_numbers(world, study):
    study = complete(world, study)
    services.player_factors_set(
        actor=world.users["secretariat"], study_id=study.pk, version=study.version,
        factors={0: {"risk": "1", "effort": "1"}, 1: {"risk": "1", "effort": "1"},
                 2: {"risk": "2", "effort": "1"}},
    )  # fmt: skip
    study = services.study_compute(actor=world.users["secretariat"], study_id=study.pk)
    m = study.results["methods"]
    assert m["shapley"]["values"] == pytest.approx(SHAPLEY)
    assert m["shapley"]["core"]["in_core"] is True
    assert m["nash"]["values"] == pytest.approx([100 + 850 / 3, 200 + 850 / 3, 50 + 850 / 3])
    assert m["input"]["values"] == pytest.approx([720, 360, 120])
    assert study.results["input_shares"] == pytest.approx([0.6, 0.3, 0.1])
    # modified: risk (1,1,2)/4, input (.6,.3,.1), effort 1/3 each; equal weights
    K = [(0.25 + 0.6 + H) / 3, (0.25 + 0.3 + H) / 3, (0.5 + 0.1 + H) / 3]
    expected = [SHAPLEY[i] + (K[i] - H) * 1200 for i in range(3)]
    assert m["modified"]["values"] == pytest.approx(expected)
    assert sum(m["modified"]["values"]) == pytest.approx(1200)
    gaps = [SHAPLEY[i] / 1200 - s for i, s in enumerate([0.6, 0.3, 0.1])]
    assert m["shapley"]["gaps"] == pytest.approx(gaps)
    assert m["shapley"]["flags"] == [True, True, True]
    assert m["input"]["flags"] == [False, False, False]


def test_ahp_weights_and_bad_matrix(world, study):
    study = complete(world, study)
    study = services.player_factors_set(
        actor=world.users["secretariat"], study_id=study.pk, version=study.version,
        factors={i: {"risk": "1", "effort": "1"} for i in range(3)},
    )  # fmt: skip
    study = services.study_update(
        actor=world.users["secretariat"], study_id=study.pk, version=study.version,
        weight_method="ahp", ahp_matrix=[[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]],
    )  # fmt: skip
    study = services.study_compute(actor=world.users["secretariat"], study_id=study.pk)
    w = study.results["methods"]["modified"]["weights"]
    assert w["weights"]["risk"] == pytest.approx(4 / 7)
    assert w["cr"] == pytest.approx(0, abs=1e-9) and w["consistent"] is True
    with pytest.raises(ValidationFailed) as exc:
        services.study_update(
            actor=world.users["secretariat"], study_id=study.pk, version=study.version,
            ahp_matrix=[[1, 2, 4], [2, 1, 2], [0.25, 0.5, 1]],
        )  # fmt: skip
    assert exc.value.errors[0].field == "ahp_matrix" and "reciprocal" in exc.value.errors[0].message


def test_modified_needs_factors_and_partial_powers_refused(world, study):
    study = complete(world, study)
    study = services.player_factors_set(
        actor=world.users["secretariat"], study_id=study.pk, version=study.version,
        factors={0: {"power": "2"}},
    )  # fmt: skip
    study = services.study_compute(actor=world.users["secretariat"], study_id=study.pk)
    m = study.results["methods"]
    assert "risk: Unit school" in m["modified"]["error"]
    assert "Unit ent" in m["nash"]["error"] and "shares" in m["shapley"]


def test_only_the_secretariat_writes(world, study):
    for user in ("unit_admin", "supervisor"):
        with pytest.raises((Forbidden, NotFound)):
            services.study_compute(actor=world.users[user], study_id=study.pk)
    with pytest.raises(NotFound):
        services.study_compute(actor=world.users["other_consortium"], study_id=study.pk)


def test_players_and_period_validated(world):
    with pytest.raises(ValidationFailed) as exc:
        services.study_create(
            actor=world.users["secretariat"], consortium_id=world.a.pk, scope="consortium",
            title="Bad", period_from=dt.date(2025, 1, 1), period_to=dt.date(2024, 1, 1),
        )  # fmt: skip
    assert {e.field for e in exc.value.errors} == {"period_to"}
    with pytest.raises(ValidationFailed) as exc:
        services.study_create(
            actor=world.users["secretariat"], consortium_id=world.a.pk, scope="consortium",
            title="Bad", period_from=dt.date(2025, 1, 1), period_to=dt.date(2025, 12, 31),
            players=[{"unit_ids": [world.units["ent"].pk]},
                     {"unit_ids": [world.units["x"].pk, world.units["ent"].pk]}],
        )  # fmt: skip
    messages = [e.message for e in exc.value.errors]
    assert any("not an admitted member" in m for m in messages)
    assert any("two players" in m for m in messages)
    assert not Study.objects.exists()


def test_consortium_study_with_groups(world, ledger_project):
    u = world.units
    study = services.study_create(
        actor=world.users["secretariat"], consortium_id=world.a.pk, scope="consortium",
        title="Consortium 2025", period_from=dt.date(2025, 1, 1), period_to=dt.date(2025, 12, 31),
        players=[{"label": "Schools", "unit_ids": [u["school"].pk]},
                 {"label": "Industry", "unit_ids": [u["ent"].pk, u["gov"].pk]}],
    )  # fmt: skip
    v = values(study)
    # pools of players only: solo school 100, ent 200, gov 50, pair 600, project 1200
    assert study.total == Decimal("2150.00")
    assert v[1].value == Decimal("100.00")
    assert v[2].value == Decimal("250.00")  # ent's and gov's solo pools: the group alone
    assert v[3].source == "total"
    study = services.study_compute(actor=world.users["secretariat"], study_id=study.pk)
    phi = study.results["methods"]["shapley"]["values"]
    assert phi == pytest.approx([100 + 1800 / 2, 250 + 1800 / 2])


def test_pairwise_game_monte_carlo_beyond_the_exact_limit(world, study, monkeypatch):
    from gongsheng.distribution import compute

    g = services.game_input(complete(world, study))
    g.pairwise = True
    exact = compute.compute(g)
    monkeypatch.setattr(g, "max_exact", 2)
    g.samples = 4000
    mc = compute.compute(g)
    assert mc["exact"] is False and mc["methods"]["shapley"]["core"] is None
    se = mc["methods"]["shapley"]["standard_errors"]
    assert all(s > 0 for s in se)
    for a, b, s in zip(mc["methods"]["shapley"]["values"], exact["methods"]["shapley"]["values"],
                       se, strict=True):  # fmt: skip
        assert abs(a - b) < 5 * s + 1e-9
    assert exact["methods"]["shapley"]["values"] == pytest.approx(SHAPLEY)  # 3 players: same game


def test_entered_total(world, ledger_project):
    kw = {"actor": world.users["secretariat"], "consortium_id": world.a.pk, "scope": "project",
          "project_id": ledger_project.pk, "title": "Entered"}  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        services.study_create(**kw, total="abc")
    assert [(e.field, e.message) for e in exc.value.errors] == [("total", "not a number")]
    study = services.study_create(**kw, total="5000")
    assert (study.total, study.total_source) == (Decimal("5000.00"), "entered")
    assert CoalitionValue.objects.get(study=study, mask=7).value == Decimal("5000.00")
