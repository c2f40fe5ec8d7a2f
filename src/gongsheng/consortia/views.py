"""Pages for consortia: thin, over selectors and services. The units' pages are declared
(``consortia.declarations.UnitDeclaration``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongsheng.access.scope import can
from gongsheng.consortia import selectors
from gongsheng.consortia.choices import ConsortiumStatus, Level
from gongsheng.consortia.models import Consortium
from gongsheng.core.charts import bar_option, bar_series, pie_option
from gongsheng.core.pages import page_errors, paginate, query_without_page
from gongsheng.documents.selectors import reports_for


@login_required
@page_errors
def consortium_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.consortium_list(
        user=request.user,
        q=request.GET.get("q", "").strip(),
        status=request.GET.get("status", ""),
        level=request.GET.get("level", ""),
    )
    return render(
        request,
        "consortia/list.html",
        {
            "page": paginate(request, qs),
            "query": query_without_page(request),
            "statuses": ConsortiumStatus.choices,
            "levels": Level.choices,
            "can_add": can(request.user, "add", Consortium),
            "nav": "consortia",
        },
    )


@login_required
@page_errors
def consortium_overview(request: HttpRequest, consortium_id: int) -> HttpResponse:
    overview = selectors.consortium_overview(user=request.user, consortium_id=consortium_id)
    joined, left = dict(overview.joined_by_year), dict(overview.left_by_year)
    years = sorted(joined.keys() | left.keys())
    charts = {
        "types": pie_option((label, n) for _, label, n in overview.members_by_type if n),
        "years": bar_option(
            years,
            [
                bar_series(_("joined"), (joined.get(y, 0) for y in years)),
                bar_series(_("left"), (left.get(y, 0) for y in years)),
            ],
            colours=("#08a045", "#c53030"),
            legend={},
            value_axis={"minInterval": 1},
        ),
    }
    return render(
        request,
        "consortia/overview.html",
        {
            "ov": overview,
            "c": overview.consortium,
            "charts": charts,
            "current_consortium": overview.consortium,
            "can_change": can(request.user, "change", overview.consortium),
            "reports": reports_for(request.user, consortium=overview.consortium.pk),
            "nav": "overview",
        },
    )
