"""Tests for gongsheng.analytics.diagnosis: hand-computed cases, closed forms, the doctests."""

from __future__ import annotations

import datetime as dt
import doctest
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import gongsheng.analytics.diagnosis._engine as engine_module
import gongsheng.analytics.diagnosis._types as types_module
from gongsheng.analytics.diagnosis import (
    UNIT_GROUPS,
    DiagnosisSettings,
    PairTable,
    concentration,
    diagnose,
    pair_modes,
    pair_view,
)
from gongsheng.analytics.symbiosis import BehaviourMode, OrganisationMode, Side

# --------------------------------------------------------------------------------------
# The 3-unit example, by hand.
#
# Units: 1 school, 2 enterprise, 3 government. One pool P: 1 puts in 100, 2 puts in 300
# (X = 400, 3 puts in nothing); P pays 200 to unit 1 and 400 to unit 3. Directly, 1 gives 2
# ten.
#
# Inputs through P (x_i·x_j/(X − x_i)):
#   1 → 2: 100·300/(400 − 100) = 100        2 → 1: 300·100/(400 − 300) = 300
#   anything towards 3: x_3 = 0, so 0
# Outputs through P (r_i·x_j/(X − x_i)):
#   1 ← 2: 200·300/(400 − 100) = 200        (1 receives 200; its co-contributor is 2)
#   3 ← 1: 400·100/(400 − 0)   = 100        3 ← 2: 400·300/400 = 300 (3 put in nothing:
#                                            its receipts go to all contributors)
#   2 receives nothing.
# Pair (1, 2): in_1 = 10 + 100 = 110, in_2 = 300, out_1 = 200, out_2 = 10 (the direct 10)
#   g_1 = 90, g_2 = −290, flow 620, band 0.05·620 = 31 → parasitism, 1 is the parasite;
#   E = −200.
# Pair (1, 3): in = 0, 0; out_1 = 0, out_3 = 100: 3 is a free rider, commensalism, E = 100.
# Pair (2, 3): out_3 = 300: commensalism, E = 300.
# Σ E = 200 = pool outputs 600 − pool inputs 400 (direct flows cancel).
# --------------------------------------------------------------------------------------
UNITS3 = {
    "id": [1, 2, 3],
    "name": ["School", "Firm", "Gov"],
    "group": ["school", "enterprise", "government"],
}
DIRECT3 = {"giver": [1], "receiver": [2], "value": [10.0]}
POOL_IN3 = {"pool": ["P", "P"], "unit": [1, 2], "value": [100.0, 300.0]}
POOL_OUT3 = {"pool": ["P", "P"], "unit": [1, 3], "value": [200.0, 400.0]}


def test_doctests_pass():
    for module in (engine_module, types_module):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, module.__name__


class TestPairView:
    def test_three_units_one_pool_by_hand(self):
        pv = pair_view(UNITS3, direct=DIRECT3, pool_inputs=POOL_IN3, pool_outputs=POOL_OUT3)
        assert_allclose(pv.input_pools, [[0, 100, 0], [300, 0, 0], [0, 0, 0]])
        assert_allclose(pv.output_pools, [[0, 200, 0], [0, 0, 0], [100, 300, 0]])
        assert_allclose(pv.input_direct, [[0, 10, 0], [0, 0, 0], [0, 0, 0]])
        assert_allclose(pv.unit_inputs, [110, 300, 0])
        assert_allclose(pv.unit_outputs, [200, 10, 400])

    def test_equal_pool_closed_form(self):
        # n units put x each into a pool paying R/n to each: in_ij = x/(n−1),
        # out_ij = R/(n(n−1)); the pair energies sum to R − n·x
        n, x, big_r = 5, 40.0, 300.0
        ids = list(range(1, n + 1))
        pv = pair_view(
            {"id": ids, "name": [str(i) for i in ids], "group": ["other"] * n},
            pool_inputs={"pool": ["p"] * n, "unit": ids, "value": [x] * n},
            pool_outputs={"pool": ["p"] * n, "unit": ids, "value": [big_r / n] * n},
        )
        off = ~np.eye(n, dtype=bool)
        assert_allclose(pv.inputs[off], x / (n - 1))
        assert_allclose(pv.outputs[off], big_r / (n * (n - 1)))
        assert_allclose(pv.outputs.sum() - pv.inputs.sum(), big_r - n * x)

    @settings(max_examples=40, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.lists(st.floats(1, 1e4), min_size=5, max_size=5),  # inputs of units 1..5
                st.lists(st.floats(0, 1e4), min_size=5, max_size=5),  # receipts
                st.integers(2, 5),  # contributors: the first k units
            ),
            min_size=1,
            max_size=4,
        )
    )
    def test_every_flow_attributed_with_two_contributors(self, pools):
        # with at least two contributors per pool each input is split in full among the
        # others and each receipt attributed in full: Σ in = Σ inputs, Σ out = Σ receipts
        ids = [1, 2, 3, 4, 5]
        rows_in, rows_out = [], []
        total_in = total_out = 0.0
        for p, (xs, rs, k) in enumerate(pools):
            for u in range(k):
                rows_in.append((f"p{p}", ids[u], xs[u]))
                total_in += xs[u]
            for u in range(5):
                if rs[u] > 0:
                    rows_out.append((f"p{p}", ids[u], rs[u]))
                    total_out += rs[u]
        pv = pair_view(
            {"id": ids, "name": list("abcde"), "group": ["other"] * 5},
            pool_inputs=rows_in,
            pool_outputs=rows_out,
        )
        assert_allclose(pv.inputs.sum(), total_in, rtol=1e-9)
        assert_allclose(pv.outputs.sum(), total_out, rtol=1e-9)

    def test_sole_contributor_attributes_nothing(self):
        pv = pair_view(
            UNITS3,
            pool_inputs={"pool": ["p"], "unit": [1], "value": [50.0]},
            pool_outputs={"pool": ["p"], "unit": [1], "value": [80.0]},
        )
        assert not pv.inputs.any() and not pv.outputs.any()
        assert_allclose(pv.unit_outputs, [80, 0, 0])

    def test_outside_counts_for_unit_totals_only(self):
        pv = pair_view(
            UNITS3, direct={"giver": [-1, 2, None], "receiver": [1, -1, 3], "value": [5, 7, 9]}
        )
        assert not pv.inputs.any()
        assert_allclose(pv.unit_inputs, [0, 7, 0])
        assert_allclose(pv.unit_outputs, [5, 0, 9])

    def test_rows_instead_of_columns(self):
        pv = pair_view(
            [(1, "a", "school"), (2, "b", "enterprise")], direct=[(1, 2, 3.0), (2, 1, 1.0)]
        )
        assert_allclose(pv.inputs, [[0, 3], [1, 0]])

    def test_unknown_unit_names_the_row(self):
        with pytest.raises(ValueError, match=r"`direct.receiver` row 1: unit 9 is not in"):
            pair_view(UNITS3, direct={"giver": [1, 1], "receiver": [2, 9], "value": [1, 1]})

    def test_missing_column(self):
        with pytest.raises(ValueError, match=r"`pool_inputs` must have the columns"):
            pair_view(UNITS3, pool_inputs={"pool": ["p"], "value": [1]})

    def test_bad_group(self):
        with pytest.raises(ValueError, match=r"`units.group` row 0 must be one of"):
            pair_view({"id": [1], "name": ["x"], "group": ["college"]})

    def test_non_finite_value(self):
        with pytest.raises(ValueError, match=r"`direct.value` must be finite.*row 0"):
            pair_view(UNITS3, direct={"giver": [1], "receiver": [2], "value": [math.nan]})


class TestPairModes:
    def test_symmetric_mutualism_equal_relative_gains(self):
        # 100 and 300 in, 200 and 600 out: both gain 100 %, so symmetric although the absolute
        # gains differ (100 vs 300); band 0.05·1200 = 60
        m = pair_modes([100], [300], [200], [600])
        assert m["behaviour"][0] is BehaviourMode.SYMMETRIC_MUTUALISM
        assert m["gaining"][0] is Side.BOTH
        assert_allclose(m["energy"], [400])

    def test_asymmetric_mutualism(self):
        # band 0.05·490 = 24.5 < both gains; relative gains 0.6 and 0.3: |0.6 − 0.3| > 0.05·0.6
        m = pair_modes([100], [100], [160], [130])
        assert m["behaviour"][0] is BehaviourMode.ASYMMETRIC_MUTUALISM

    def test_relative_gains_within_tolerance(self):
        # 0.50 and 0.49: |diff| = 0.01 ≤ 0.05·0.50 = 0.025 → symmetric
        m = pair_modes([100], [100], [150], [149])
        assert m["behaviour"][0] is BehaviourMode.SYMMETRIC_MUTUALISM

    def test_gain_inside_band_counts_as_zero(self):
        # flow 420, band 21: g_a = 20 is 0, g_b = 0 → independent
        m = pair_modes([100], [100], [120], [100])
        assert m["behaviour"][0] is BehaviourMode.INDEPENDENT
        assert m["gaining"][0] is Side.NEITHER

    def test_parasitism_names_the_parasite(self):
        m = pair_modes([100], [100], [70], [130])
        assert m["behaviour"][0] is BehaviourMode.PARASITISM
        assert m["gaining"][0] is Side.SECOND

    def test_free_rider_counts_as_gaining(self):
        # a puts in nothing and receives 8: g_a = 8 is inside the band 0.05·208 = 10.4,
        # but a free rider's side gains, so with g_b = −100 it is parasitism, a the parasite
        m = pair_modes([0], [100], [8], [0])
        assert bool(m["free_rider_a"][0]) and not bool(m["free_rider_b"][0])
        assert m["behaviour"][0] is BehaviourMode.PARASITISM
        assert m["gaining"][0] is Side.FIRST
        assert math.isnan(m["relative_gain_a"][0])

    def test_competition_and_amensalism(self):
        m = pair_modes([100, 100], [100, 100], [50, 50], [60, 100])
        assert [x.value for x in m["behaviour"]] == ["competition", "amensalism"]

    def test_tolerance_validated(self):
        with pytest.raises(ValueError, match=r"`tol` must be in \[0, 1\)"):
            pair_modes([1], [1], [1], [1], tol=1.5)

    @settings(max_examples=60, deadline=None)
    @given(
        x=st.floats(10, 1e6),
        y=st.floats(10, 1e6),
        rho=st.floats(0.2, 3.0),
    )
    def test_proportional_returns_are_symmetric(self, x, y, rho):
        # out = (1 + ρ)·in on both sides: g = ρ·in, equal relative gains ρ; gains exceed the
        # band 0.05·(2 + ρ)(x + y) when ρ·min(x, y) does: only assert there
        m = pair_modes([x], [y], [(1 + rho) * x], [(1 + rho) * y])
        band = 0.05 * (2 + rho) * (x + y)
        if rho * min(x, y) > band:
            assert m["behaviour"][0] is BehaviourMode.SYMMETRIC_MUTUALISM
        assert_allclose(m["energy"], [rho * (x + y)], rtol=1e-9)


class TestConcentration:
    def test_known_shares(self):
        c = concentration([50, 30, 20])  # 0.5² + 0.3² + 0.2² = 0.38
        assert_allclose(c.hhi, 0.38)
        assert c.top_share == 0.5 and c.top_index == 0 and c.n == 3

    def test_equal_shares_give_one_over_n(self):
        assert_allclose(concentration([7.0] * 8).hhi, 1 / 8)

    def test_one_contributor(self):
        c = concentration([0, 12, -3])
        assert c.hhi == 1.0 and c.top_index == 1 and c.n == 1

    def test_nothing_positive(self):
        c = concentration([0, 0])
        assert math.isnan(c.hhi) and c.top_index == -1


class TestDiagnose:
    def test_three_units_by_hand(self):
        d = diagnose(UNITS3, direct=DIRECT3, pool_inputs=POOL_IN3, pool_outputs=POOL_OUT3)
        assert len(d.pairs) == 3
        p12 = d.pairs.find(2, 1)
        assert (p12.a, p12.b) == (1, 2)
        assert_allclose([p12.in_a, p12.in_b, p12.out_a, p12.out_b], [110, 300, 200, 10], atol=1e-9)
        assert_allclose([p12.in_a_direct, p12.in_a_pools, p12.out_b_direct], [10, 100, 10])
        assert_allclose([p12.gain_a, p12.gain_b, p12.energy], [90, -290, -200])
        assert p12.behaviour is BehaviourMode.PARASITISM and p12.gaining is Side.FIRST
        assert "School is the parasite" in p12.reason
        assert "flow of 620.00" in p12.reason and "±31.00" in p12.reason
        p13, p23 = d.pairs.find(1, 3), d.pairs.find(2, 3)
        assert p13.free_rider_b and p13.behaviour is BehaviourMode.COMMENSALISM
        assert p13.gaining is Side.SECOND and p13.energy == pytest.approx(100)
        assert p23.energy == pytest.approx(300)
        assert d.energy == pytest.approx(200)
        # energy by group: each unit's pair gains (school 90 + 0, firm −290 + 0, gov 100 + 300)
        assert d.energy_by_group["school"] == pytest.approx(90)
        assert d.energy_by_group["enterprise"] == pytest.approx(-290)
        assert d.energy_by_group["government"] == pytest.approx(400)
        # the group × group matrix of pair inputs: school → enterprise 110, back 300
        s, e = UNIT_GROUPS.index("school"), UNIT_GROUPS.index("enterprise")
        assert d.flow_matrix[s, e] == pytest.approx(110)
        assert d.flow_matrix[e, s] == pytest.approx(300)
        assert d.behaviour_counts["parasitism"] == 1 and d.behaviour_counts["commensalism"] == 2
        assert d.organisation_counts["none"] == 3 and d.target_count == 0
        units = {u.id: u for u in d.units}
        assert units[3].free_rider and not units[1].free_rider
        assert units[2].net == pytest.approx(-290)
        kinds = [a.kind for a in d.alerts]
        assert kinds.count("free_rider") == 1 and kinds.count("parasitic_pair") == 1
        parasitic = next(a for a in d.alerts if a.kind == "parasitic_pair")
        assert parasitic.units == (1, 2) and parasitic.value == pytest.approx(-290)
        # no periods: no window, so no inactivity alerts and no trends
        assert d.years is None and d.trends == () and "inactive_member" not in kinds

    def test_as_dict_is_json(self):
        d = diagnose(
            UNITS3,
            direct=DIRECT3,
            pool_inputs=POOL_IN3,
            pool_outputs=POOL_OUT3,
            series={"unit": [1, 1], "period": [2023, 2024], "value": [1.0, 2.0]},
        )
        data = json.loads(json.dumps(d.as_dict()))
        assert data["pairs"]["behaviour"] == ["parasitism", "commensalism", "commensalism"]
        assert data["pairs"]["relative_gain_a"][1] is None  # NaN → None
        assert data["pairs"]["degree_note"][0] == "Firm has fewer than 2 periods with values"
        assert json.loads(json.dumps(d.pairs.row(0).as_dict()))["target"] is False
        back = PairTable.from_dict(
            data["pairs"], unit_ids=(1, 2, 3), unit_names=("School", "Firm", "Gov"),
            unit_groups=("school", "enterprise", "government"),
        )  # fmt: skip
        assert [p.reason for p in back] == [p.reason for p in d.pairs]
        assert list(back.behaviour) == list(d.pairs.behaviour)
        assert_allclose(back.columns["relative_gain_a"], d.pairs.columns["relative_gain_a"], 1e-5)
        arrays, extras = d.pairs.as_arrays()
        again = PairTable.from_arrays(
            arrays, json.loads(json.dumps(extras)), unit_names=("School", "Firm", "Gov")
        )
        assert [p.reason for p in again] == [p.reason for p in d.pairs]
        assert list(again.organisation) == [None, None, None]

    def test_symmetric_integrated_is_the_target(self):
        d = diagnose(
            {"id": [1, 2], "name": ["S", "E"], "group": ["school", "enterprise"]},
            pool_inputs={"pool": ["p", "p"], "unit": [1, 2], "value": [100, 300],
                         "period": [2024, 2024]},
            pool_outputs={"pool": ["p", "p"], "unit": [1, 2], "value": [200, 600],
                          "period": [2024, 2024]},
            episodes=[(1, 2, dt.date(2024, 1, 1), None, "college", True)],
        )  # fmt: skip
        # in_1 = 100·300/300 = 100, out_1 = 200·300/300 = 200: gains 100 % each
        p = d.pairs.row(0)
        assert p.behaviour is BehaviourMode.SYMMETRIC_MUTUALISM
        assert p.organisation is OrganisationMode.INTEGRATED
        assert p.organisation_stats.joint_body_share == 1.0
        assert p.target and d.target_count == 1 and d.target_share == 1.0
        assert {u.last_activity for u in d.units} == {dt.date(2024, 12, 31)}

    def test_episode_alone_makes_a_pair(self):
        d = diagnose(
            UNITS3,
            episodes={"a": [3], "b": [1], "start": ["2024-03-01"], "end": ["2024-04-30"]},
            years=(2024, 2024),
        )
        p = d.pairs.find(1, 3)
        assert p.organisation is OrganisationMode.POINT
        assert p.behaviour is BehaviourMode.INDEPENDENT

    def test_degree_and_share(self):
        # growth of 1: 10 %, 10 %; of 2: 20 %, 20 % → δ_12 = 0.5, δ_21 = 2, θ_1 = 0.5/2.5
        d = diagnose(
            UNITS3,
            direct=DIRECT3,
            series={
                "unit": [1, 1, 1, 2, 2, 2],
                "period": [2022, 2023, 2024] * 2,
                "value": [100, 110, 121, 50, 60, 72],
            },
        )
        p = d.pairs.find(1, 2)
        assert_allclose([p.degree, p.degree_reverse, p.share], [0.5, 2.0, 0.2])
        assert p.degree_note.startswith("mean of 2 period degree(s)")

    def test_trends_by_year_use_each_years_flows(self):
        d = diagnose(
            UNITS3,
            direct={
                "giver": [1, 2, 1],
                "receiver": [2, 1, 2],
                "value": [100, 150, 50],
                "period": [2023, 2023, 2025],
            },
        )
        assert d.years == (2023, 2025)
        assert [t.year for t in d.trends] == [2023, 2025]
        # 2023: 1 gives 100, gets 150 → 1 gains 50, 2 loses 50 (band 12.5): parasitism
        assert d.trends[0].behaviour_counts["parasitism"] == 1
        assert d.trends[0].energy == 0.0  # direct flows cancel
        assert d.trends[1].inputs_by_group["school"] == 50

    def test_window_filters_flows(self):
        d = diagnose(
            UNITS3,
            direct={"giver": [1, 2], "receiver": [2, 1], "value": [5, 7], "period": [2023, 2024]},
            years=(2024, 2024),
        )
        assert_allclose([d.pairs.row(0).in_a, d.pairs.row(0).in_b], [0, 7])

    def test_inactive_member_months(self):
        d = diagnose(
            UNITS3,
            direct={"giver": [1], "receiver": [2], "value": [5], "period": [2025]},
            episodes=[(1, 2, "2024-01-01", "2024-06-30"), (1, 3, "2025-03-01", "2025-06-30")],
            years=(2024, 2025),
        )
        inactive = {a.units[0]: a for a in d.alerts if a.kind == "inactive_member"}
        # 2 last cooperated on 2024-06-30: 549 days = 18.0 months before 2025-12-31
        assert set(inactive) == {2}
        assert inactive[2].value == pytest.approx(549 / (365.25 / 12))
        assert "2024-06-30" in inactive[2].reason

    def test_school_hot_enterprise_cold(self):
        d = diagnose(
            UNITS3,
            direct={"giver": [1, 2], "receiver": [3, 3], "value": [100, 30]},
        )
        cold = next(a for a in d.alerts if a.kind == "school_hot_enterprise_cold")
        assert cold.value == pytest.approx(0.3) and cold.threshold == 0.5 and cold.units == (2,)
        ok = diagnose(UNITS3, direct={"giver": [1, 2], "receiver": [3, 3], "value": [100, 60]})
        assert "school_hot_enterprise_cold" not in [a.kind for a in ok.alerts]

    def test_concentration_alert_thresholds(self):
        ids = [1, 2, 3, 4, 5]
        units = {"id": ids, "name": list("abcde"), "group": ["other"] * 5}
        flows = {"giver": ids, "receiver": [-1] * 5, "value": [40, 15, 15, 15, 15]}
        d = diagnose(units, direct=flows)  # HHI 0.16 + 4·0.0225 = 0.25, top 0.4: no alert
        assert d.concentration.hhi == pytest.approx(0.25)
        assert "concentration" not in [a.kind for a in d.alerts]
        strict = diagnose(units, direct=flows, settings=DiagnosisSettings(top_share_max=0.3))
        alert = next(a for a in strict.alerts if a.kind == "concentration")
        assert alert.units == (1,) and alert.value == pytest.approx(0.4)

    def test_settings_validated(self):
        with pytest.raises(ValueError, match=r"`hhi_max` must be in \(0, 1\]"):
            DiagnosisSettings(hhi_max=0)

    def test_bad_window(self):
        with pytest.raises(ValueError, match=r"`years` must end on or after"):
            diagnose(UNITS3, years=(2025, 2024))

    def test_episode_ending_before_start(self):
        with pytest.raises(ValueError, match=r"`episodes` row 0: ends"):
            diagnose(UNITS3, episodes=[(1, 2, "2024-05-01", "2024-01-01")])
