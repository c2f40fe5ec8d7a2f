"""Tests for gongsheng.analytics.symbiosis: one class per public function or type."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from gongsheng.analytics.symbiosis import (
    BehaviourMode,
    Episode,
    OrganisationMode,
    Side,
    classify_behaviour,
    classify_organisation,
    describe_organisation,
    energy_surplus,
    gaining_side,
    relative_gains,
    symbiosis_degree,
    symbiosis_share,
    symmetric_allocation,
)

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
positive_series = st.lists(st.floats(0.1, 1e4), min_size=3, max_size=12)


class TestSymbiosisDegree:
    def test_growth_by_hand(self):
        # growth of s: 10%, 10%, 0%; growth of m: 20%, 0%, 10%
        res = symbiosis_degree([100, 110, 121, 121], [50, 60, 60, 66])
        assert_allclose(res.values, [0.5, np.nan, 0.0], rtol=1e-12)
        assert_array_equal(res.defined, [True, False, True])
        assert_allclose(res.reverse, [2.0, 0.0, np.nan], rtol=1e-12)
        assert_array_equal(res.reverse_defined, [True, True, False])
        assert not np.any(np.isinf(res.values))
        assert res.method == "growth"

    def test_log_by_hand(self):
        res = symbiosis_degree([1.0, np.e, np.e**3], [1.0, np.e**2, np.e**3], method="log")
        assert_allclose(res.values, [0.5, 2.0], rtol=1e-12)
        assert_allclose(res.reverse, [2.0, 0.5], rtol=1e-12)

    def test_elasticity_is_regression_slope_and_product_is_r_squared(self):
        rng = np.random.default_rng(0)
        zm = np.exp(rng.normal(size=20))
        zs = zm**1.5 * np.exp(0.1 * rng.normal(size=20))
        res = symbiosis_degree(zs, zm, method="elasticity")
        slope = np.polyfit(np.log(zm), np.log(zs), 1)[0]
        back = np.polyfit(np.log(zs), np.log(zm), 1)[0]
        r = np.corrcoef(np.log(zs), np.log(zm))[0, 1]
        assert_allclose(res.values, slope, rtol=1e-10)
        assert_allclose(res.reverse, back, rtol=1e-10)
        assert_allclose(res.values * res.reverse, r**2, rtol=1e-10)
        assert res.defined is True

    def test_elasticity_undefined_for_constant_series(self):
        res = symbiosis_degree([1.0, 2.0, 3.0], [5.0, 5.0, 5.0], method="elasticity")
        assert res.defined is False and np.isnan(res.values)

    @pytest.mark.parametrize("method", ["growth", "log", "elasticity"])
    def test_nan_policy_omit_equals_filtered_data(self, method):
        zs = np.array([1.0, 2.0, np.nan, 3.5, 5.0, 5.5])
        zm = np.array([2.0, 2.5, 3.0, np.nan, 4.0, 6.0])
        got = symbiosis_degree(zs, zm, method=method, nan_policy="omit")
        keep = [0, 1, 4, 5]
        want = symbiosis_degree(zs[keep], zm[keep], method=method)
        assert_allclose(got.values, want.values, rtol=1e-12)
        assert_allclose(got.reverse, want.reverse, rtol=1e-12)

    def test_nan_policy_propagate(self):
        res = symbiosis_degree(
            [1.0, 2.0, np.nan, 4.0, 5.0], [1.0, 3.0, 4.0, 5.0, 6.0], nan_policy="propagate"
        )
        assert list(res.defined) == [True, False, False, True]
        assert np.isnan(res.values[1:3]).all() and not np.isinf(res.values).any()
        el = symbiosis_degree(
            [1.0, np.nan, 3.0], [1.0, 2.0, 3.0], method="elasticity", nan_policy="propagate"
        )
        assert el.defined is False and np.isnan(el.values)

    def test_share_field_matches_symbiosis_share(self):
        res = symbiosis_degree([1, 2, 3, 5], [2, 3, 5, 6], method="log")
        assert_allclose(res.share, symbiosis_share(res.values, res.reverse), rtol=1e-12)

    @given(positive_series, st.data())
    def test_growth_reverse_is_reciprocal(self, zs, data):
        zm = data.draw(st.lists(st.floats(0.1, 1e4), min_size=len(zs), max_size=len(zs)))
        res = symbiosis_degree(zs, zm)
        both = res.defined & res.reverse_defined
        assert_allclose(res.values[both] * res.reverse[both], 1.0, rtol=1e-9)
        assert not np.any(np.isinf(res.values))

    @pytest.mark.parametrize(
        ("kwargs", "match"),
        [
            ({"z_s": [1, 2, 3], "z_m": [1, 2]}, "same length"),
            ({"z_s": [1, np.nan, 3], "z_m": [1, 2, 3]}, "`z_s` must be finite"),
            ({"z_s": [1], "z_m": [1]}, "at least 2 periods"),
            ({"z_s": [[1, 2]], "z_m": [1, 2]}, "`z_s` must be 1-D"),
            ({"z_s": [1, 2], "z_m": [1, 2], "method": "ratio"}, "`method` must be one of"),
            ({"z_s": [1, 0], "z_m": [1, 2], "method": "log"}, "`z_s` must be positive"),
            ({"z_s": [1, 2], "z_m": [1, 2], "atol": -1}, "`atol` must be"),
        ],
    )
    def test_validation(self, kwargs, match):
        zs, zm = kwargs.pop("z_s"), kwargs.pop("z_m")
        with pytest.raises(ValueError, match=match):
            symbiosis_degree(zs, zm, **kwargs)


class TestSymbiosisShare:
    def test_by_hand(self):
        assert_allclose(symbiosis_share(0.5, 2.0), 0.2, rtol=1e-12)
        assert_allclose(symbiosis_share(1.0, 1.0), 0.5, rtol=1e-12)
        assert_allclose(symbiosis_share([-3.0], [1.0]), [0.75], rtol=1e-12)

    def test_undefined_propagates(self):
        out = symbiosis_share([np.nan, 0.0], [1.0, 0.0])
        assert np.all(np.isnan(out))

    @given(finite, finite)
    def test_shares_of_the_two_units_sum_to_one(self, a, b):
        theta_s = symbiosis_share(a, b)
        theta_m = symbiosis_share(b, a)
        if abs(a) + abs(b) > 0:
            assert_allclose(theta_s + theta_m, 1.0, rtol=1e-12)
            assert 0.0 <= theta_s <= 1.0

    @given(positive_series, st.data())
    def test_degree_shares_swap_under_swapping_units(self, zs, data):
        zm = data.draw(st.lists(st.floats(0.1, 1e4), min_size=len(zs), max_size=len(zs)))
        for method in ("log", "elasticity"):
            a = symbiosis_degree(zs, zm, method=method).share
            b = symbiosis_degree(zm, zs, method=method).share
            ok = np.isfinite(a) & np.isfinite(b)
            assert_allclose(np.asarray(a + b)[ok], 1.0, rtol=1e-9)

    def test_validation(self):
        with pytest.raises(ValueError, match="`d_sm` must be finite or NaN"):
            symbiosis_share(np.inf, 1.0)


class TestClassifyBehaviour:
    @pytest.mark.parametrize(
        ("a", "b", "mode", "side"),
        [
            (0.0, 0.0, BehaviourMode.INDEPENDENT, Side.NEITHER),
            (0.3, 0.0, BehaviourMode.COMMENSALISM, Side.FIRST),
            (0.0, 0.3, BehaviourMode.COMMENSALISM, Side.SECOND),
            (0.3, -0.2, BehaviourMode.PARASITISM, Side.FIRST),
            (-0.2, 0.3, BehaviourMode.PARASITISM, Side.SECOND),
            (0.3, 0.1, BehaviourMode.ASYMMETRIC_MUTUALISM, Side.BOTH),
            (0.2, 0.2, BehaviourMode.SYMMETRIC_MUTUALISM, Side.BOTH),
            (-0.2, -0.4, BehaviourMode.COMPETITION, Side.NEITHER),
            (-0.2, 0.0, BehaviourMode.AMENSALISM, Side.NEITHER),
        ],
    )
    def test_every_mode_reachable(self, a, b, mode, side):
        assert classify_behaviour(a, b) is mode
        assert gaining_side(a, b) is side

    def test_all_seven_modes_covered(self):
        a = [0, 1, 1, 1, 1, -1, -1]
        b = [0, 0, -1, 2, 1, -1, 0]
        assert set(classify_behaviour(a, b)) == set(BehaviourMode)

    def test_tolerance_and_scale(self):
        assert classify_behaviour(0.04, 1.0, tol=0.05) is BehaviourMode.COMMENSALISM
        assert classify_behaviour(4.0, 100.0, tol=0.05, scale=100.0) is BehaviourMode.COMMENSALISM
        assert classify_behaviour(0.30, 0.33, tol=0.05) is BehaviourMode.SYMMETRIC_MUTUALISM

    def test_array_returns_array_of_enums(self):
        out = classify_behaviour(np.array([[0.1, -0.1]]), np.array([[0.1, -0.1]]))
        assert out.shape == (1, 2) and out.dtype == object
        assert out[0, 0] is BehaviourMode.SYMMETRIC_MUTUALISM

    def test_labels_and_values(self):
        assert BehaviourMode.PARASITISM.label == "寄生"
        assert BehaviourMode.COMMENSALISM.label == "偏利共生"
        assert BehaviourMode.COMPETITION.label == "竞争/反向共生"
        assert BehaviourMode("amensalism").label == "偏害"
        assert BehaviourMode.INDEPENDENT == "independent"
        assert OrganisationMode.INTEGRATED.label == "一体化共生"

    @given(finite, finite)
    def test_antisymmetric_under_swapping_units(self, a, b):
        assert classify_behaviour(a, b) is classify_behaviour(b, a)
        swapped = {Side.FIRST: Side.SECOND, Side.SECOND: Side.FIRST}
        s = gaining_side(a, b)
        assert gaining_side(b, a) is swapped.get(s, s)

    @pytest.mark.parametrize(
        ("args", "kwargs", "match"),
        [
            ((np.nan, 1.0), {}, "`a` must be finite"),
            ((1.0, np.inf), {}, "`b` must be finite"),
            ((1.0, 1.0), {"tol": -1}, "`tol` must be"),
            ((1.0, 1.0), {"scale": -1}, "`scale` must be"),
            (([1.0, 2.0], [1.0, 2.0, 3.0]), {}, "must broadcast"),
        ],
    )
    def test_validation(self, args, kwargs, match):
        with pytest.raises(ValueError, match=match):
            classify_behaviour(*args, **kwargs)


class TestEnergy:
    def test_surplus_by_hand(self):
        assert energy_surplus(130.0, [50.0, 60.0]) == 20.0
        assert_allclose(energy_surplus([10.0, 5.0], [[4.0, 4.0], [3.0, 3.0]]), [2.0, -1.0])

    def test_symmetric_allocation_gives_equal_relative_gains(self):
        sizes = np.array([50.0, 150.0, 300.0])
        e = symmetric_allocation(50.0, sizes)
        assert_allclose(e.sum(), 50.0)
        rg = relative_gains(e, sizes)
        assert_allclose(rg, rg[0], rtol=1e-12)

    def test_more_validation(self):
        with pytest.raises(ValueError, match="does not match"):
            energy_surplus([1.0, 2.0, 3.0], [[1.0], [2.0]])
        with pytest.raises(ValueError, match="`sizes` must be a non-empty 1-D"):
            symmetric_allocation(1.0, [])
        with pytest.raises(ValueError, match="`z_s` must be a 1-D array of numbers"):
            symbiosis_degree(["a", "b"], [1, 2])
        with pytest.raises(ValueError, match="`a` and `b` must be numbers"):
            classify_behaviour("x", 1.0)

    def test_validation(self):
        with pytest.raises(ValueError, match="`alone` must have a last axis"):
            energy_surplus(1.0, 2.0)
        with pytest.raises(ValueError, match="`whole` must be finite"):
            energy_surplus(np.nan, [1.0])
        with pytest.raises(ValueError, match="`sizes` must be positive"):
            relative_gains([1.0], [0.0])
        with pytest.raises(ValueError, match="same shape"):
            relative_gains([1.0, 2.0], [1.0])
        with pytest.raises(ValueError, match="`surplus` must be finite"):
            symmetric_allocation(np.inf, [1.0])


YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


class TestClassifyOrganisation:
    def test_point(self):
        eps = [(dt.date(2024, 3, 1), dt.date(2024, 4, 30), "research")]
        assert classify_organisation(eps, window=YEAR) is OrganisationMode.POINT

    def test_intermittent(self):
        eps = [
            Episode(dt.date(2024, 1, 10), dt.date(2024, 2, 10), "training"),
            Episode(dt.date(2024, 7, 1), dt.date(2024, 7, 31), "training"),
        ]
        assert classify_organisation(eps, window=YEAR) is OrganisationMode.INTERMITTENT

    def test_continuous(self):
        eps = [
            {"start": "2024-01-01", "end": "2024-05-31", "dimension": "posts"},
            {"start": "2024-07-01", "end": "2024-12-31", "dimension": "posts"},
        ]
        res = describe_organisation(eps, window=YEAR)
        assert res.mode is OrganisationMode.CONTINUOUS
        assert res.max_gap_days == 30 and res.n_blocks == 2
        assert_allclose(res.coverage, (152 + 184) / 366)

    def test_long_gap_breaks_continuity(self):
        eps = [
            (np.datetime64("2024-01-01"), np.datetime64("2024-03-31")),
            (np.datetime64("2024-08-01"), np.datetime64("2024-12-31")),
        ]
        # coverage 0.66 but a gap of 122 days > 90
        assert classify_organisation(eps, window=YEAR) is OrganisationMode.INTERMITTENT

    def test_integrated_by_joint_body(self):
        eps = [Episode(dt.date(2023, 9, 1), None, "industrial college", True)]
        assert classify_organisation(eps, window=YEAR) is OrganisationMode.INTEGRATED

    def test_integrated_by_many_sustained_dimensions(self):
        eps = [(YEAR[0], YEAR[1], d) for d in ("training", "research", "posts")]
        res = describe_organisation(eps, window=YEAR)
        assert res.mode is OrganisationMode.INTEGRATED
        assert res.dimensions == ("posts", "research", "training")

    def test_short_joint_body_is_not_integrated(self):
        eps = [(dt.date(2024, 11, 1), dt.date(2024, 12, 31), "lab", True)]
        assert classify_organisation(eps, window=YEAR) is OrganisationMode.POINT
        assert classify_organisation(eps, window=YEAR, joint_body_share=0.1).value == "integrated"

    def test_no_episode_in_window(self):
        eps = [(dt.date(2020, 1, 1), dt.date(2020, 2, 1))]
        assert classify_organisation(eps, window=YEAR) is None

    def test_every_mode_reachable(self):
        seen = {
            classify_organisation([(YEAR[0], dt.date(2024, 1, 31))], window=YEAR),
            classify_organisation(
                [(YEAR[0], dt.date(2024, 1, 31)), (dt.date(2024, 6, 1), dt.date(2024, 6, 2))],
                window=YEAR,
            ),
            classify_organisation([YEAR], window=YEAR),
            classify_organisation([(YEAR[0], YEAR[1], "x", True)], window=YEAR),
        }
        assert seen == set(OrganisationMode)

    @pytest.mark.parametrize(
        ("eps", "kwargs", "match"),
        [
            ([(dt.date(2024, 5, 1), dt.date(2024, 4, 1))], {}, r"`episodes\[0\]` ends before"),
            ([42], {}, r"`episodes\[0\]` must be an Episode"),
            ([{"start": "2024-01-01"}], {}, r"`episodes\[0\]` must have keys"),
            ([("2024-01-01", "soon")], {}, r"`episodes\[0\].end` must be a date"),
            ([], {"window": (YEAR[1], YEAR[0])}, "`window` must end"),
            ([], {"window": YEAR[0]}, "`window` must be a pair"),
            ([], {"continuous_share": 0}, "`continuous_share` must be in"),
            ([], {"max_gap_days": -1}, "`max_gap_days` must be"),
            ([], {"joint_body_share": 1.5}, "`joint_body_share` must be in"),
            ([], {"min_dimensions": 0}, "`min_dimensions` must be"),
            ([], {"window": (object(), YEAR[1])}, r"`window\[0\]` must be a datetime.date"),
        ],
    )
    def test_validation(self, eps, kwargs, match):
        kwargs.setdefault("window", YEAR)
        with pytest.raises(ValueError, match=match):
            classify_organisation(eps, **kwargs)
