"""Pages: the metric catalogue and one consortium's table of metrics by year (thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongsheng.core.errors import ValidationFailed
from gongsheng.core.pages import page_errors
from gongsheng.metrics import selectors


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "metrics/catalogue.html", {"metrics": selectors.catalogue(), "nav": "metrics"}
    )


@login_required
@page_errors
def consortium_table(request: HttpRequest, consortium_id: int) -> HttpResponse:
    params = {"year_from": request.GET.get("year_from"), "year_to": request.GET.get("year_to")}
    try:
        table = selectors.consortium_metrics(
            user=request.user, consortium_id=consortium_id, **params
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        table = selectors.consortium_metrics(user=request.user, consortium_id=consortium_id)
    return render(
        request,
        "metrics/consortium.html",
        {
            "table": table,
            "current_consortium": table.consortium,
            "nav": "metrics",
            "year_choices": range(2015, table.years[-1] + 6),
        },
    )
