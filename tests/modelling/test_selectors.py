"""The modelling selectors over the ledger: a series generated from a known Logistic system is
fitted back within its standard errors; too short a series says how many more periods it needs;
the game's prefill is the policies' amounts; the ESS of a known parameter set."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.core.errors import Forbidden, NotFound, ValidationFailed
from gongsheng.ledger.services import Party, entry_create
from gongsheng.modelling import selectors
from gongsheng.modelling.choices import ScenarioKind
from tests.environment.support import make_policy
from tests.modelling.support import FIRST_YEAR, TRUE, post_outputs, synthetic_series

pytestmark = pytest.mark.django_db


def _fit(world, user="secretariat", **kw):
    inputs = {"groups": ["school", "enterprise"], "quality": "outputs", "measure": "per_year"}
    inputs.update(kw)
    return selectors.logistic(user=world.users[user], consortium_id=world.a.pk, **inputs)


class TestSeries:
    def test_groups_by_year_from_the_ledger(self, world):
        X = synthetic_series(6)
        post_outputs(world, X)
        s = selectors.group_series(user=world.users["secretariat"], consortium_id=world.a.pk)
        assert s.years == list(range(FIRST_YEAR, FIRST_YEAR + 6))
        np.testing.assert_allclose(s.outputs["school"], X[:, 0], rtol=1e-12)
        np.testing.assert_allclose(s.outputs["enterprise"], X[:, 1], rtol=1e-12)
        assert s.inputs["school"] == [0.0] * 6 and s.source == "diagnosis"

    def test_a_member_unit_sees_the_consortium_totals(self, world, settings):
        X = synthetic_series(5)
        post_outputs(world, X)
        # the school group is one unit: its series is that unit's own, hidden by default from
        # other units (GONGSHENG_MIN_GROUP_UNITS = 3, decision 0804)
        s = selectors.group_series(user=world.users["unit_admin"], consortium_id=world.a.pk)
        assert "school" not in s.outputs
        settings.GONGSHENG_MIN_GROUP_UNITS = 1
        s = selectors.group_series(user=world.users["unit_admin"], consortium_id=world.a.pk)
        np.testing.assert_allclose(s.outputs["school"], X[:, 0], rtol=1e-12)


class TestLogisticFit:
    def test_known_system_is_fitted_back_within_its_standard_errors(self, world):
        post_outputs(world, synthetic_series(14))
        out = _fit(world)
        assert out["status"] == "fitted" and out["success"]
        est = np.r_[out["r"], out["N"], out["A"][0][1], out["A"][1][0]]
        se = np.r_[out["se_r"], out["se_N"], out["se_A"][0][1], out["se_A"][1][0]]
        true = np.r_[TRUE.r, TRUE.N, TRUE.A[0, 1], TRUE.A[1, 0]]
        assert np.all(np.isfinite(se)) and np.all(se > 0)
        assert np.all(np.abs(est - true) <= 2 * se), (est, se)
        # both effects significantly positive and different: asymmetric mutualism
        (pair,) = out["pairs"]
        assert pair["significant_ij"] and pair["significant_ji"]
        assert pair["mode"] == "asymmetric_mutualism"
        eq = out["equilibrium"]
        assert eq["status"] == "feasible" and eq["stable"]
        true_x = TRUE.equilibrium().x
        lo, hi = out["uncertainty"]["x_lo"], out["uncertainty"]["x_hi"]
        assert out["uncertainty"]["share_stable"] == 1.0
        assert all(lo[i] - 0.02 * true_x[i] <= true_x[i] <= hi[i] + 0.02 * true_x[i]
                   for i in range(2))  # fmt: skip
        assert out["surplus"] == pytest.approx(TRUE.surplus(), rel=0.05)

    @pytest.mark.parametrize(("years", "groups", "more"), [
        (3, ["school", "enterprise"], 2),   # 2 groups: 8 parameters, T·2 > 8 needs T >= 5
        (4, ["school", "enterprise"], 1),
        (5, ["government", "school", "enterprise"], 1),  # 3 groups: 15 parameters, T >= 6
    ])  # fmt: skip
    def test_not_enough_periods_says_how_many_more(self, world, years, groups, more):
        X = synthetic_series(years)
        post_outputs(world, X)
        if "government" in groups:
            for k in range(years):
                entry_create(
                    actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(FIRST_YEAR + k, 3, 1),
                    category="money", quantity=Decimal("1000"), giver=Party.outside(),
                    receiver=Party.unit(world.units["gov"].pk),
                )  # fmt: skip
        out = _fit(world, groups=groups)
        n = len(groups)
        assert out["status"] == "not_enough_periods"
        assert out["parameters"] == n * (n + 2)
        assert out["periods"] == years and out["periods_needed"] == n + 3
        assert out["more_periods"] == more

    def test_years_with_a_non_positive_value_do_not_count(self, world):
        post_outputs(world, synthetic_series(6))
        out = _fit(world, quality="net", year_from=FIRST_YEAR)
        # outputs only, so net = outputs > 0 everywhere: all usable
        assert out["periods"] == 6
        out = _fit(world, quality="inputs")
        assert out["status"] == "not_enough_periods" and out["periods"] == 0
        assert len(out["dropped"]) == 6 and out["more_periods"] == 5

    def test_window(self, world):
        post_outputs(world, synthetic_series(8))
        out = _fit(world, year_from=FIRST_YEAR + 2, year_to=FIRST_YEAR + 5)
        assert out["years"] == list(range(FIRST_YEAR + 2, FIRST_YEAR + 6))
        assert out["status"] == "not_enough_periods" and out["more_periods"] == 1

    def test_bad_inputs_name_the_field(self, world):
        with pytest.raises(ValidationFailed) as exc:
            selectors.run_inputs(ScenarioKind.LOGISTIC, {"groups": ["school"], "quality": "x",
                                                         "measure": "per_year"})  # fmt: skip
        fields = {e.field for e in exc.value.errors}
        assert fields == {"groups", "quality"}


class TestGame:
    def test_prefill_is_the_hand_summed_policy_amounts(self, world):
        a = make_policy(world, title="Apprentice subsidy", instrument="subsidy",
                        target_groups=["enterprise"], amount="100000")  # fmt: skip
        b = make_policy(world, title="Training subsidy", instrument="subsidy",
                        target_groups=["enterprise"], amount="50000")  # fmt: skip
        c = make_policy(world, title="School reward", kind="finance", instrument="reward",
                        target_groups=["school"], amount="30000")  # fmt: skip
        make_policy(world, world.b, title="Other consortium", amount="999999")
        p = selectors.game_prefill(
            user=world.users["secretariat"], consortium_id=world.a.pk, year=2025
        )
        assert p.amounts_cny["g_e"] == pytest.approx(150_000.0)
        assert p.values["g_e"] == pytest.approx(15.0)  # in 万元
        assert {s["id"] for s in p.sources["g_e"]} == {a.pk, b.pk}
        assert p.amounts_cny["g_s"] == pytest.approx(30_000.0)
        assert [s["id"] for s in p.sources["g_s"]] == [c.pk]
        assert p.values["p_e"] == 0.0 and p.sources["p_e"] == []
        p1 = selectors.game_prefill(
            user=world.users["secretariat"], consortium_id=world.a.pk, year=2025, scale=1
        )
        assert p1.values["g_e"] == pytest.approx(150_000.0)

    def test_ess_and_threshold_of_the_illustrative_parameters(self, world):
        inputs = selectors.run_inputs(ScenarioKind.GAME, {
            "delta_r": 10, "alpha": 0.4, "c_s": 3, "c_e": 4, "s_s": 1, "s_e": 1.5, "g_s": 1,
            "g_e": 1, "t": 0.5, "p_s": 1, "p_e": 1, "c_g": 2, "l": 6, "sweep_param": "p_e",
            "bracket_hi": 10, "grid": 4, "scale": 10000,
        })  # fmt: skip
        out = selectors.run(user=world.users["supervisor"], consortium_id=world.a.pk,
                            kind=ScenarioKind.GAME, inputs=inputs)  # fmt: skip
        # MODELS.md / decision 0204: (0, 0, 1) and (1, 1, 1) are ESS; removing (0, 0, 1)
        # needs P_e > C_e − G_e − T = 2.5
        assert out["ess"] == ["(0, 0, 1)", "(1, 1, 1)"] and not out["cooperative_only"]
        pe = next(t for t in out["thresholds"] if t["param"] == "p_e")
        assert pe["threshold"] == pytest.approx(2.5, abs=1e-9) and not pe["enough_now"]
        assert sum(out["basins"]["shares"]) + out["basins"]["unassigned"] == pytest.approx(1.0)
        types = {e["label"]: e["type"] for e in out["equilibria"] if e["label"]}
        assert types["(1, 1, 1)"] == "ess" and types["(0, 1, 0)"] == "non_hyperbolic"
        # with P_e = 3 the cooperative corner is the only ESS
        inputs["params"]["p_e"] = 3.0
        out = selectors.run(user=world.users["supervisor"], consortium_id=world.a.pk,
                            kind=ScenarioKind.GAME, inputs=inputs)  # fmt: skip
        assert out["ess"] == ["(1, 1, 1)"] and out["cooperative_only"]
        assert out["basins"]["shares"] == [1.0]


class TestAccess:
    @pytest.mark.parametrize("role", ["admin", "secretariat", "supervisor", "unit_admin",
                                      "unit_member", "school_admin"])  # fmt: skip
    def test_members_and_supervisors_may_look(self, world, role):
        selectors.viewable_consortium(user=world.users[role], consortium_id=world.a.pk)

    def test_observer_is_refused(self, world):
        with pytest.raises(Forbidden):
            selectors.viewable_consortium(user=world.users["observer"], consortium_id=world.a.pk)

    @pytest.mark.parametrize("role", ["other_consortium", "nobody"])
    def test_others_do_not_find_it(self, world, role):
        with pytest.raises(NotFound):
            selectors.group_series(user=world.users[role], consortium_id=world.a.pk)
