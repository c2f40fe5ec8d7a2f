"""The policy register's one filter set: the list page, the API and the export use it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gongsheng.environment.choices import Classification, Instrument, PolicyKind
from gongsheng.environment.models import PublicPolicy


def in_force_q(year: int) -> Q:
    """Policies in force on at least one day of ``year``."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (
        Q(effective_from__lte=last)
        & (Q(effective_to__isnull=True) | Q(effective_to__gte=first))
        & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=first))
    )


class PolicyFilterSet(django_filters.FilterSet):
    """Search in title, number and issuer; kind, instrument, classification; ``year``: in force
    on at least one day of that year. A bad value is left out (the list shows without it)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PolicyKind.choices)
    instrument = django_filters.ChoiceFilter(label=_("Instrument"), choices=Instrument.choices)
    classification = django_filters.ChoiceFilter(
        label=_("Classification"), choices=Classification.choices
    )
    year = django_filters.NumberFilter(
        label=_("In force in year"), method="in_force", min_value=1901, max_value=2199
    )

    class Meta:
        model = PublicPolicy
        fields = ["q", "kind", "instrument", "classification", "year"]

    def search(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(
            Q(title__icontains=value) | Q(number__icontains=value) | Q(issuer__icontains=value)
        )

    def in_force(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None or value != int(value):
            return qs
        return qs.filter(in_force_q(int(value)))
