"""Reasons as codes with parameters: every code has its text in both languages, and the
Chinese rendering has no English words left but the names and numbers put into it
(decision 0808). Framework-free: the catalogue is read as the workbook report and the command
line read it, with Python's gettext."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest

from gongsheng.analytics.diagnosis import ALERT_KINDS
from gongsheng.analytics.reasons import CONTEXT, MESSAGES, Reason, placeholders, render
from gongsheng.analytics.symbiosis import BehaviourMode
from gongsheng.workbook.texts import LANGUAGES, reason_text, translator

SRC = Path(__file__).resolve().parents[2] / "src" / "gongsheng"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
NAME = "滨江学院"


def _sample(code: str) -> Reason:
    """The code with a value for each placeholder: a Chinese name, a number for the numeric
    ones, nested reasons where the message takes them."""
    message, formats = MESSAGES[code]
    params: dict[str, object] = {}
    for name in placeholders(message):
        if name in formats:
            params[name] = 1234.5
        elif name == "mode":
            params[name] = Reason("behaviour.parasitism")
        elif name == "parts":
            params[name] = [
                Reason("pair.only_gains", unit=NAME),
                Reason("pair.parasite", unit="乙"),
            ]
        elif name == "type":
            params[name] = Reason("stability.saddle")
        elif name in ("last", "end"):
            params[name] = "2024-06-30"
        else:
            params[name] = NAME
    return Reason(code, **params)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_its_text_in_each_language(code, lang):
    message = MESSAGES[code][0]
    text = translator(lang)(CONTEXT, message)
    assert text.strip(), code
    if lang != "en":  # English is the message itself; every other language translates it
        assert text != message, f"{code} has no {lang} text in the catalogue"
    assert placeholders(text) == placeholders(message), code


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_the_chinese_rendering_has_no_english_words(code):
    text = reason_text(_sample(code), "zh")
    assert "%(" not in text and text
    assert LATIN_WORD.findall(text) == [], f"{code}: {text}"


def test_every_code_the_sources_name_is_in_the_catalogue():
    """Codes written out in the sources, and the ones made from a mode or an alert kind."""
    named: set[str] = set()
    for path in SRC.rglob("*.py"):
        named |= set(re.findall(r"""Reason\(\s*["']([\w.]+)["']""", path.read_text("utf-8")))
    named |= {f"behaviour.{m.value}" for m in BehaviourMode}
    named |= {f"alert_title.{k}" for k in ALERT_KINDS}
    named |= {f"stability.{t}" for t in ("unstable", "saddle", "non_hyperbolic")}
    assert named - set(MESSAGES) == set()
    assert len(named) > 40


def test_a_reason_is_its_english_line_and_keeps_its_code():
    r = Reason("alert.free_rider", unit="Firm", outputs=200000, inputs=0, tolerance=0.05)
    assert r == (
        "Firm received 200,000.00 and put in 0.00 (at most 5.0% of what it received counts "
        "as nothing)."
    )
    assert r.code == "alert.free_rider" and r.params["unit"] == "Firm"
    stored = json.loads(json.dumps(r.as_dict()))
    back = Reason.load(stored)
    assert isinstance(back, Reason) and back == r and back.params == r.params
    assert pickle.loads(pickle.dumps(r)).code == "alert.free_rider"
    assert reason_text(stored, "zh") == (
        "Firm获得 200,000.00 元，投入 0.00 元（投入不超过所得的 5.0% 即视为没有投入）。"
    )
    with pytest.raises(ValueError, match="unknown reason code"):
        Reason("no.such.code")


def test_nested_reasons_and_clauses_render_in_the_language_asked():
    line = Reason(
        "pair.line",
        mode=Reason("behaviour.commensalism"),
        parts=[Reason("pair.nothing", unit="甲"), Reason("pair.only_gains", unit="乙")],
    )
    assert line == "commensalism: 甲 neither puts in nor receives anything; only 乙 gains."
    assert reason_text(line, "zh") == "偏利共生：甲既无投入也无所得；仅乙获益。"
    assert render(line.as_dict()) == str(line)


def test_an_old_stored_line_renders_as_it_was():
    old = "School gains 30.00 (30.0% of its input)"
    assert Reason.load(old) == old and reason_text(old, "zh") == old
    assert reason_text(None) == "" and reason_text({"code": "gone"}, "zh") == ""
    # a code no longer known gives way to the English line stored beside it
    assert Reason.load({"code": "gone", "params": {}}, old) == old
    assert Reason.load(None, old) == old


def test_a_missing_number_is_a_dash_in_every_language():
    r = Reason("pair.loses", unit="甲", amount=5.0, share=float("nan"))
    assert r == "甲 loses 5.00 (— of its input)"
    assert json.dumps(r.as_dict()["params"]["share"]) == "null"
    assert reason_text(r, "zh") == "甲受损 5.00 元（为其投入的 —）"


def test_numpy_numbers_are_stored_as_plain_json():
    import numpy as np

    r = Reason("degree.mean", n=np.int64(3))
    assert json.dumps(r.as_dict()) == '{"code": "degree.mean", "params": {"n": 3}}'
    assert reason_text(r, "zh") == "3 期共生度的平均值（按增长率计算）"
