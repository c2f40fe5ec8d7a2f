"""Every read of the policy register, already scoped; the game's incentive amounts; the
descriptive before/after comparison around a policy's start."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gongsheng.access.scope import scope
from gongsheng.consortia.choices import GOVERNMENT_TYPES, SCHOOL_TYPES, UnitType
from gongsheng.consortia.models import Unit
from gongsheng.declare import selectors as declared
from gongsheng.declare.declaration import declaration_for
from gongsheng.diagnosis.labels import MODE_LABELS, ORGANISATION_LABELS, group_label
from gongsheng.environment.choices import (
    AmountBasis,
    Instrument,
    PolicyKind,
    TargetGroup,
)
from gongsheng.environment.filters import in_force_q
from gongsheng.environment.models import PublicPolicy

DECLARED = declaration_for(PublicPolicy)
__all__ = ["in_force_q", "member_units", "policy_get", "policy_list"]

CENT = Decimal("0.01")


def policy_list(*, user: Any, consortium_id: int | None = None, filters: Any = None) -> QuerySet:
    """The policies the user may see (every role of their consortia), newest first;
    ``filters``: the declared filter set's parameters (``{"kind": "tax", "year": 2025}``)."""
    qs = declared.listing(DECLARED, user=user, consortium_id=consortium_id, params=filters)
    return qs.order_by("-effective_from", "-pk")


def policy_get(*, user: Any, policy_id: int, action: str = "view") -> PublicPolicy:
    return declared.get(DECLARED, user=user, pk=policy_id, action=action)


def member_units(*, user: Any, consortium_id: int) -> QuerySet:
    """The consortium's member units (for the target-unit choice)."""
    return (
        scope(user, Unit.objects.filter(memberships__consortium_id=consortium_id), "view")
        .distinct()
        .order_by("name")
    )


# --- the government–school–enterprise game's parameters -------------------------------------
#: the parameters, in the order the game page shows them, with what each one is
PARAMETERS: dict[str, Any] = {
    "G_s": gettext_lazy("subsidies to schools"),
    "G_e": gettext_lazy("subsidies to enterprises"),
    "T": gettext_lazy("tax incentives to enterprises"),
    "P_s": gettext_lazy("penalties on defecting schools"),
    "P_e": gettext_lazy("penalties on defecting enterprises"),
}
#: instruments that give their targets money or money's worth
BENEFITS = frozenset(
    {Instrument.REWARD, Instrument.SUBSIDY, Instrument.CREDIT_SUPPORT, Instrument.LAND_SUPPLY}
)


def unit_group(unit_type: str) -> str:
    """The diagnosis group of a unit type: government, school, enterprise, research or other."""
    if unit_type in GOVERNMENT_TYPES:
        return TargetGroup.GOVERNMENT
    if unit_type in SCHOOL_TYPES:
        return TargetGroup.SCHOOL
    if unit_type == UnitType.ENTERPRISE:
        return TargetGroup.ENTERPRISE
    if unit_type == UnitType.RESEARCH_INSTITUTE:
        return TargetGroup.RESEARCH
    return "other"


def parameter_for(kind: str, instrument: str, group: str) -> str | None:
    """The game parameter a measure of this kind and instrument aimed at ``group`` feeds
    (decision 0704), or ``None``."""
    if group not in (TargetGroup.SCHOOL, TargetGroup.ENTERPRISE):
        return None
    school = group == TargetGroup.SCHOOL
    if instrument == Instrument.PENALTY:
        return "P_s" if school else "P_e"
    is_tax = instrument == Instrument.TAX_RELIEF or (
        kind == PolicyKind.TAX and instrument in BENEFITS
    )
    if is_tax:
        return "G_s" if school else "T"
    if instrument in BENEFITS:
        return "G_s" if school else "G_e"
    return None


def _days(first: dt.date, last: dt.date) -> int:
    return max(0, (last - first).days + 1)


def annual_amount(policy: PublicPolicy, year: int) -> tuple[Decimal | None, str]:
    """The policy's amount in CNY for ``year`` and how it was reached (decision 0704).

    The yearly amount (per year; per unit, student or project × the quantity per year; a
    percentage × its CNY base per year) is prorated by the share of the year's days the policy
    is in force. A total over the term is spread evenly over the term's days; without an end it
    counts in full in the year it takes effect. ``None`` when it cannot be computed, with why.
    """
    if policy.amount is None:
        return None, _("no amount")
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    end = policy.ends_on
    in_year = _days(max(first, policy.effective_from), min(last, end) if end else last)
    if in_year == 0:
        return Decimal(0), _("not in force")
    amount = Decimal(policy.amount)
    basis = policy.amount_basis
    if basis == AmountBasis.TOTAL:
        if end is None:
            if policy.effective_from.year != year:
                return Decimal(0), _("total without an end: counted in its first year")
            return amount.quantize(CENT, ROUND_HALF_UP), _("total, counted in its first year")
        term = _days(policy.effective_from, end)
        value = amount * in_year / term
        how = _("total × %(d)s/%(t)s days of the term") % {"d": in_year, "t": term}
        return value.quantize(CENT, ROUND_HALF_UP), how
    if basis == AmountBasis.PER_YEAR:
        yearly, how = amount, _("per year")
    else:
        quantity = policy.quantity
        if quantity is None and basis == AmountBasis.PER_UNIT:
            n_units = len(policy.target_units.all())  # prefetched
            quantity = Decimal(n_units) if n_units else None
        if quantity is None:
            return None, _("no quantity per year")
        if basis == AmountBasis.PERCENTAGE:
            yearly = amount / 100 * quantity
            how = _("%(p)s%% × base %(q)s") % {"p": amount, "q": quantity}
        else:
            yearly, how = amount * quantity, f"{amount} × {quantity}"
    days_in_year = 366 if calendar.isleap(year) else 365
    value = yearly * in_year / days_in_year
    if in_year != days_in_year:
        how = _("%(how)s × %(d)s/%(n)s days in force") % {
            "how": how,
            "d": in_year,
            "n": days_in_year,
        }
    return value.quantize(CENT, ROUND_HALF_UP), how


def incentive_amounts(*, user: Any, consortium_id: int, year: int) -> dict:
    """The annual amounts (CNY) of the government–school–enterprise game's parameters from the
    consortium's policies in force in ``year``, each with the policies it came from.

    Returns a JSON-ready dict::

        {"consortium_id": 3, "year": 2025, "currency": "CNY",
         "parameters": {
             "G_s": {"label": "subsidies to schools", "amount": 1200000.0,
                     "policies": [{"id": 7, "title": "...", "number": "...",
                                   "amount": 1200000.0, "share": 1.0, "how": "per year"}]},
             "G_e": {...}, "T": {...}, "P_s": {...}, "P_e": {...}},
         "unmapped": [{"id": 9, "title": "...", "reason": "..."}]}

    ``amount`` is the sum of the listed contributions; a parameter no policy feeds has amount
    0.0 and an empty list. A policy aimed at several target groups is divided equally among
    them (a per-unit amount over named target units follows each group's number of units).
    Only policies the user may see count; ``NotFound`` when the consortium is not theirs.
    Mapping and normalisation: decision 0704.
    """
    from gongsheng.consortia.selectors import consortium_get

    consortium_get(user=user, consortium_id=consortium_id)
    policies = policy_list(user=user, consortium_id=consortium_id, filters={"year": year}).order_by(
        "effective_from", "pk"
    )
    params: dict[str, dict[str, Any]] = {
        key: {"label": str(label), "amount": Decimal(0), "policies": []}
        for key, label in PARAMETERS.items()
    }
    unmapped: list[dict[str, Any]] = []
    for p in policies:
        value, how = annual_amount(p, year)
        units = list(p.target_units.all())
        groups = list(p.groups)
        per_unit_split = p.amount_basis == AmountBasis.PER_UNIT and p.quantity is None and units
        if per_unit_split:
            weights: dict[str, Decimal] = {}
            for u in units:
                g = unit_group(u.type)
                weights[g] = weights.get(g, Decimal(0)) + 1
            total = sum(weights.values())
            shares = {g: w / total for g, w in weights.items()}
        else:
            for u in units:
                g = unit_group(u.type)
                if g not in groups:
                    groups.append(g)
            shares = {g: Decimal(1) / len(groups) for g in groups} if groups else {}
        targets = {g: parameter_for(p.kind, p.instrument, g) for g in shares}
        mapped = {g: key for g, key in targets.items() if key}
        if not mapped:
            unmapped.append(
                {"id": p.pk, "title": p.title, "reason": _unmapped_reason(p, list(shares))}
            )
            continue
        if value is None:
            unmapped.append({"id": p.pk, "title": p.title, "reason": how})
            continue
        for g, key in mapped.items():
            part = (value * shares[g]).quantize(CENT, ROUND_HALF_UP)
            params[key]["amount"] += part
            params[key]["policies"].append(
                {"id": p.pk, "title": p.title, "number": p.number, "amount": float(part),
                 "share": float(shares[g]), "how": how}
            )  # fmt: skip
    for entry in params.values():
        entry["amount"] = float(entry["amount"])
    return {
        "consortium_id": consortium_id,
        "year": year,
        "currency": "CNY",
        "parameters": params,
        "unmapped": unmapped,
    }


def _unmapped_reason(policy: PublicPolicy, groups: list[str]) -> str:
    if policy.instrument not in BENEFITS | {Instrument.TAX_RELIEF, Instrument.PENALTY}:
        return _("instrument %(i)s has no amount in the game") % {
            "i": policy.get_instrument_display()
        }
    return _("aimed at neither schools nor enterprises (%(groups)s)") % {
        "groups": "、".join(group_label(g) for g in groups) or _("none")
    }


# --- before / after a policy's start (descriptive) -------------------------------------------
DESCRIPTIVE_NOTE = gettext_lazy(
    "Descriptive only: the numbers describe the consortium in the years before and after the "
    "policy took effect; they do not show that the policy caused any difference."
)


@dataclass(frozen=True)
class PolicyComparison:
    """Mode counts and energy in the k years before vs the k years from the policy's start.

    ``k`` is the number of years on each side actually used: the one asked for, cut to the
    years with ledger data on both sides (the same on both, so the windows are comparable).
    ``windows`` is ``None`` with a ``reason`` when there is no year of data on one side.
    """

    policy_id: int
    start_year: int
    k_requested: int
    k: int
    data_years: tuple[int, int] | None
    before: tuple[int, int] | None
    after: tuple[int, int] | None
    result: Any  # diagnosis.selectors.window_comparison(...) or None
    reason: str = ""
    descriptive: bool = True
    note: str = DESCRIPTIVE_NOTE

    def rows(self) -> list[dict[str, Any]]:
        """The table the page shows: (label, before, after, after − before) per measure."""
        r = self.result
        if r is None:
            return []
        b, a = r.before, r.after
        out: list[dict[str, Any]] = [
            _row(_("pairs of units"), b.pair_count, a.pair_count, "count"),
            _row(_("pairs integrated + symmetric mutualism (the target state)"),
                 b.target_count, a.target_count, "count"),
            _row(_("energy surplus (CNY)"), b.energy, a.energy, "money"),
        ]  # fmt: skip
        for key in _ordered(b.behaviour_counts, a.behaviour_counts):
            out.append(
                _row(_("behaviour: %(m)s") % {"m": MODE_NAMES.get(key, key)},
                     b.behaviour_counts.get(key, 0), a.behaviour_counts.get(key, 0), "count")
            )  # fmt: skip
        for key in _ordered(b.organisation_counts, a.organisation_counts):
            out.append(
                _row(_("organisation: %(m)s") % {"m": MODE_NAMES.get(key, key)},
                     b.organisation_counts.get(key, 0), a.organisation_counts.get(key, 0),
                     "count")
            )  # fmt: skip
        return out

    def as_dict(self) -> dict[str, Any]:
        result = self.result
        if result is not None and hasattr(result, "as_dict"):
            result = result.as_dict()
        return {
            "policy_id": self.policy_id,
            "start_year": self.start_year,
            "k_requested": self.k_requested,
            "k": self.k,
            "data_years": list(self.data_years) if self.data_years else None,
            "before": list(self.before) if self.before else None,
            "after": list(self.after) if self.after else None,
            "result": result,
            "reason": self.reason,
            "descriptive": self.descriptive,
            "note": str(self.note),
        }


#: behavioural and organisational modes (the comparison names both kinds of change)
MODE_NAMES = {
    **MODE_LABELS,
    **ORGANISATION_LABELS,
    "none": pgettext_lazy("symbiosis mode", "no joint episodes"),
}


def _ordered(*dicts: dict[str, Any]) -> list[str]:
    keys: list[str] = []
    for d in dicts:
        keys.extend(k for k in d if k not in keys)
    return keys


def _row(label: Any, before: Any, after: Any, kind: str) -> dict[str, Any]:
    return {"label": label, "before": before, "after": after, "change": after - before,
            "kind": kind}  # fmt: skip


def comparison_windows(
    start_year: int, k: int, data_years: tuple[int, int] | None
) -> tuple[int, tuple[int, int] | None, tuple[int, int] | None, str]:
    """``(k_used, before, after, reason)``: ``before = (s − k, s − 1)``, ``after = (s, s + k −
    1)`` with ``k`` cut to the data on both sides."""
    if data_years is None:
        return 0, None, None, _("no ledger data yet")
    first, last = data_years
    k_used = min(k, start_year - first, last - start_year + 1)
    if k_used < 1:
        params = {"year": start_year, "first": first, "last": last}
        if start_year <= first:
            why = _("no year of data before %(year)s (data: %(first)s–%(last)s)") % params
        else:
            why = _("no year of data from %(year)s (data: %(first)s–%(last)s)") % params
        return 0, None, None, why
    return (
        k_used,
        (start_year - k_used, start_year - 1),
        (start_year, start_year + k_used - 1),
        "",
    )


def data_years(*, user: Any, consortium_id: int) -> tuple[int, int] | None:
    """The first and last calendar year with ledger entries the user may count."""
    from gongsheng.ledger.selectors import summary_by_period

    years = [r.period for r in summary_by_period(user=user, consortium_id=consortium_id)]
    return (min(years), max(years)) if years else None


def policy_comparison(*, user: Any, policy_id: int, k: int = 2) -> PolicyComparison:
    """Descriptive before/after comparison around the policy's start (no causal claim): the
    diagnosis's mode counts and energy in the ``k`` years before and the ``k`` years from the
    year it took effect, through ``diagnosis.selectors.window_comparison``."""
    policy = policy_get(user=user, policy_id=policy_id)
    k = max(1, min(int(k), 10))
    start = policy.effective_from.year
    years = data_years(user=user, consortium_id=policy.consortium_id)
    k_used, before, after, reason = comparison_windows(start, k, years)
    result = None
    if before and after:
        from gongsheng.diagnosis import selectors as diagnosis

        result = diagnosis.window_comparison(
            user=user, consortium_id=policy.consortium_id, before=before, after=after
        )
    return PolicyComparison(
        policy_id=policy.pk, start_year=start, k_requested=k, k=k_used, data_years=years,
        before=before, after=after, result=result, reason=reason,
    )  # fmt: skip
