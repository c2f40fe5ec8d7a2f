"""Pages for consortia and units: thin, over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongsheng.access.scope import can
from gongsheng.consortia import selectors, services
from gongsheng.consortia.choices import ConsortiumStatus, Level, MembershipStatus, Rank, UnitType
from gongsheng.consortia.forms import UnitForm
from gongsheng.core.charts import bar_option, bar_series, pie_option
from gongsheng.core.errors import Conflict, ValidationFailed
from gongsheng.core.pages import form_errors, page_errors, paginate, query_without_page
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


@login_required
@page_errors
def unit_directory(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = selectors.consortium_get(user=request.user, consortium_id=consortium_id)
    filters = selectors.UnitFilter.from_params(request.GET)
    qs = selectors.unit_list(user=request.user, consortium_id=consortium.pk, filters=filters)
    if request.GET.get("export"):
        from gongsheng.transfer.exporting import export_response

        return export_response(
            request, "units", qs, fmt=request.GET["export"], actor=request.user,
            consortium_id=consortium.pk,
        )  # fmt: skip
    context = {
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "filters": filters,
        "types": UnitType.choices,
        "ranks": Rank.choices,
        "statuses": MembershipStatus.choices,
        "current_consortium": consortium,
        "can_import": can(request.user, "change", consortium),
        "nav": "units",
    }
    template = "consortia/units.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "unit-table":
        template += "#unit-table"
    return render(request, template, context)


@login_required
@page_errors
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    detail = selectors.unit_detail(user=request.user, unit_id=unit_id)
    from gongsheng.access.personal import log_read
    from gongsheng.access.selectors import audit_contents_visible, audit_for_object

    log_read(user=request.user, objs=detail.contacts or [], what="unit page")

    history = list(audit_for_object(user=request.user, obj=detail.unit)[:20])
    current = detail.memberships[0].consortium if len(detail.memberships) == 1 else None
    consortium_id = request.GET.get("consortium")
    if consortium_id and consortium_id.isdigit():
        current = next(
            (m.consortium for m in detail.memberships if m.consortium_id == int(consortium_id)),
            current,
        )
    return render(
        request,
        "consortia/unit_detail.html",
        {
            "d": detail,
            "u": detail.unit,
            "history": history,
            "visible": audit_contents_visible(user=request.user, entries=history),
            "current_consortium": current,
            "nav": "units",
        },
    )


@login_required
@page_errors
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.unit_get(user=request.user, unit_id=unit_id, action="change")
    if request.method == "POST":
        form = UnitForm(
            request.POST, instance=selectors.unit_get(user=request.user, unit_id=unit_id)
        )
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in UnitForm.Meta.fields}
            try:
                services.unit_update(
                    actor=request.user,
                    unit_id=unit.pk,
                    version=form.cleaned_data["version"],
                    **data,
                )
            except (Conflict, ValidationFailed) as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("consortia:unit", unit.pk)
    else:
        form = UnitForm(instance=unit, initial={"version": unit.version})
    return render(request, "consortia/unit_form.html", {"form": form, "u": unit, "nav": "units"})
