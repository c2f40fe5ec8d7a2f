"""The cooperation alerts page (IP-rule breaches and others) and acknowledging one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import scope
from gongsheng.alerts.services import alert_acknowledge
from gongsheng.consortia.selectors import consortium_get
from gongsheng.cooperation import selectors
from gongsheng.core.pages import page_errors, paginate, query_without_page


# --- alerts -----------------------------------------------------------------------------
@login_required
@page_errors
def alert_list(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    show_all = request.GET.get("all") == "1"
    qs = selectors.alert_list(
        user=request.user, consortium_id=consortium.pk, open_only=not show_all
    )
    page = paginate(request, qs)
    from gongsheng.cooperation.models import IPRecordedAction

    action_ids = [
        a.source_id for a in page.object_list if a.source_type == "cooperation.iprecordedaction"
    ]
    assets = dict(
        IPRecordedAction.objects.filter(pk__in=action_ids).values_list("pk", "asset_id")
    )  # one query for the page; links lead to the IP asset concerned
    for a in page.object_list:
        a.asset_id = assets.get(a.source_id) if a.source_type.startswith("cooperation.") else None
    return render(
        request,
        "cooperation/alerts.html",
        {
            "page": page,
            "query": query_without_page(request),
            "show_all": show_all,
            # the alert policy's "acknowledge" move, for the alerts on this page (one query)
            "ackable": set(
                scope(
                    request.user, qs.filter(pk__in=[a.pk for a in page.object_list]), "acknowledge"
                ).values_list("pk", flat=True)
            ),
            "current_consortium": consortium,
            "nav": "alerts",
        },
    )


@login_required
@require_POST
@page_errors
def alert_ack(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = alert_acknowledge(actor=request.user, alert_id=alert_id)
    messages.success(request, _("Alert acknowledged."))
    return redirect("cooperation:alerts", alert.consortium_id)
