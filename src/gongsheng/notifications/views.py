"""Pages: the inbox, notification settings, chat groups, the delivery log (thin views)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can
from gongsheng.core.errors import ApplicationError, Forbidden
from gongsheng.core.pages import form_errors, page_errors, paginate, query_without_page
from gongsheng.notifications import selectors, services
from gongsheng.notifications.forms import ChatChannelForm
from gongsheng.notifications.models import Channel, ChatChannel, Delivery, DeliveryState


# --- inbox --------------------------------------------------------------------------------
@login_required
@page_errors
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = paginate(request, selectors.inbox(request.user, unread_only=unread_only))
    rows = selectors.inbox_rows(request.user, list(page.object_list))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "rows": rows,
            "unread_only": unread_only,
            "query": query_without_page(request),
            "nav": "inbox",
        },
    )


@login_required
@require_POST
@page_errors
def read(request: HttpRequest, notification_id: int) -> HttpResponse:
    note = services.notification_mark_read(actor=request.user, notification_id=notification_id)
    if request.headers.get("HX-Request"):
        [row] = selectors.inbox_rows(request.user, [note])
        return render(request, "notifications/_row.html", {"row": row})
    return redirect("notifications:inbox")


@login_required
@require_POST
@page_errors
def read_all(request: HttpRequest) -> HttpResponse:
    n = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, _("%(n)d notifications marked read.") % {"n": n})
    return redirect("notifications:inbox")


# --- preferences --------------------------------------------------------------------------
@login_required
@page_errors
def preferences(request: HttpRequest) -> HttpResponse:
    rows = selectors.preferences(request.user)
    if request.method == "POST":
        choices = {
            (r.event, channel): f"{r.event}.{channel}" in request.POST
            for r in rows
            for channel in (Channel.MAIL, Channel.CHAT)
        }
        try:
            services.preferences_set(actor=request.user, choices=choices)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "has_mail": bool(request.user.email), "nav": "preferences"},
    )


# --- chat groups --------------------------------------------------------------------------
@login_required
@page_errors
def channels(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = selectors.consortium_get(request.user, consortium_id)
    groups = list(selectors.chat_channels(request.user, consortium_id=consortium.pk))
    changeable = {g.pk for g in groups if can(request.user, "change", g)} if groups else set()
    return render(
        request,
        "notifications/channels.html",
        {
            "groups": groups,
            "changeable": changeable,
            "may_add": bool(selectors.unit_choices(request.user, consortium.pk))
            or can(request.user, "add", ChatChannel, consortium_id=consortium.pk, owner_id=0),
            "current_consortium": consortium,
            "nav": "chat_groups",
        },
    )


def _channel_form(
    request: HttpRequest, consortium, group: ChatChannel | None
) -> HttpResponse | None:
    units = selectors.unit_choices(request.user, consortium.pk)
    initial = {"is_active": True}
    if group is not None:
        initial = {
            "version": group.version, "name": group.name, "kind": group.kind,
            "unit": group.unit_id, "events": group.events, "is_active": group.is_active,
        }  # fmt: skip
        if group.unit_id and all(u != group.unit_id for u, _n in units):
            units.append((group.unit_id, str(group.unit)))
    form = ChatChannelForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        units=units,
        new=group is None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if group is None:
                services.chat_channel_create(
                    actor=request.user, consortium_id=consortium.pk, **form.service_data()
                )
            else:
                services.chat_channel_update(
                    actor=request.user,
                    channel_id=group.pk,
                    version=form.cleaned_data["version"],
                    **form.service_data(),
                )
        except ApplicationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The chat group is saved."))
            return redirect("notifications:channels", consortium.pk)
    return render(
        request,
        "notifications/channel_form.html",
        {"form": form, "group": group, "current_consortium": consortium, "nav": "chat_groups"},
        status=422 if form.errors else 200,
    )


@login_required
@page_errors
def channel_create(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = selectors.consortium_get(request.user, consortium_id)
    return _channel_form(request, consortium, None)


@login_required
@page_errors
def channel_edit(request: HttpRequest, channel_id: int) -> HttpResponse:
    group = selectors.chat_channel_get(request.user, channel_id, "change")
    consortium = selectors.consortium_get(request.user, group.consortium_id)
    return _channel_form(request, consortium, group)


@login_required
@require_POST
@page_errors
def channel_delete(request: HttpRequest, channel_id: int) -> HttpResponse:
    group = selectors.chat_channel_get(request.user, channel_id, "delete")
    services.chat_channel_delete(actor=request.user, channel_id=group.pk)
    messages.success(request, _("The chat group is removed; its deliveries stay in the log."))
    return redirect("notifications:channels", group.consortium_id)


# --- delivery log -------------------------------------------------------------------------
@login_required
@page_errors
def deliveries(request: HttpRequest, consortium_id: int | None = None) -> HttpResponse:
    consortium = None
    if consortium_id is not None:
        consortium = selectors.consortium_get(request.user, consortium_id)
        if not can(request.user, "view", Delivery, consortium_id=consortium.pk):
            raise Forbidden(_("The delivery log is the secretariat's."))
    elif not can(request.user, "view", Delivery):  # every consortium's: platform admins
        raise Forbidden(_("The delivery log is the secretariat's."))
    state = request.GET.get("state", "")
    channel = request.GET.get("channel", "")
    qs = selectors.deliveries(
        request.user,
        consortium_id=consortium.pk if consortium else None,
        state=state if state in DeliveryState.values else "",
        channel=channel if channel in Channel.values else "",
    )
    return render(
        request,
        "notifications/deliveries.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "state": state,
            "channel": channel,
            "states": DeliveryState.choices,
            "channels": Channel.choices,
            "current_consortium": consortium,
            "nav": "deliveries",
        },
    )
