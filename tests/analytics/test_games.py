"""Tests for gongsheng.analytics.games: one class per public function or class."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from gongsheng.analytics import _ode
from gongsheng.analytics.games import (
    DEFAULT_PARAMETERS,
    ReplicatorGame,
    cooperation_threshold,
    government_school_enterprise,
    school_enterprise,
    sweep,
)

payoff2 = arrays(float, (2, 2, 2), elements=st.integers(-5, 5).map(float))
payoff3 = arrays(float, (2, 2, 2, 3), elements=st.integers(-5, 5).map(float))
unit = st.floats(0.0, 1.0)
param = st.floats(0.0, 10.0)


def stag_hunt():
    P = np.zeros((2, 2, 2))
    P[0, 0] = 4, 4
    P[0, 1] = 0, 3
    P[1, 0] = 3, 0
    P[1, 1] = 3, 3
    return ReplicatorGame(P)


def matching_pennies():
    P = np.zeros((2, 2, 2))
    P[0, 0] = 1, -1
    P[0, 1] = -1, 1
    P[1, 0] = -1, 1
    P[1, 1] = 1, -1
    return ReplicatorGame(P)


def numeric_jacobian(f, x, h=1e-6):
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        cols.append((f(x + e) - f(x - e)) / (2 * h))
    return np.column_stack(cols)


class TestReplicatorGame:
    @given(payoff2, unit, unit)
    def test_rhs_two_populations_by_hand(self, P, x, y):
        g = ReplicatorGame(P)
        d1 = y * (P[0, 0, 0] - P[1, 0, 0]) + (1 - y) * (P[0, 1, 0] - P[1, 1, 0])
        d2 = x * (P[0, 0, 1] - P[0, 1, 1]) + (1 - x) * (P[1, 0, 1] - P[1, 1, 1])
        assert_allclose(g.rhs([x, y]), [x * (1 - x) * d1, y * (1 - y) * d2], atol=1e-12)

    @given(payoff3, st.tuples(unit, unit, unit))
    def test_jacobian_against_finite_differences(self, P, x):
        g = ReplicatorGame(P)
        x = np.clip(np.array(x), 0.01, 0.99)
        assert_allclose(g.jacobian(x), numeric_jacobian(g.rhs, x), atol=1e-6)

    @given(payoff2)
    def test_corner_eigenvalues_are_payoff_differences(self, P):
        g = ReplicatorGame(P)
        for e in g.equilibria():
            if e.kind != "corner":
                continue
            s = tuple(int(1 - v) for v in e.x)  # strategy index at the corner
            expected = []
            for p in range(2):
                dev = list(s)
                dev[p] = 1 - dev[p]
                expected.append(P[tuple(dev)][p] - P[s][p])
            assert_allclose(np.sort(e.eigenvalues.real), np.sort(expected), atol=1e-12)
            # Friedman (1991): ESS iff det > 0 and trace < 0
            assert (e.type == "ess") == (e.det > 0 and e.trace < 0)

    def test_stag_hunt(self):
        g = stag_hunt()
        assert_allclose(g.ess(), [[0, 0], [1, 1]])
        interior = [e for e in g.equilibria() if e.kind == "interior"]
        assert len(interior) == 1
        assert_allclose(interior[0].x, [0.75, 0.75])
        assert interior[0].type == "saddle"
        assert_allclose(interior[0].trace, 0.0, atol=1e-12)
        # det = −x(1−x)y(1−y)·b·d with b = d = 4 (slopes of Δ): −(3/16)²·16
        assert_allclose(interior[0].det, -((3 / 16) ** 2) * 16, rtol=1e-12)

    def test_matching_pennies_has_a_centre(self):
        g = matching_pennies()
        assert g.ess().shape == (0, 2)
        (c,) = [e for e in g.equilibria() if e.kind == "interior"]
        assert_allclose(c.x, [0.5, 0.5])
        assert c.type == "centre"
        assert c.det > 0 and abs(c.trace) < 1e-12

    def test_non_hyperbolic_corner(self):
        P = np.zeros((2, 2, 2))
        P[0, 0] = 1, 1  # at (0, 0) nobody gains by deviating
        types = {tuple(e.x): e.type for e in ReplicatorGame(P).equilibria()}
        assert types[(0.0, 0.0)] == "non_hyperbolic"
        assert types[(1.0, 1.0)] == "ess"

    @given(payoff3)
    def test_rest_points_and_selten(self, P):
        """Selten (1980): in multi-population games only pure (corner) strategies are ESS."""
        g = ReplicatorGame(P)
        eqs = g.equilibria()
        assert sum(e.kind == "corner" for e in eqs) == 8
        for e in eqs:
            assert_allclose(g.rhs(e.x), 0.0, atol=1e-9)
            assert e.type in ("ess", "unstable", "saddle", "centre", "non_hyperbolic")
            if e.kind != "corner":
                assert e.type != "ess"
                assert np.all((e.x >= 0) & (e.x <= 1))

    def test_three_population_interior_point(self):
        """Interior rest point of a 3-population game built so that Δ_p = x_q − 1/2 style:
        Δ1 = y − 0.5, Δ2 = 0.25 − z... solved by hand at (x, y, z) = (0.6, 0.5, 0.25)."""
        # Δ1 = y − 0.5, Δ2 = z − 0.25, Δ3 = 0.6 − x, as payoff differences
        P = np.zeros((2, 2, 2, 3))
        for s in itertools.product((0, 1), repeat=3):
            x, y, z = (1 - v for v in s)
            if s[0] == 0:
                P[(*s, 0)] = y - 0.5
            if s[1] == 0:
                P[(*s, 1)] = z - 0.25
            if s[2] == 0:
                P[(*s, 2)] = 0.6 - x
        g = ReplicatorGame(P)
        inner = [e for e in g.equilibria() if e.kind == "interior"]
        assert len(inner) == 1
        assert_allclose(inner[0].x, [0.6, 0.5, 0.25], atol=1e-10)

    def test_interior_points_agree_with_independent_root_finding(self):
        from scipy.optimize import fsolve

        rng = np.random.default_rng(3)
        for _ in range(20):
            g = ReplicatorGame(rng.normal(size=(2, 2, 2, 3)))
            ours = [e.x for e in g.equilibria() if e.kind == "interior"]
            found = []
            for x0 in itertools.product((0.1, 0.3, 0.5, 0.7, 0.9), repeat=3):
                z, _info, ier, _ = fsolve(g.delta, x0, full_output=True, xtol=1e-13)
                if (
                    ier == 1
                    and np.all((z > 1e-6) & (z < 1 - 1e-6))
                    and np.abs(g.delta(z)).max() < 1e-9
                ) and not any(np.allclose(z, f, atol=1e-6) for f in found):
                    found.append(z)
            assert len(ours) == len(found)
            for z in found:
                assert any(np.allclose(z, o, atol=1e-6) for o in ours)

    def test_simulate_reaches_ess(self):
        traj = stag_hunt().simulate([0.9, 0.85], 60.0)
        assert traj.success
        assert_allclose(traj.x[-1], [1.0, 1.0], atol=1e-4)
        assert np.all((traj.x >= -1e-9) & (traj.x <= 1 + 1e-9))

    def test_basins_one_vectorised_solve(self, monkeypatch):
        calls = []
        real = _ode.solve_ivp

        def counting(*args, **kwargs):
            calls.append(1)
            return real(*args, **kwargs)

        monkeypatch.setattr(_ode, "solve_ivp", counting)
        b = stag_hunt().basins(10)
        assert len(calls) == 1
        assert b.starts.shape == (100, 2)
        assert_allclose(b.ess, [[0, 0], [1, 1]])
        assert_allclose(b.shares.sum() + b.unassigned, 1.0)
        hi = np.all(b.starts > 0.75, axis=1)
        lo = np.all(b.starts < 0.75, axis=1)
        assert np.all(b.labels[hi] == 1) and np.all(b.labels[lo] == 0)

    def test_basins_explicit_points_and_no_ess(self):
        b = matching_pennies().basins([[0.2, 0.3], [0.6, 0.6]], t_max=20.0)
        assert b.ess.shape == (0, 2) and b.unassigned == 1.0

    @pytest.mark.parametrize(
        ("payoffs", "match"),
        [
            (np.zeros((2, 2)), r"shape \(2,\)\*k \+ \(k,\)"),
            (np.zeros((2, 2, 3)), r"got \(2, 2, 3\)"),
            (np.full((2, 2, 2), np.nan), "`payoffs` must be finite"),
        ],
    )
    def test_validation(self, payoffs, match):
        with pytest.raises(ValueError, match=match):
            ReplicatorGame(payoffs)

    def test_payoffs_are_copied(self):
        P = np.zeros((2, 2, 2))
        g = ReplicatorGame(P)
        P[0, 0, 0] = 1.0
        assert g.payoffs[0, 0, 0] == 0.0

    def test_method_validation(self):
        g = stag_hunt()
        with pytest.raises(ValueError, match=r"`x0` must lie in \[0, 1\]"):
            g.simulate([1.5, 0.5], 10.0)
        with pytest.raises(ValueError, match=r"`x` must have shape \(2,\)"):
            g.jacobian([0.5, 0.5, 0.5])
        with pytest.raises(ValueError, match="`grid` must be a positive integer"):
            g.basins(0)
        with pytest.raises(ValueError, match=r"`grid` must have shape \(m, 2\)"):
            g.basins(np.zeros((3, 3)))
        with pytest.raises(ValueError, match=r"`grid` points must lie in \[0, 1\]"):
            g.basins([[0.5, 1.5]])
        with pytest.raises(ValueError, match=r"`x` must have shape \(2,\) or \(m, 2\)"):
            g.delta([0.5, 0.5, 0.5])
        with pytest.raises(ValueError, match="`t` must be strictly increasing"):
            g.simulate([0.5, 0.5], [0.0, 1.0, 0.5])
        with pytest.raises(ValueError, match="`payoffs` must be an array of numbers"):
            ReplicatorGame([["a"]])
        with pytest.raises(ValueError, match="`names` must have 2 entries"):
            ReplicatorGame(np.zeros((2, 2, 2)), names=["a"])


SE_KEYS = ("delta_r", "alpha", "c_s", "c_e", "s_s", "s_e", "g_s", "g_e", "t", "f")
GSE_KEYS = (
    "delta_r",
    "alpha",
    "c_s",
    "c_e",
    "s_s",
    "s_e",
    "g_s",
    "g_e",
    "t",
    "p_s",
    "p_e",
    "c_g",
    "l",
)


class TestSchoolEnterprise:
    @given(
        st.fixed_dictionaries({k: (unit if k == "alpha" else param) for k in SE_KEYS}), unit, unit
    )
    def test_rhs_equals_models_md(self, p, x, y):
        g = school_enterprise(**p)
        dx = (
            x
            * (1 - x)
            * (p["g_s"] + p["f"] - p["c_s"] + (p["alpha"] * p["delta_r"] - p["s_s"]) * y)
        )
        dy = (
            y
            * (1 - y)
            * (
                p["g_e"]
                + p["t"]
                + p["f"]
                - p["c_e"]
                + ((1 - p["alpha"]) * p["delta_r"] - p["s_e"]) * x
            )
        )
        assert_allclose(g.rhs([x, y]), [dx, dy], atol=1e-9)

    def test_corner_eigenvalues_at_mutual_defection(self):
        p = DEFAULT_PARAMETERS["school_enterprise"]
        g = school_enterprise(**p)
        (e,) = [e for e in g.equilibria() if np.all(e.x == 0)]
        assert_allclose(
            np.sort(e.eigenvalues.real),
            np.sort([p["g_s"] + p["f"] - p["c_s"], p["g_e"] + p["t"] + p["f"] - p["c_e"]]),
        )
        assert g.names == ("school", "enterprise")

    def test_validation(self):
        p = dict(DEFAULT_PARAMETERS["school_enterprise"])
        with pytest.raises(ValueError, match=r"`alpha` must be in \[0, 1\]"):
            school_enterprise(**{**p, "alpha": 1.5})
        with pytest.raises(ValueError, match="`c_s` must be finite"):
            school_enterprise(**{**p, "c_s": np.nan})
        with pytest.raises(ValueError, match="`g_s` must be a number"):
            school_enterprise(**{**p, "g_s": [1, 2]})


class TestGovernmentSchoolEnterprise:
    @given(
        st.fixed_dictionaries({k: (unit if k == "alpha" else param) for k in GSE_KEYS}),
        st.tuples(unit, unit, unit),
    )
    def test_rhs_equals_models_md(self, p, pt):
        x, y, z = pt
        g = government_school_enterprise(**p)
        ds = -p["c_s"] + z * (p["g_s"] + p["p_s"]) + y * (p["alpha"] * p["delta_r"] - p["s_s"])
        de = (
            -p["c_e"]
            + z * (p["g_e"] + p["t"] + p["p_e"])
            + x * ((1 - p["alpha"]) * p["delta_r"] - p["s_e"])
        )
        dg = (
            p["l"]
            - p["c_g"]
            - x * p["g_s"]
            - y * (p["g_e"] + p["t"])
            + (1 - x) * p["p_s"]
            + (1 - y) * p["p_e"]
        )
        expected = [x * (1 - x) * ds, y * (1 - y) * de, z * (1 - z) * dg]
        assert_allclose(g.rhs([x, y, z]), expected, atol=1e-9)

    def test_corner_order_and_ess(self):
        g = government_school_enterprise(**DEFAULT_PARAMETERS["government_school_enterprise"])
        assert g.names == ("school", "enterprise", "government")
        assert_allclose(g.ess(), [[0, 0, 1], [1, 1, 1]])
        eqs = g.equilibria()
        corners = [tuple(e.x) for e in eqs if e.kind == "corner"]
        assert corners == list(itertools.product((0.0, 1.0), repeat=3))

    def test_ode_end_state_agrees_with_ess(self):
        g = government_school_enterprise(**DEFAULT_PARAMETERS["government_school_enterprise"])
        assert_allclose(g.simulate([0.8, 0.8, 0.8], 80.0).x[-1], [1, 1, 1], atol=1e-4)
        assert_allclose(g.simulate([0.1, 0.1, 0.5], 80.0).x[-1], [0, 0, 1], atol=1e-4)


def _gse_base(drop):
    p = dict(DEFAULT_PARAMETERS["government_school_enterprise"])
    del p[drop]
    return p


class TestSweep:
    def test_threshold_matches_closed_form(self):
        """(0, 0, 1) is an ESS while −C_e + G_e + T + P_e < 0, so with the other corners fixed
        the cooperative corner becomes the only ESS at P_e = C_e − G_e − T (by hand)."""
        for c_e in (4.0, 5.0):
            p = _gse_base("p_e")
            p["c_e"] = c_e
            res = sweep("government_school_enterprise", "p_e", np.linspace(0, 6, 101), params=p)
            assert_allclose(res.threshold, c_e - p["g_e"] - p["t"], rtol=1e-9)
            assert "only ESS" in res.threshold_message

    def test_school_enterprise_threshold(self):
        p = dict(DEFAULT_PARAMETERS["school_enterprise"])
        del p["g_e"]
        res = sweep("school_enterprise", "g_e", np.linspace(0, 5, 11), params=p)
        assert_allclose(res.threshold, p["c_e"] - p["t"] - p["f"], rtol=1e-9)
        assert [c.ess for c in res.changes()] == [((0, 0), (1, 1)), ((1, 1),)]

    def test_eigenvalues_agree_with_the_game(self):
        p = _gse_base("g_s")
        vals = np.array([0.0, 1.3, 4.0])
        res = sweep("government_school_enterprise", "g_s", vals, params=p)
        for i, v in enumerate(vals):
            g = government_school_enterprise(**p, g_s=v)
            corner_eqs = [e for e in g.equilibria() if e.kind == "corner"]
            for c, e in enumerate(corner_eqs):
                assert_allclose(
                    np.sort(res.eigenvalues[i, c]), np.sort(e.eigenvalues.real), atol=1e-12
                )
            assert_allclose(res.corners[res.ess[i]], g.ess())

    def test_no_threshold_and_already_there(self):
        p = _gse_base("p_e")
        res = sweep("government_school_enterprise", "p_e", [0.0, 1.0], params=p)
        assert np.isnan(res.threshold) and "not the only ESS" in res.threshold_message
        res = sweep("government_school_enterprise", "p_e", [3.0, 4.0], params=p)
        assert res.threshold == 3.0 and "already" in res.threshold_message

    def test_target_wildcard_corner(self):
        p = _gse_base("p_e")
        res = sweep("government_school_enterprise", "p_e", [0.0, 3.0], params=p, target=(0, 0, 1))
        assert list(res.target_only) == [False, False]

    def test_basin_shares_and_progress(self):
        p = _gse_base("p_e")
        seen = []
        res = sweep(
            "government_school_enterprise",
            "p_e",
            np.linspace(0, 5, 6),
            params=p,
            basins=True,
            grid=3,
            chunk_size=3,
            progress=lambda d, n: seen.append((d, n)),
        )
        assert seen == [(3, 6), (6, 6)]
        assert_allclose(res.basin_shares.sum(axis=1) + res.basin_unassigned, 1.0)
        assert res.basin_shares[-1, 7] == 1.0  # (1, 1, 1) is the last corner
        assert np.all(res.basin_shares[:, ~res.ess.any(axis=0)] == 0)

    @pytest.mark.parametrize(
        ("args", "kwargs", "match"),
        [
            (("cournot", "p_e", [1.0]), {"params": {}}, "`model` must be one of"),
            (("school_enterprise", "p_e", [1.0]), {"params": {}}, "`param` must be one of"),
            (
                ("government_school_enterprise", "p_e", [1.0]),
                {"params": {"p_e": 1.0}},
                "must not contain",
            ),
            (
                ("government_school_enterprise", "p_e", [1.0]),
                {"params": {"l": 1.0}},
                "missing parameters",
            ),
            (("government_school_enterprise", "p_e", [np.nan]), {}, "`values` must be finite"),
            (
                ("government_school_enterprise", "p_e", [[1.0]]),
                {},
                "`values` must be a non-empty 1-D",
            ),
            (
                ("government_school_enterprise", "p_e", [1.0]),
                {"target": (1, 1)},
                "`target` must be 3 values",
            ),
        ],
    )
    def test_validation(self, args, kwargs, match):
        kwargs.setdefault("params", _gse_base("p_e"))
        with pytest.raises(ValueError, match=match):
            sweep(*args, **kwargs)

    def test_alpha_values_out_of_range(self):
        with pytest.raises(ValueError, match=r"`values` of `alpha` must be in \[0, 1\]"):
            sweep("government_school_enterprise", "alpha", [0.5, 1.5], params=_gse_base("alpha"))


class TestCooperationThreshold:
    def test_closed_form(self):
        """P_e* = C_e − G_e − T (see TestSweep) and, for the school's penalty with the enterprise
        penalty high, (0, 0, 1) is never an ESS, so the threshold is the lower end."""
        p = _gse_base("p_e")
        assert_allclose(
            cooperation_threshold("government_school_enterprise", "p_e", params=p, bracket=(0, 10)),
            2.5,
            rtol=1e-9,
        )
        p = _gse_base("p_s")
        p["p_e"] = 4.0
        assert (
            cooperation_threshold("government_school_enterprise", "p_s", params=p, bracket=(0, 5))
            == 0.0
        )

    def test_validation(self):
        p = _gse_base("p_e")
        with pytest.raises(ValueError, match="`bracket` must be finite with lo < hi"):
            cooperation_threshold("government_school_enterprise", "p_e", params=p, bracket=(3, 1))
        with pytest.raises(ValueError, match="`num` must be >= 2"):
            cooperation_threshold(
                "government_school_enterprise", "p_e", params=p, bracket=(0, 1), num=1
            )
