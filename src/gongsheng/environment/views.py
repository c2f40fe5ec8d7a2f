"""Pages of the policy register that are not declared ones: the incentive amounts and the
before/after comparison (the evidence file is an attachment). The list, detail, create, edit,
withdraw and delete pages come from the declaration (``declarations.PolicyDeclaration``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gongsheng.consortia.selectors import consortium_get
from gongsheng.core.pages import page_errors
from gongsheng.environment import selectors


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1900 < int(raw) < 2200 else timezone.localdate().year


@login_required
@page_errors
def incentives(request: HttpRequest, consortium_id: int) -> HttpResponse:
    consortium = consortium_get(user=request.user, consortium_id=consortium_id)
    year = _year(request)
    result = selectors.incentive_amounts(user=request.user, consortium_id=consortium.pk, year=year)
    return render(
        request,
        "environment/incentives.html",
        {"result": result, "year": year, "current_consortium": consortium,
         "nav": "environment"},
    )  # fmt: skip


@login_required
@page_errors
def policy_comparison(request: HttpRequest, policy_id: int) -> HttpResponse:
    """The descriptive before/after comparison around the policy's start (htmx part)."""
    policy = selectors.policy_get(user=request.user, policy_id=policy_id)
    raw = request.GET.get("k", "")
    k = int(raw) if raw.isdigit() else 2
    comparison = selectors.policy_comparison(user=request.user, policy_id=policy.pk, k=k)
    template = "environment/comparison.html"
    if request.headers.get("HX-Request"):
        template += "#comparison"
    return render(
        request,
        template,
        {"p": policy, "c": comparison, "current_consortium": policy.consortium,
         "nav": "environment"},
    )  # fmt: skip
