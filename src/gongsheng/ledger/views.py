"""Pages of the ledger: thin, over selectors and services."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can
from gongsheng.consortia import selectors as consortia_selectors
from gongsheng.consortia.choices import UnitType
from gongsheng.core.charts import bar_option, bar_series
from gongsheng.core.errors import Conflict, Forbidden, ValidationFailed
from gongsheng.core.pages import form_errors, page_errors, paginate, query_without_page
from gongsheng.ledger import selectors, services
from gongsheng.ledger.forms import CategoryForm, EntryForm, RuleForm
from gongsheng.ledger.models import Category, LedgerEntry
from gongsheng.ledger.services import Party


def _may_post(user: Any, consortium_id: int) -> bool:
    return can(user, "add", LedgerEntry, consortium_id=consortium_id)


@login_required
@page_errors
def entry_list(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortia_selectors.consortium_get(user=request.user, consortium_id=consortium_id)
    filters = selectors.LedgerFilter.from_params(request.GET)
    if not filters.confirmation:  # flows waiting for their giver are shown apart (0804)
        filters = replace(filters, confirmation="counted")
    qs = selectors.entry_list(user=request.user, consortium_id=consortium.pk, filters=filters)
    if request.GET.get("export"):
        from gongsheng.transfer.exporting import export_response

        return export_response(
            request, "ledger_entries", qs, fmt=request.GET["export"], actor=request.user,
            consortium_id=consortium.pk,
        )  # fmt: skip
    context = {
        "page": paginate(request, qs),
        "query": query_without_page(request),
        "filters": filters,
        "categories": selectors.category_list(user=request.user, consortium_id=consortium.pk),
        "units": consortia_selectors.unit_list(user=request.user, consortium_id=consortium.pk),
        "years": range(2020, 2031),
        "current_consortium": consortium,
        "may_post": _may_post(request.user, consortium.pk),
        "may_import": can(request.user, "import", consortium),
        "pending": selectors.pending_entries(user=request.user, consortium_id=consortium.pk)[:50],
        "nav": "ledger",
    }
    template = "ledger/list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "entry-table":
        template += "#entry-table"
    return render(request, template, context)


@login_required
@page_errors
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    detail = selectors.entry_detail(user=request.user, entry_id=entry_id)
    e = detail.entry
    return render(
        request,
        "ledger/detail.html",
        {
            "d": detail,
            "e": e,
            "current_consortium": e.consortium,
            "nav": "ledger",
        },
    )


@login_required
@require_POST
@page_errors
def entry_reverse(request: HttpRequest, entry_id: int) -> HttpResponse:
    selectors.entry_get(user=request.user, entry_id=entry_id)
    try:
        reversal = services.entry_reverse(
            actor=request.user, entry_id=entry_id, note=request.POST.get("note", "")
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("ledger:entry", entry_id)
    messages.success(request, _("The entry was reversed."))
    return redirect("ledger:entry", reversal.pk)


@login_required
@require_POST
@page_errors
def entry_answer(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Confirm or decline a flow posted in the user's unit's name (decision 0804)."""
    selectors.entry_get(user=request.user, entry_id=entry_id)
    confirm = request.POST.get("decision") != "decline"
    try:
        services.entry_confirm(
            actor=request.user,
            entry_id=entry_id,
            confirm=confirm,
            note=request.POST.get("note", ""),
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The flow was confirmed.") if confirm else _("The flow was declined.")
        )
    return redirect("ledger:entry", entry_id)


@login_required
@page_errors
def entry_new(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortia_selectors.consortium_get(user=request.user, consortium_id=consortium_id)
    categories = list(
        selectors.category_list(user=request.user, consortium_id=consortium.pk, active_only=True)
    )
    units = list(consortia_selectors.unit_list(user=request.user, consortium_id=consortium.pk))
    kw = {"categories": categories, "units": units}
    if request.method == "POST":
        form = EntryForm(request.POST, request.FILES, **kw)
        if form.is_valid():
            cd = form.cleaned_data

            def party(side: str) -> Party:
                kind = cd[f"{side}_kind"]
                if kind == "unit":
                    return Party.unit(cd[f"{side}_unit"] or 0)
                if kind == "pool":
                    return Party.of_pool(cd[f"{side}_pool"])
                return Party.outside()

            try:
                from django.db import transaction

                with transaction.atomic():
                    entry = services.entry_create(
                        actor=request.user,
                        consortium_id=consortium.pk,
                        date=cd["date"],
                        category=cd["category"],
                        quantity=cd["quantity"],
                        giver=party("giver"),
                        receiver=party("receiver"),
                        note=cd["note"],
                        confidential=cd["confidential"],
                        reference=cd["reference"],
                    )
                    if cd.get("evidence"):
                        f = cd["evidence"]
                        services.evidence_add(
                            actor=request.user, entry_id=entry.pk, name=f.name, data=f
                        )
            except (ValidationFailed, Conflict, Forbidden) as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("The entry was posted."))
                return redirect("ledger:entry", entry.pk)
    else:
        initial: dict[str, Any] = {"giver_kind": "unit", "receiver_kind": "unit"}
        if request.user.unit_id:
            initial["giver_unit"] = request.user.unit_id
        form = EntryForm(initial=initial, **kw)
    return render(
        request,
        "ledger/entry_form.html",
        {"form": form, "current_consortium": consortium, "nav": "ledger"},
    )


def _amount(value: Any) -> float | None:
    """A chart's number; None (a gap) where the summary suppressed a small group."""
    return None if value is None else float(value)


@login_required
@page_errors
def summaries(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortia_selectors.consortium_get(user=request.user, consortium_id=consortium_id)
    filters = selectors.LedgerFilter.from_params(request.GET)
    academic = request.GET.get("academic") == "1"
    s = selectors.summaries(
        user=request.user, consortium_id=consortium.pk, filters=filters, academic=academic
    )
    if request.GET.get("export"):
        from gongsheng.ledger.transfers import summaries_export

        return summaries_export(request, s, consortium)
    labels = dict(UnitType.choices)
    years = sorted({r.year for r in s.by_unit_type})
    types = sorted({r.unit_type for r in s.by_unit_type})
    cells = {(r.year, r.unit_type): r for r in s.by_unit_type}
    inputs, outputs = _("inputs"), _("outputs")
    series = []
    for t in types:
        label = str(labels.get(t, t))
        series.append(
            bar_series(
                f"{label} · {inputs}",
                (_amount(cells[(y, t)].inputs) if (y, t) in cells else 0 for y in years),
                stack="in",
            )
        )
        series.append(
            bar_series(
                f"{label} · {outputs}",
                (_amount(cells[(y, t)].outputs) if (y, t) in cells else 0 for y in years),
                stack="out",
            )
        )
    charts = {
        "types": bar_option(years, series, legend={"type": "scroll"}, money=True),
        "periods": bar_option(
            [r.label for r in s.by_period],
            [bar_series(None, (float(r.value) for r in s.by_period))],
            money=True,
        ),
    }
    return render(
        request,
        "ledger/summaries.html",
        {
            "s": s,
            "charts": charts,
            "filters": filters,
            "academic": academic,
            "query": query_without_page(request),
            "current_consortium": consortium,
            "nav": "ledger_summaries",
        },
    )


@login_required
@page_errors
def rules(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortia_selectors.consortium_get(user=request.user, consortium_id=consortium_id)
    categories = list(selectors.category_list(user=request.user, consortium_id=consortium.pk))
    may_edit = can(request.user, "add", Category, consortium_id=consortium.pk)
    rule_form = RuleForm(categories=categories)
    category_form = CategoryForm(prefix="cat")
    if request.method == "POST" and may_edit:
        what = request.POST.get("what")
        try:
            if what == "rule":
                rule_form = RuleForm(request.POST, categories=categories)
                if rule_form.is_valid():
                    cd = rule_form.cleaned_data
                    services.rule_create(
                        actor=request.user,
                        category_id=cd["category"],
                        consortium_id=consortium.pk,
                        effective_from=cd["effective_from"],
                        unit_value=cd["unit_value"],
                        basis=cd["basis"],
                    )
                    messages.success(request, _("The valuation rule was added."))
                    return redirect("ledger:rules", consortium.pk)
            elif what == "category":
                category_form = CategoryForm(request.POST, prefix="cat")
                if category_form.is_valid():
                    services.category_create(
                        actor=request.user,
                        consortium_id=consortium.pk,
                        **category_form.cleaned_data,
                    )
                    messages.success(request, _("The category was added."))
                    return redirect("ledger:rules", consortium.pk)
            elif what in ("deactivate", "activate"):
                services.category_update(
                    actor=request.user,
                    category_id=int(request.POST["category"]),
                    version=int(request.POST["version"]),
                    is_active=what == "activate",
                )
                messages.success(request, _("Saved."))
                return redirect("ledger:rules", consortium.pk)
        except (ValidationFailed, Conflict) as exc:
            target = rule_form if what == "rule" else category_form
            form_errors(target, exc)
            if what in ("deactivate", "activate"):
                messages.error(request, exc.message)
    return render(
        request,
        "ledger/rules.html",
        {
            "categories": categories,
            "rules": selectors.rule_list(user=request.user, consortium_id=consortium.pk),
            "rule_form": rule_form,
            "category_form": category_form,
            "may_edit": may_edit,
            "current_consortium": consortium,
            "nav": "ledger_rules",
        },
    )
