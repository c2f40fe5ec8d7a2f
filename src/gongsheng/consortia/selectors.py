"""Every read a user makes of consortia, units, contacts and memberships, already scoped.

Pages, the API, exports and the command line call these, so one rule decides what each user
sees. Lists use a constant number of queries whatever their length.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from gongsheng.access import personal
from gongsheng.access.scope import access_object, scope
from gongsheng.consortia.choices import MembershipStatus, UnitType
from gongsheng.consortia.models import Consortium, Contact, Membership, MembershipEvent, Unit


def consortium_list(*, user: Any, q: str = "", status: str = "", level: str = "") -> QuerySet:
    """The consortia the user sees, filtered as the API's list is (the declared listing)."""
    from gongsheng.declare.declaration import declaration_for
    from gongsheng.declare.selectors import listing

    params = {"q": q, "status": status, "level": level}
    return listing(declaration_for(Consortium), user=user, params=params)


def with_member_count(qs: QuerySet) -> QuerySet:
    """Consortia with their lead units and ``member_count`` (admitted members)."""
    # a correlated count per shown row (index consortium, status) beats a GROUP BY over every
    # membership of every consortium in the scope
    admitted = (
        Membership.objects.filter(consortium=OuterRef("pk"), status=MembershipStatus.ADMITTED)
        .order_by()
        .values("consortium")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        qs.select_related("lead_government", "lead_school", "lead_enterprise")
        .annotate(member_count=Coalesce(Subquery(admitted), 0))
        .order_by("name", "pk")
    )


def consortium_get(*, user: Any, consortium_id: int, action: str = "view") -> Consortium:
    qs = Consortium.objects.select_related("lead_government", "lead_school", "lead_enterprise")
    return access_object(user, qs, consortium_id, action)


@dataclass(frozen=True)
class ConsortiumOverview:
    consortium: Consortium
    members_by_type: list[tuple[str, str, int]]  # (code, label, count)
    members_by_rank: list[tuple[str, str, int]]
    status_counts: dict[str, int]
    joined_by_year: list[tuple[int, int]]  # (year, units joined)
    left_by_year: list[tuple[int, int]]
    admitted: int
    pending: int
    recent_events: list[MembershipEvent]


def consortium_overview(*, user: Any, consortium_id: int) -> ConsortiumOverview:
    """The dashboard numbers of one consortium, by aggregate queries over the scoped rows."""
    consortium = consortium_get(user=user, consortium_id=consortium_id)
    memberships = scope(user, Membership.objects.filter(consortium_id=consortium.pk), "view")
    admitted = memberships.filter(status=MembershipStatus.ADMITTED)
    by_type = dict(
        admitted.values_list("unit__type").annotate(n=Count("id")).values_list("unit__type", "n")
    )
    by_rank = dict(admitted.values_list("rank").annotate(n=Count("id")).values_list("rank", "n"))
    status_counts = dict(
        memberships.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    joined = (
        memberships.exclude(joined_on=None)
        .annotate(y=ExtractYear("joined_on"))
        .values("y")
        .annotate(n=Count("id"))
        .order_by("y")
    )
    left = (
        memberships.exclude(left_on=None)
        .annotate(y=ExtractYear("left_on"))
        .values("y")
        .annotate(n=Count("id"))
        .order_by("y")
    )
    from gongsheng.consortia.choices import Rank

    events = list(
        scope(
            user,
            MembershipEvent.objects.filter(membership__consortium_id=consortium.pk),
            "view",
        )
        .select_related("membership__unit", "actor")
        .order_by("-on", "-id")[:10]
    )
    return ConsortiumOverview(
        consortium=consortium,
        members_by_type=[(t.value, str(t.label), by_type.get(t.value, 0)) for t in UnitType],
        members_by_rank=[(r.value, str(r.label), by_rank.get(r.value, 0)) for r in Rank],
        status_counts=status_counts,
        joined_by_year=[(row["y"], row["n"]) for row in joined],
        left_by_year=[(row["y"], row["n"]) for row in left],
        admitted=status_counts.get(MembershipStatus.ADMITTED, 0),
        pending=status_counts.get(MembershipStatus.APPLIED, 0),
        recent_events=events,
    )


def unit_list(*, user: Any, consortium_id: int | None = None, params: Any = None) -> QuerySet:
    """Units the user may see, optionally those of one consortium, each with its membership
    there prefetched as ``here`` (two queries for any length): the declared listing."""
    from gongsheng.declare.declaration import declaration_for
    from gongsheng.declare.selectors import listing

    decl = declaration_for(Unit)
    return listing(decl, user=user, consortium_id=consortium_id, params=params).order_by(
        "name", "pk"
    )


def unit_get(*, user: Any, unit_id: int, action: str = "view") -> Unit:
    return access_object(user, Unit.objects.all(), unit_id, action)


@dataclass(frozen=True)
class UnitDetail:
    unit: Unit
    memberships: list[Membership]
    events: list[MembershipEvent]
    contacts: list[Contact] | None  # None: the user may not see this unit's contacts
    can_change: bool


def unit_detail(*, user: Any, unit_id: int) -> UnitDetail:
    unit = unit_get(user=user, unit_id=unit_id)
    memberships = list(
        scope(user, Membership.objects.filter(unit_id=unit.pk), "view").select_related(
            "consortium", "approved_by"
        )
    )
    events = list(
        scope(user, MembershipEvent.objects.filter(membership__unit_id=unit.pk), "view")
        .select_related("membership__consortium", "actor")
        .order_by("-on", "-id")
    )
    contacts_qs = scope(user, Contact.objects.filter(unit_id=unit.pk), "view_contents")
    contacts = personal.masked(user, contacts_qs)  # phone and e-mail: personal data
    may_see_contacts = (
        bool(contacts) or scope(user, Unit.objects.filter(pk=unit.pk), "change").exists()
    )
    can_change = scope(user, Unit.objects.filter(pk=unit.pk), "change").exists()
    return UnitDetail(
        unit=unit,
        memberships=memberships,
        events=events,
        contacts=contacts if may_see_contacts else None,
        can_change=can_change,
    )
