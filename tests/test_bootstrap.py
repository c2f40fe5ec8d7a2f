"""``bootstrap.py test`` runs each check quietly: one line when it passes, its name and its
output when it fails (and then stops)."""

from __future__ import annotations

import os
import sys

import bootstrap
import pytest


def test_a_passing_step_prints_one_line(capsys):
    bootstrap.step("demo check", sys.executable, "-c", "print('lots of output')")
    out = capsys.readouterr().out
    assert out.splitlines() == [out.splitlines()[0]]
    assert out.startswith("[gongsheng] demo check: ok (")


def test_a_failing_step_names_itself_shows_its_output_and_stops(capsys):
    code = "import sys; print('the reason'); sys.exit(3)"
    with pytest.raises(SystemExit) as exc:
        bootstrap.step("migrations (makemigrations --check)", sys.executable, "-c", code)
    assert "the migrations (makemigrations --check) step failed" in str(exc.value.code)
    out = capsys.readouterr().out
    assert "[gongsheng] migrations (makemigrations --check): FAILED (exit 3" in out
    assert "the reason" in out


def test_pytest_output_off_a_terminal_has_no_repeated_lines(capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    script = (
        "print('bringing up nodes...'); print('bringing up nodes...'); print(); print('1 passed')"
    )
    code = bootstrap.pytest_quietly([sys.executable, "-c", script], env=dict(os.environ))
    assert code == 0
    assert capsys.readouterr().out.splitlines() == ["bringing up nodes...", "", "1 passed"]
