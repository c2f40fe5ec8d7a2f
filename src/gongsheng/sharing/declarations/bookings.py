"""The booking's declaration: the API (``GET/POST /bookings``, ``GET/PATCH /bookings/{id}``,
``POST /bookings/{id}/approve|reject|cancel``) and the ``bookings`` import/export table come
from it (``gongsheng.declare``).

What stays the app's own, and why:

- the request is ``services.booking_create`` (the API's create calls it, ``create_service``):
  it locks the resource and checks opening hours, capacity, overlaps and quotas, which no
  standard create does;
- the decisions and the cancellation are named services and moves (approve, reject, cancel;
  ``cancel_late`` is the right to cancel after the notice period): they post and reverse the
  ledger flow and tell the parties;
- the pages (``pages = False``): a booking has no list or edit page of its own but the approval
  queue, the unit's bookings and the resource's calendar (``views``), whose buttons post to
  ``/bookings/<id>/decide/`` and ``…/cancel/``;
- no delete (a booking is cancelled, never deleted: the ledger names it). Only the purpose is
  edited after the request.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from gongsheng.audit.models import EventType
from gongsheng.declare.declaration import Declaration, Events, Move, register
from gongsheng.sharing.models import Booking
from gongsheng.sharing.schemas import BookingIn, BookingOut, BookingPatch, DecisionIn, VersionIn
from gongsheng.sharing.transfers import BookingResource


class BookingFilters(django_filters.FilterSet):
    """The bookings' filters (API and export): resource, booking unit, host unit, status and
    a time window (bookings that end after ``since`` and start before ``until``)."""

    resource = django_filters.NumberFilter(field_name="resource_id")
    unit = django_filters.NumberFilter(field_name="unit_id")
    host_unit = django_filters.NumberFilter(field_name="host_unit_id")
    status = django_filters.CharFilter(field_name="status")
    since = django_filters.IsoDateTimeFilter(field_name="end", lookup_expr="gt")
    until = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt")

    class Meta:
        model = Booking
        fields = ["resource", "unit", "host_unit", "status", "since", "until"]


SERVICES = "gongsheng.sharing.services"


@register
class BookingDeclaration(Declaration):
    model = Booking
    name = "bookings"
    namespace = "sharing"
    label = gettext_lazy("Bookings")
    id_name = "booking_id"
    pages = False
    deletable = False
    fields = ("purpose",)
    unit_field = "unit"
    events = Events(EventType.BOOKING_CREATED, EventType.BOOKING_CHANGED, EventType.BOOKING_DELETED)
    moves = (
        Move("approve", f"{SERVICES}.booking_approve", label=gettext_lazy("Approve"),
             schema=VersionIn, event=EventType.BOOKING_MOVED),
        Move("reject", f"{SERVICES}.booking_reject", label=gettext_lazy("Reject"),
             schema=DecisionIn, event=EventType.BOOKING_MOVED),
        Move("cancel", f"{SERVICES}.booking_cancel", label=gettext_lazy("Cancel"),
             schema=DecisionIn, event=EventType.BOOKING_MOVED),
    )  # fmt: skip
    create_service = f"{SERVICES}.booking_create"
    filterset = BookingFilters
    columns = BookingResource.columns
    resource = BookingResource
    schema_out, schema_in, schema_patch = BookingOut, BookingIn, BookingPatch
    api_tags = ["sharing"]
    select_related = ("consortium", "resource", "unit", "host_unit", "decided_by")
    invalid_message = gettext_lazy("The booking could not be saved.")

    def base_queryset(self) -> QuerySet:
        return super().base_queryset().order_by("start", "pk")
