"""Pages for shared resources and bookings: thin, over selectors and services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can, context_for
from gongsheng.consortia.selectors import consortium_get
from gongsheng.core.charts import bar_option, bar_series
from gongsheng.core.errors import Conflict, Forbidden, ValidationFailed
from gongsheng.core.pages import error_text, page_errors, paginate, query_without_page
from gongsheng.sharing import selectors, services
from gongsheng.sharing.forms import FIELD_MAP, BookingForm
from gongsheng.sharing.models import Booking


def _utilisation_charts(u: selectors.Utilisation) -> dict[str, dict]:
    """The utilisation charts: booked hours by month, hours used and hosted by unit."""
    units = u.units[:15]
    return {
        "months": bar_option(
            [m for m, _h in u.by_month],
            [bar_series(None, (float(h) for _m, h in u.by_month))],
            colours=("#0b6e4f",),
        ),
        "units": bar_option(
            [r["name"] for r in units],
            [
                bar_series(_("used"), (float(r["used"]) for r in units)),
                bar_series(_("hosted"), (float(r["hosted"]) for r in units)),
            ],
            colours=("#2b6cb0", "#b7791f"),
            horizontal=True,
            legend={},
        ),
    }


def _year(request: HttpRequest) -> int | None:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() else None


def _export_bookings(
    request: HttpRequest,
    consortium_id: int,
    *,
    resource_id: int | None = None,
    unit_id: int | None = None,
) -> HttpResponse:
    """The bookings of one resource or one unit as a table (the ``bookings`` resource)."""
    from gongsheng.transfer.exporting import export_response

    qs = selectors.booking_list(
        user=request.user, consortium_id=consortium_id, resource_id=resource_id, unit_id=unit_id
    )
    return export_response(
        request, "bookings", qs, fmt=request.GET["export"], actor=request.user,
        consortium_id=consortium_id,
    )  # fmt: skip


@login_required
@page_errors
def utilisation(request: HttpRequest, consortium_id: int) -> HttpResponse:
    u = selectors.utilisation(user=request.user, consortium_id=consortium_id, year=_year(request))
    return render(
        request,
        "sharing/utilisation.html",
        {"u": u, "charts": _utilisation_charts(u), "current_consortium": u.consortium,
         "nav": "resources"},
    )  # fmt: skip


def _monday(request: HttpRequest) -> dt.date:
    raw = request.GET.get("week", "")
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


@login_required
@page_errors
def resource_detail(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get(user=request.user, resource_id=resource_id)
    if request.GET.get("export"):  # the bookings of this resource the user may see
        return _export_bookings(request, resource.consortium_id, resource_id=resource.pk)
    monday = _monday(request)
    u = selectors.utilisation(
        user=request.user, consortium_id=resource.consortium_id, year=_year(request),
        resource_id=resource.pk,
    )  # fmt: skip
    return render(
        request,
        "sharing/resource_detail.html",
        {
            "r": resource,
            "weeks": selectors.resource_weeks(user=request.user, resource=resource, monday=monday),
            "prev_week": monday - dt.timedelta(days=14),
            "next_week": monday + dt.timedelta(days=14),
            "u": u,
            "charts": _utilisation_charts(u),
            "opening": [
                (WEEKDAYS[int(day) - 1], windows)
                for day, windows in sorted((resource.opening_hours or {}).items())
            ],
            "upcoming_closed": [
                d for d in resource.closed_dates or [] if d >= timezone.localdate().isoformat()
            ][:12],
            "can_book": selectors.booking_right(user=request.user, resource=resource).may_book,
            "can_change": can(request.user, "change", resource),
            "current_consortium": resource.consortium,
            "nav": "resources",
        },
    )  # fmt: skip


@login_required
@page_errors
def book(request: HttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get(user=request.user, resource_id=resource_id)
    right = selectors.booking_right(user=request.user, resource=resource)
    if not right.may_book:
        raise Forbidden(_("You may not book this resource."))
    if request.method == "POST":
        form = BookingForm(request.POST, units=right.units)
        if form.is_valid():
            start, end = form.times()
            try:
                booking = services.booking_create(
                    actor=request.user, resource_id=resource.pk, start=start, end=end,
                    unit_id=form.unit_id(), quantity=form.cleaned_data["quantity"],
                    purpose=form.cleaned_data["purpose"],
                )  # fmt: skip
            except ValidationFailed as exc:
                form.add_error(None, exc.message)
                for err in exc.errors:
                    target = FIELD_MAP.get(err.field, err.field)
                    form.add_error(target if target in form.fields else None, err.message)
            else:
                messages.success(
                    request,
                    _("Booked %(booking)s; the owner unit will decide on it.")
                    % {"booking": booking},
                )
                week = timezone.localtime(booking.start).date()
                return redirect(f"{resource.get_absolute_url()}?week={week}")
    else:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        form = BookingForm(initial={"day": tomorrow}, units=right.units)
    return render(
        request,
        "sharing/book.html",
        {"form": form, "r": resource, "current_consortium": resource.consortium,
         "nav": "resources"},
    )  # fmt: skip


@login_required
@page_errors
def queue(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    qs = selectors.approval_queue(user=request.user, consortium_id=consortium.pk)
    return render(
        request,
        "sharing/queue.html",
        {"page": paginate(request, qs), "query": query_without_page(request),
         "current_consortium": consortium, "nav": "bookings"},
    )  # fmt: skip


@login_required
@page_errors
def mine(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    if request.GET.get("export"):  # the bookings of the user's unit
        unit_id = context_for(request.user).unit_id
        if unit_id is None:
            raise Forbidden(_("Only a member unit's users have bookings of their own."))
        return _export_bookings(request, consortium.pk, unit_id=unit_id)
    qs = selectors.my_bookings(user=request.user, consortium_id=consortium.pk)
    page = paginate(request, qs)
    # the cancel button only where booking_cancel would accept it (state, right, deadline)
    cancellable = selectors.cancellable(user=request.user, bookings=list(page))
    return render(
        request,
        "sharing/mine.html",
        {"page": page, "query": query_without_page(request),
         "current_consortium": consortium, "nav": "bookings", "cancellable": cancellable},
    )  # fmt: skip


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@require_POST
@page_errors
def decide(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get(user=request.user, booking_id=booking_id)
    try:
        if request.POST.get("decision") == "approve":
            booking = services.booking_approve(
                actor=request.user, booking_id=booking.pk, version=_version(request)
            )
            messages.success(request, _("Approved the booking %(booking)s.") % {"booking": booking})
        else:
            booking = services.booking_reject(
                actor=request.user, booking_id=booking.pk, version=_version(request),
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
            messages.success(request, _("Rejected the booking %(booking)s.") % {"booking": booking})
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, error_text(exc, Booking))
    return redirect("sharing:queue", booking.consortium_id)


@login_required
@require_POST
@page_errors
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = selectors.booking_get(user=request.user, booking_id=booking_id)
    try:
        services.booking_cancel(
            actor=request.user, booking_id=booking.pk, version=_version(request),
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
        messages.success(request, _("Cancelled."))
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, exc.message)
    return redirect("sharing:mine", booking.consortium_id)


# the catalogue, the new and edit pages of resources and the quota pages are declared
# (sharing.declarations, see urls.py)
