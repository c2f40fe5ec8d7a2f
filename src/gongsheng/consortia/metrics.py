"""The consortia app's metric: member units admitted."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongsheng.consortia.choices import MembershipStatus
from gongsheng.consortia.models import Membership
from gongsheng.metrics.registry import count_metric

count_metric(
    name="members_admitted",
    label=_("Member units admitted"),
    unit=pgettext_lazy("metric unit", "units"),
    source=_("consortia: memberships by their joining date"),
    description=_(
        "The member units admitted in the year (by the date they joined), whether or not they "
        "have left since. Applications still pending do not count."
    ),
    records=lambda: Membership.objects.filter(joined_on__isnull=False).exclude(
        status=MembershipStatus.APPLIED
    ),
    date_field="joined_on",
    unit_field="unit_id",
)
