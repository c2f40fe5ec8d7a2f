"""Import and export of the policy register: the cells the declared resource cannot read
alone (target groups, target units by credit code). Registered by ``declarations``.

The key is the register's own id: a row without one is a new policy, a row with one updates
that policy of the consortium (an id from another consortium or unknown is a bad cell). A
re-imported export changes nothing. Target groups are codes or labels separated by commas;
target units are credit codes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import override

from gongsheng.consortia.credit_code import normalise
from gongsheng.declare.transfer import DeclaredResource
from gongsheng.environment.choices import AmountBasis, TargetGroup
from gongsheng.environment.models import PublicPolicy
from gongsheng.transfer.resources import CellError, RowContext, parse_text

_SPLIT = re.compile(r"[,，、;；\s]+")


def parse_groups(value: Any) -> str:
    """``学校、企业`` or ``schools, enterprises`` or codes -> ``school,enterprise``."""
    found: list[str] = []
    for part in _SPLIT.split(parse_text(value)):
        if not part:
            continue
        folded = part.casefold()
        match = None
        for member in TargetGroup:
            names = {member.value}
            for lang in ("zh-hans", "en"):
                with override(lang):
                    names.add(str(member.label).casefold())
            if folded in names:
                match = member.value
                break
        if match is None:
            allowed = "、".join(str(m.label) for m in TargetGroup)
            raise CellError(
                _("“%(v)s” is not one of: %(allowed)s.") % {"v": part, "allowed": allowed}
            )
        found.append(match)
    return ",".join(g for g in TargetGroup.values if g in found)


def parse_codes(value: Any) -> list[str]:
    return [normalise(p) for p in _SPLIT.split(parse_text(value)) if p]


def units_of(policy: PublicPolicy) -> str:
    return ", ".join(sorted(u.credit_code for u in policy.target_units.all()))


class PolicyResource(DeclaredResource):
    """The consortium's policies and incentives (columns in ``declarations.COLUMNS``); target
    units are read as credit codes of member units."""

    def existing(self, keys: Iterable[Any], context: RowContext) -> dict[Any, Model]:
        from gongsheng.consortia.models import Unit

        found = super().existing(keys, context)
        context.extra["units"] = dict(
            Unit.objects.filter(memberships__consortium_id=context.consortium_id).values_list(
                "credit_code", "pk"
            )
        )
        return found

    def check_row(self, values: dict[str, Any], existing: Model | None, context: RowContext):
        problems = []
        if existing is None and values.get("id") is not None:
            problems.append(("id", _("no policy of this consortium has this number")))
        units = context.extra.get("units", {})
        unknown = [c for c in values.get("target_units") or [] if c not in units]
        if unknown:
            problems.append(
                ("target_units", _("not a member unit: %(c)s") % {"c": ", ".join(unknown)})
            )
        start, end = values.get("effective_from"), values.get("effective_to")
        if start and end and end < start:
            problems.append(("effective_to", _("earlier than the date it takes effect")))
        return problems

    def data(self, values: dict[str, Any], context: RowContext) -> dict[str, Any]:
        data = super().data(values, context)
        if not data.get("amount_basis"):
            data["amount_basis"] = AmountBasis.PER_YEAR
        if "target_units" in values:
            units = context.extra["units"]
            data["target_unit_ids"] = [units[c] for c in values["target_units"]]
        return data
