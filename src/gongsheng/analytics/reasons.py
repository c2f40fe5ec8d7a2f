"""Reasons as a code with parameters, and their one renderer (decision 0808).

The analytics say *why* (a pair's verdict, an alert, a degree that could not be found, an
organisational mode) as a :class:`Reason`: a code of :data:`MESSAGES` and its parameters
(names, numbers, dates, or other reasons). A ``Reason`` is also a ``str``, its plain English
rendering, so doctests and the framework-free API read as before; the structured form
(:meth:`Reason.as_dict`) is what is stored and what each reader renders in its language.

Every code's text is an English message (the msgid, context :data:`CONTEXT`) of the
platform's gettext catalogue, ``gongsheng/locale/<lang>/LC_MESSAGES/django.po``: the platform
renders with Django's ``pgettext``, the workbook report and the command line with Python's
``gettext`` module over the same compiled ``.mo`` (``gongsheng.workbook.texts``). Numbers are
formatted here, alike in every language (``1,234.50``, ``12.5%``; ``—`` for none).

>>> r = Reason("pair.only_gains", unit="School")
>>> r, r.code, r.as_dict()
('only School gains', 'pair.only_gains', {'code': 'pair.only_gains', 'params': {'unit': 'School'}})
>>> Reason.load(r.as_dict()) == r, Reason.load("an old stored line")
(True, 'an old stored line')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

#: the gettext context of every reason's message
CONTEXT = "reason"

#: how a numeric parameter is written
_FORMATS: dict[str, Callable[[float], str]] = {
    "money": lambda x: f"{x:,.2f}",
    "pct": lambda x: f"{x * 100:.1f}%",
    "num1": lambda x: f"{x:.1f}",
    "num2": lambda x: f"{x:.2f}",
    "num3": lambda x: f"{x:.3f}",
    "int": lambda x: f"{int(x):d}",
    "g": lambda x: f"{x:g}",
    "g4": lambda x: f"{x:.4g}",
    "g6": lambda x: f"{x:.6g}",
}


def pgettext(context: str, message: str, **formats: str) -> tuple[str, dict[str, str]]:
    """A catalogue row: marks ``message`` for ``makemessages`` (its keyword
    ``pgettext:1c,2``) and returns it with the formats of its numeric parameters."""
    return message, formats


#: code → (English message with %(name)s placeholders, {numeric parameter: format})
MESSAGES: dict[str, tuple[str, dict[str, str]]] = {
    # parts of a list of clauses
    "clauses": pgettext("reason", "%(first)s; %(rest)s"),
    # behavioural modes (the head of a pair's line)
    "behaviour.independent": pgettext("reason", "independence"),
    "behaviour.commensalism": pgettext("reason", "commensalism"),
    "behaviour.parasitism": pgettext("reason", "parasitism"),
    "behaviour.asymmetric_mutualism": pgettext("reason", "asymmetric mutualism"),
    "behaviour.symmetric_mutualism": pgettext("reason", "symmetric mutualism"),
    "behaviour.competition": pgettext("reason", "competition"),
    "behaviour.amensalism": pgettext("reason", "amensalism"),
    # a pair's line
    "pair.line": pgettext("reason", "%(mode)s: %(parts)s."),
    "pair.gains": pgettext(
        "reason", "%(unit)s gains %(amount)s (%(share)s of its input)", amount="money", share="pct"
    ),
    "pair.loses": pgettext(
        "reason", "%(unit)s loses %(amount)s (%(share)s of its input)", amount="money", share="pct"
    ),
    "pair.gains_no_input": pgettext(
        "reason", "%(unit)s gains %(amount)s without putting anything in", amount="money"
    ),
    "pair.nothing": pgettext("reason", "%(unit)s neither puts in nor receives anything"),
    "pair.energy": pgettext(
        "reason",
        "pair energy %(energy)s on a flow of %(flow)s (gains within ±%(band)s count as 0)",
        energy="money",
        flow="money",
        band="money",
    ),
    "pair.parasite": pgettext("reason", "%(unit)s is the parasite"),
    "pair.only_gains": pgettext("reason", "only %(unit)s gains"),
    "pair.free_rider": pgettext("reason", "%(unit)s puts in nothing (free rider)"),
    "pair.free_riders": pgettext("reason", "%(a)s and %(b)s put in nothing (free riders)"),
    # organisational modes (describe_organisation)
    "organisation.none": pgettext("reason", "no episode in the window"),
    "organisation.joint_body": pgettext("reason", "a joint body lasting over the window"),
    "organisation.dimensions": pgettext("reason", "sustained cooperation in many dimensions"),
    "organisation.sustained": pgettext("reason", "sustained cooperation without long gaps"),
    "organisation.repeated": pgettext("reason", "repeated separate episodes"),
    "organisation.single": pgettext("reason", "a single episode"),
    # the symbiosis degree of a pair
    "degree.no_series": pgettext("reason", "no quality-parameter series"),
    "degree.unit_few_periods": pgettext("reason", "%(unit)s has fewer than 2 periods with values"),
    "degree.few_common": pgettext("reason", "fewer than 2 periods observed for both units"),
    "degree.no_change": pgettext("reason", "no period in which both parameters changed"),
    "degree.mean": pgettext("reason", "mean of %(n)s period degree(s), growth", n="int"),
    # alerts: titles (the platform's alert list) and reasons
    "alert_title.free_rider": pgettext("reason", "Free rider: %(units)s"),
    "alert_title.parasitic_pair": pgettext("reason", "Parasitic pair: %(units)s"),
    "alert_title.inactive_member": pgettext("reason", "No joint activity: %(units)s"),
    "alert_title.school_hot_enterprise_cold": pgettext("reason", "Schools hot, enterprises cold"),
    "alert_title.concentration": pgettext("reason", "Inputs concentrated on %(units)s"),
    "alert.free_rider": pgettext(
        "reason",
        "%(unit)s received %(outputs)s and put in %(inputs)s (at most %(tolerance)s of what "
        "it received counts as nothing).",
        outputs="money",
        inputs="money",
        tolerance="pct",
    ),
    "alert.parasitic_pair": pgettext(
        "reason",
        "%(parasite)s gains %(gain)s from its pair with %(host)s, which loses %(loss)s "
        "(beyond the tolerance of %(band)s): %(parasite)s is the parasite.",
        gain="money",
        loss="money",
        band="money",
    ),
    "alert.parasitic_pair_listed": pgettext(
        "reason",
        "%(parasite)s gains %(gain)s from its pair with %(host)s, which loses %(loss)s "
        "(beyond the tolerance of %(band)s): %(parasite)s is the parasite. One of %(total)s "
        "parasitic pairs; the %(listed)s largest losses are listed.",
        gain="money",
        loss="money",
        band="money",
        total="int",
        listed="int",
    ),
    "alert.inactive_never": pgettext(
        "reason",
        "%(unit)s has no joint project, contract or booking in the window (limit %(limit)s "
        "months): joined but not cooperating (联而不合).",
        limit="int",
    ),
    "alert.inactive_since": pgettext(
        "reason",
        "%(unit)s's last joint activity ended on %(last)s, %(months)s months before %(end)s "
        "(limit %(limit)s months): joined but not cooperating (联而不合).",
        months="num1",
        limit="int",
    ),
    "alert.school_hot_enterprise_cold": pgettext(
        "reason",
        "Enterprises put in %(enterprise)s, %(ratio)s times the schools' %(school)s (below "
        "%(limit)s): schools hot, enterprises cold (校热企冷).",
        enterprise="money",
        ratio="num2",
        school="money",
        limit="num2",
    ),
    "alert.concentration": pgettext(
        "reason",
        "Inputs depend on few units: HHI %(hhi)s (limit %(hhi_max)s), %(unit)s puts in "
        "%(share)s of all inputs (limit %(share_max)s).",
        hhi="num3",
        hhi_max="num2",
        share="pct",
        share_max="pct",
    ),
    # the game's cooperation threshold (analytics.games.sweep)
    "game.no_threshold": pgettext(
        "reason",
        "The cooperative corner is not the only ESS for any %(param)s in [%(low)s, %(high)s].",
        low="g",
        high="g",
    ),
    "game.threshold_at_start": pgettext(
        "reason",
        "The cooperative corner is already the only ESS at the smallest %(param)s swept "
        "(%(value)s); the threshold may be lower.",
        value="g",
    ),
    "game.threshold": pgettext(
        "reason",
        "The cooperative corner is the only ESS from %(param)s = %(value)s on.",
        value="g6",
    ),
    "game.threshold_not_after": pgettext(
        "reason",
        "The cooperative corner is the only ESS from %(param)s = %(value)s on (it stops being "
        "the only ESS again at a larger value).",
        value="g6",
    ),
    # the Logistic system's interior equilibrium (analytics.dynamics)
    "stability.stable": pgettext("reason", "stable"),
    "stability.unstable": pgettext("reason", "unstable"),
    "stability.saddle": pgettext("reason", "a saddle"),
    "stability.non_hyperbolic": pgettext("reason", "non-hyperbolic"),
    "dynamics.unbounded": pgettext(
        "reason",
        "Mutualism too strong: A >= 0 with spectral radius %(rho)s >= 1, so there is no stable "
        "positive equilibrium and the units grow without bound.",
        rho="g4",
    ),
    "dynamics.unbounded_free": pgettext(
        "reason",
        "Mutualism too strong: A >= 0 with spectral radius %(rho)s > 1: the units that can live "
        "alone %(units)s already grow without bound among themselves (spectral radius "
        "%(rho_free)s >= 1), from every start where they are present.",
        rho="g4",
        rho_free="g4",
    ),
    "dynamics.unbounded_obligate": pgettext(
        "reason",
        "Mutualism too strong: A >= 0 with spectral radius %(rho)s > 1: the obligate units "
        "%(units)s grow near %(where)s (invasion rates %(rates)s > 0), so every start with all "
        "units present grows without bound.",
        rho="g4",
    ),
    "dynamics.unbounded_some": pgettext(
        "reason",
        "Mutualism too strong: A >= 0 with spectral radius %(rho)s > 1: large starts grow "
        "without bound, but from starts near %(where)s the obligate units %(units)s die out "
        "(invasion rates %(rates)s < 0): some starts die out and others blow up.",
        rho="g4",
    ),
    "dynamics.near_others": pgettext("reason", "the others' equilibrium"),
    "dynamics.near_zero": pgettext("reason", "the origin"),
    "dynamics.singular": pgettext(
        "reason", "I - A is singular: there is no isolated interior equilibrium."
    ),
    "dynamics.stable": pgettext("reason", "Interior equilibrium x* > 0 is stable."),
    "dynamics.not_stable": pgettext(
        "reason", "Interior equilibrium x* > 0 exists but is %(type)s."
    ),
    "dynamics.infeasible": pgettext(
        "reason",
        "No feasible interior equilibrium: x* <= 0 for units %(units)s (they are driven out).",
    ),
    # why the Logistic dynamics cannot be fitted to the data (input checks)
    "fit.not_finite": pgettext(
        "reason", "`X` must be finite; got NaN or inf (missing observations)"
    ),
    "fit.not_positive": pgettext("reason", "`X` must be positive; got min %(min)s"),
    "fit.too_few": pgettext(
        "reason",
        "`X` has %(observations)s observations, too few for %(parameters)s parameters; "
        "need more than %(parameters)s",
    ),
    # why a sharing rule gives no result (distribution studies)
    "allocation.not_entered": pgettext("reason", "not entered — %(missing)s"),
    "allocation.missing_risk": pgettext("reason", "risk: %(player)s"),
    "allocation.missing_effort": pgettext("reason", "effort: %(player)s"),
    "allocation.powers_partial": pgettext(
        "reason", "bargaining powers entered for some players only; missing: %(players)s"
    ),
    "allocation.no_inputs": pgettext("reason", "no inputs in the ledger for these players"),
    "allocation.factors_negative": pgettext("reason", "`factors` must be non-negative"),
    "allocation.factor_sums_zero": pgettext(
        "reason", "`factors` column %(column)s sums to 0: it cannot be shared out"
    ),
    "allocation.weights_not_positive": pgettext(
        "reason", "`factor_weights` must be non-negative with a positive sum"
    ),
    "allocation.powers_not_positive": pgettext(
        "reason", "`powers` must be positive; got %(powers)s"
    ),
    "allocation.disagreement_exceeds": pgettext(
        "reason",
        "`disagreement` sums to %(sum)s, more than `total` = %(total)s: "
        "no agreement improves on disagreement",
    ),
}

Translate = Callable[[str, str], str]  # (context, message) → the message in a language


def _english(context: str, message: str) -> str:
    return message


class Reason(str):
    """A reason: a code of :data:`MESSAGES` with its parameters, and (as a ``str``) its
    English rendering. Parameters are names, numbers (None or NaN for none), ISO dates, other
    reasons, or lists of reasons (rendered as clauses)."""

    code: str
    params: Mapping[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Reason:
        if code not in MESSAGES:
            raise ValueError(f"unknown reason code {code!r}")
        obj = super().__new__(cls, _render(code, params, _english))
        obj.code, obj.params = code, params
        return obj

    def __reduce__(self) -> Any:
        return (_rebuild, (self.code, dict(self.params)))

    def as_dict(self) -> dict[str, Any]:
        """``{"code": …, "params": {…}}`` with nested reasons as dicts (JSON-ready)."""
        return {"code": self.code, "params": {k: _plain(v) for k, v in self.params.items()}}

    @classmethod
    def load(cls, value: Any, text: Any = None) -> Any:
        """A reason from :meth:`as_dict`'s form. Anything else — an old stored English line,
        None, a code no longer known — is returned as it is, or as ``text`` (the English line
        stored beside the code) when given."""
        if isinstance(value, Mapping) and "code" in value and value["code"] in MESSAGES:
            params = {k: cls.load(v) if isinstance(v, Mapping) else v
                      for k, v in (value.get("params") or {}).items()}  # fmt: skip
            params = {k: [cls.load(x) for x in v] if isinstance(v, list) else v
                      for k, v in params.items()}  # fmt: skip
            return cls(value["code"], **params)
        return value if text is None else text


def _rebuild(code: str, params: dict[str, Any]) -> Reason:
    return Reason(code, **params)


def _plain(v: Any) -> Any:
    if isinstance(v, Reason):
        return v.as_dict()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, str):  # a NumPy scalar
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _value(v: Any, fmt: str | None, translate: Translate) -> str:
    if isinstance(v, Reason):
        return _render(v.code, v.params, translate)
    if isinstance(v, (list, tuple)):
        parts = [_value(x, None, translate) for x in v]
        text = parts[-1] if parts else ""
        for part in reversed(parts[:-1]):
            text = translate(CONTEXT, MESSAGES["clauses"][0]) % {"first": part, "rest": text}
        return text
    if fmt is not None:
        if v is None or (isinstance(v, float) and not math.isfinite(v)):
            return "—"
        return _FORMATS[fmt](float(v))
    return str(v)


def _render(code: str, params: Mapping[str, Any], translate: Translate) -> str:
    message, formats = MESSAGES[code]
    values = {k: _value(v, formats.get(k), translate) for k, v in params.items()}
    return translate(CONTEXT, message) % values


def render(value: Any, translate: Translate = _english) -> str:
    """A reason in the language of ``translate(context, message)`` (Django's or Python's
    ``pgettext``); a stored reason's dict form is loaded first, and anything that is not a
    reason (an old stored English line) is returned as text."""
    value = Reason.load(value)
    if isinstance(value, Reason):
        return _render(value.code, value.params, translate)
    return "" if value is None or isinstance(value, Mapping) else str(value)


def placeholders(message: str) -> set[str]:
    """The ``%(name)s`` placeholders of a message (for the catalogue's tests)."""
    import re

    return set(re.findall(r"%\((\w+)\)s", message))
