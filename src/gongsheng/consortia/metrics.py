"""The consortia app's metric: member units admitted."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.access.scope import scope
from gongsheng.consortia.choices import MembershipStatus
from gongsheng.consortia.models import Membership
from gongsheng.metrics.registry import count_by_year, metric


@metric(
    name="members_admitted",
    label=_("Member units admitted"),
    unit=pgettext_lazy("metric unit", "units"),
    source=_("consortia: memberships by their joining date"),
    description=_(
        "The member units admitted in the year (by the date they joined), whether or not they "
        "have left since. Applications still pending do not count."
    ),
)
def members_admitted(
    *, user: Any, consortium_ids: list[int] | None, year_from: int, year_to: int
) -> list[tuple[int, int | None, int, Any]]:
    qs = (
        scope(user, Membership.objects.all(), "view")
        .filter(joined_on__isnull=False)
        .exclude(status=MembershipStatus.APPLIED)
    )
    return count_by_year(
        qs, "joined_on", consortium_ids=consortium_ids, year_from=year_from, year_to=year_to,
        unit_field="unit_id",
    )  # fmt: skip
