"""The filter sets of units and memberships (django-filter): one definition for the page, the
API's query parameters and the export (decision 0801)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gongsheng.consortia.models import Consortium, Membership, Unit


class UnitFilterSet(django_filters.FilterSet):
    """The unit directory's filters. ``rank`` and ``status`` are the unit's membership of the
    consortium listed: they mean something only there, so the declaration's
    ``in_consortium`` applies them (:func:`within`); without a consortium they are ignored."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    type = django_filters.CharFilter(label=_("Type"))
    rank = django_filters.CharFilter(label=_("Rank"), method="in_consortium_only")
    status = django_filters.CharFilter(label=_("Membership"), method="in_consortium_only")
    city = django_filters.CharFilter(label=_("City"), lookup_expr="icontains")

    class Meta:
        model = Unit
        fields = ["q", "type", "rank", "status", "city"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return qs.filter(
            Q(name__icontains=value)
            | Q(short_name__icontains=value)
            | Q(credit_code__icontains=value)
        )

    def in_consortium_only(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs


def within(qs: QuerySet, consortium_id: int, params: Any) -> QuerySet:
    """Units with a membership of the consortium (that membership prefetched as ``here``),
    narrowed by its ``rank`` and ``status`` when ``params`` give them."""
    from django.db.models import Prefetch

    members = Membership.objects.filter(consortium_id=consortium_id)
    qs = qs.filter(pk__in=members.values("unit_id")).prefetch_related(
        Prefetch("memberships", queryset=members, to_attr="here")
    )
    wanted = {k: (params.get(k) or "").strip() for k in ("rank", "status")} if params else {}
    wanted = {k: v for k, v in wanted.items() if v}
    if wanted:
        qs = qs.filter(pk__in=members.filter(**wanted).values("unit_id"))
    return qs


class MembershipFilterSet(django_filters.FilterSet):
    """The membership list's filters: the queue of applications is ``?status=applied``."""

    status = django_filters.CharFilter(label=_("Status"))
    rank = django_filters.CharFilter(label=_("Rank"))
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Membership
        fields = ["status", "rank", "q"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return qs.filter(Q(unit__name__icontains=value) | Q(unit__credit_code__icontains=value))


class ConsortiumFilterSet(django_filters.FilterSet):
    """The consortia's filters (the API's list; the list page reads the same parameters)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.CharFilter(label=_("Status"))
    level = django_filters.CharFilter(label=_("Level"))

    class Meta:
        model = Consortium
        fields = ["q", "status", "level"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(
            Q(name__icontains=value) | Q(code__icontains=value) | Q(city__icontains=value)
        )
