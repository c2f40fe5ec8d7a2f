"""The consortia app's metric: member units admitted."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.access.scope import scope
from gongsheng.consortia.choices import MembershipStatus
from gongsheng.consortia.models import Membership
from gongsheng.metrics.registry import metric


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
    if consortium_ids is not None:
        qs = qs.filter(consortium_id__in=consortium_ids)
    return list(
        qs.order_by()
        .annotate(y=ExtractYear("joined_on"))
        .filter(y__gte=year_from, y__lte=year_to)
        .values_list("consortium_id", "unit_id", "y")
        .annotate(n=Count("pk"))
    )
