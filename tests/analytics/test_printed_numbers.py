"""Printed numbers are the same on every machine: no signed zeros, no last-bit noise.

A fresh machine's NumPy printed ``-0`` for an eigenvalue, ``-3.701e-17`` for a trace that is 0
in theory and ``-8.999999999999998`` for a determinant of -9 (``gongsheng game``).
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from gongsheng.analytics.evaluation import combine_weights, grey_relational
from gongsheng.analytics.games import DEFAULT_PARAMETERS, government_school_enterprise
from gongsheng.analytics.games import school_enterprise as school_enterprise_game
from gongsheng.cli import allocate as allocate_cli
from gongsheng.cli import evaluate as evaluate_cli
from gongsheng.cli import game as game_cli
from gongsheng.cli._format import clean, num, tidy

#: a minus sign before a zero that is not followed by other digits: -0, -0.0, -0.0000, -0e+00
SIGNED_ZERO = re.compile(r"-0(\.0*)?(e[+-]?\d+)?(?![\d.])")
#: a float with 15 or more significant digits (last-bit noise) or a tiny exponent
NOISE = re.compile(r"\d\.?\d{14,}|e-1\d\b")


class TestFormatting:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [(-0.0, 0.0), (-3.7e-17, 0.0), (-8.999999999999998, -9.0), (0.30000000000000004, 0.3)],
    )
    def test_clean(self, value, expected):
        out = clean(value)
        assert out == expected and math.copysign(1.0, out) == math.copysign(1.0, expected)

    def test_clean_keeps_nan_inf_and_real_figures(self):
        assert math.isnan(clean(float("nan")))
        assert clean(float("-inf")) == float("-inf")
        assert clean(0.816496580927726) == 0.816496580928
        assert clean(1.5e-9) == 1.5e-9

    @pytest.mark.parametrize(
        ("value", "spec", "expected"),
        [
            (-0.0, ".4g", "0"),
            (-1e-17, ".4f", "0.0000"),
            (-4e-5, ".2f", "0.00"),
            (-2.5, ".4g", "-2.5"),
        ],
    )
    def test_num(self, value, spec, expected):
        assert num(value, spec) == expected

    def test_tidy_walks_json_like_data(self):
        data = {"a": [-0.0, (1e-18, 2)], "b": {"c": np.float64(-8.999999999999998)}, "d": "x"}
        assert tidy(data) == {"a": [0.0, (0.0, 2)], "b": {"c": -9.0}, "d": "x"}
        assert "-0.0" not in json.dumps(tidy(data))

    def test_the_patterns_catch_the_old_output(self):
        assert SIGNED_ZERO.search("│ -0, -0.5, 1.5 │") and SIGNED_ZERO.search("[-0.0, 1]")
        assert not SIGNED_ZERO.search("-0.5, -0.25, 10, -10.0")
        assert NOISE.search("-8.999999999999998") and NOISE.search("-3.701e-17")
        assert not NOISE.search("0.816496580928, 1e-05")


class TestGameAtTheSource:
    def test_corner_eigenvalues_have_no_signed_zero(self):
        game = government_school_enterprise(**DEFAULT_PARAMETERS["government_school_enterprise"])
        for e in game.equilibria():
            for v in np.asarray(e.eigenvalues).real:
                assert not (v == 0 and math.copysign(1.0, v) < 0), (e.x, e.eigenvalues)
            assert math.copysign(1.0, e.trace) > 0 or e.trace != 0

    def test_interior_trace_is_exactly_zero(self):
        # J_pp = (1 − 2x_p)Δ_p and Δ_p = 0 at a mixed rest point: the trace is 0, not ~1e-17
        game = school_enterprise_game(**DEFAULT_PARAMETERS["school_enterprise"])
        (interior,) = [e for e in game.equilibria() if e.kind == "interior"]
        assert interior.trace == 0.0 and math.copysign(1.0, interior.trace) == 1.0


class TestCommandsPrintCleanNumbers:
    @pytest.mark.parametrize("model", ["school_enterprise", "government_school_enterprise"])
    def test_game_table(self, model, capsys):
        assert game_cli.main(["--model", model]) == 0
        out = capsys.readouterr().out
        assert not SIGNED_ZERO.search(out), out
        assert not NOISE.search(out), out

    def test_game_json(self, capsys):
        assert game_cli.main(["--format", "json"]) == 0
        out = capsys.readouterr().out
        assert not SIGNED_ZERO.search(out) and not NOISE.search(out), out
        rows = {tuple(r["point"]): r for r in json.loads(out)["equilibria"]}
        assert rows[(1.0, 1.0, 0.0)]["eigenvalues"] == [0.0, -0.5, 1.5]
        assert rows[(0.0, 0.0, 1.0)]["det"] == -9.0

    def test_game_two_populations_json(self, capsys):
        assert game_cli.main(["--model", "school_enterprise", "--format", "json"]) == 0
        (interior,) = [e for e in json.loads(capsys.readouterr().out)["equilibria"]
                       if e["kind"] == "interior"]  # fmt: skip
        assert interior["trace"] == 0.0 and interior["det"] == pytest.approx(-2 / 3)

    @pytest.mark.parametrize("fmt", ["table", "json"])
    def test_evaluate_and_allocate_examples(self, fmt, capsys):
        from importlib.resources import files

        examples = files("gongsheng.cli") / "examples"
        assert evaluate_cli.main([str(examples / "evaluate_example.xlsx"), "--format", fmt]) == 0
        assert allocate_cli.main([str(examples / "allocate_example.xlsx"), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert not SIGNED_ZERO.search(out), out
        assert not NOISE.search(out), out


class TestNumberArguments:
    """``np.isscalar("x")`` is True: a string reached ``0 <= "x"`` and raised TypeError."""

    def test_alpha_must_be_a_number(self):
        with pytest.raises(ValueError, match="`alpha` must be a number"):
            combine_weights([0.5, 0.5], [0.5, 0.5], alpha="0.5")

    def test_rho_must_be_a_number(self):
        with pytest.raises(ValueError, match="`rho` must be in"):
            grey_relational([1.0, 2.0], [[1.0, 2.0]], rho="0.5")
