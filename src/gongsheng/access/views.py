"""People pages: a consortium's people (invite), one person (roles, deactivate), my account
(password, API tokens), and the invitation link. Thin: selectors read, services write, the
policies decide which forms and buttons appear."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access import people, selectors, services
from gongsheng.access.forms import GrantForm, InviteForm, TokenForm
from gongsheng.access.invitations import invitation_tokens
from gongsheng.access.models import RoleAssignment, User
from gongsheng.access.roles import Role
from gongsheng.access.scope import access_object, can, context_for, scope
from gongsheng.core.errors import ApplicationError, Forbidden, ValidationFailed
from gongsheng.core.pages import form_errors, page_errors, paginate, query_without_page


class AuthedRequest(HttpRequest):
    """A request that ``login_required`` let through: ``request.user`` is a real user."""

    user: User


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _consortium(user: Any, consortium_id: int) -> Any:
    model = apps.get_model("consortia", "Consortium")
    return access_object(user, model.objects.all(), consortium_id, "view")


def _invite_roles(user: Any, consortium_id: int) -> list[str]:
    ctx = context_for(user)
    roles = people.grantable_roles(user, consortium_id=consortium_id, unit_id=None)
    if ctx.unit_id:
        roles += people.grantable_roles(user, consortium_id=consortium_id, unit_id=ctx.unit_id)
    return [r for r in Role.values if r in roles]


@login_required
@page_errors
def people_page(request: AuthedRequest, consortium_id: int) -> HttpResponse:
    consortium = _consortium(request.user, consortium_id)
    roles = _invite_roles(request.user, consortium.pk)
    form = None
    status = 200
    if roles:
        units = selectors.member_units(user=request.user, consortium_id=consortium.pk)
        form = InviteForm(request.POST or None, units=units, roles=roles)
        if request.method == "POST" and form.is_valid():
            try:
                person = people.user_invite(
                    actor=request.user, consortium_id=consortium.pk, base_url=_base_url(request),
                    unit_id=form.cleaned_data["unit"], **{
                        k: form.cleaned_data[k] for k in ("username", "display_name", "email",
                                                          "role")},
                )  # fmt: skip
            except ValidationFailed as exc:
                form_errors(form, exc)
            else:
                messages.success(
                    request, _("%(name)s was invited; the link went to %(email)s.")
                    % {"name": person, "email": person.email},
                )  # fmt: skip
                return redirect("access:people", consortium.pk)
        if request.method == "POST":
            status = 422
    elif request.method == "POST":
        raise Forbidden(_("You may not invite people into this consortium."))
    q = request.GET.get("q", "").strip()
    page = paginate(
        request, selectors.people_list(user=request.user, consortium_id=consortium.pk, q=q)
    )
    return render(
        request,
        "access/people.html",
        {"page": page, "form": form, "q": q, "query": query_without_page(request),
         "current_consortium": consortium, "nav": "people"},
        status=status,
    )  # fmt: skip


def _person_context(request: AuthedRequest, person: User, grant_form: Any = None) -> dict:
    user = request.user
    consortia = list(selectors.managed_consortia(user=user))
    roles: list[str] = []
    for c in consortia:
        roles += people.grantable_roles(user, consortium_id=c.pk, unit_id=person.unit_id)
    if context_for(user).platform_admin:
        roles.append(Role.PLATFORM_ADMIN)
    roles = [r for r in Role.values if r in roles]
    may_change = can(user, "change", person)
    if grant_form is None and roles and may_change:
        grant_form = GrantForm(consortia=consortia, roles=roles)
    assignments = list(selectors.person_roles(user=user, person=person))
    revocable = set(
        scope(user, RoleAssignment.objects.filter(user_id=person.pk), "delete").values_list(
            "pk", flat=True
        )
    )
    return {
        "person": person,
        "assignments": assignments,
        "revocable": revocable if may_change else set(),
        "grant_form": grant_form if may_change else None,
        "may_deactivate": person.is_active and person.pk != user.pk
        and can(user, "deactivate", person),
        "may_reactivate": not person.is_active and can(user, "reactivate", person),
        "may_invite_again": may_change and person.is_active and not person.has_usable_password(),
        "nav": "people",
    }  # fmt: skip


@login_required
@page_errors
def person_page(request: AuthedRequest, user_id: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, user_id=user_id)
    return render(request, "access/person.html", _person_context(request, person))


@login_required
@require_POST
@page_errors
def person_grant(request: AuthedRequest, user_id: int) -> HttpResponse:
    person = access_object(request.user, User.objects.all(), user_id, "change")
    ctx = _person_context(request, person)
    form = ctx["grant_form"]
    if form is None:
        raise Forbidden(_("You may not grant roles to this person."))
    form = GrantForm(
        request.POST, consortia=selectors.managed_consortia(user=request.user),
        roles=[v for v, _label in form.fields["role"].choices],
    )  # fmt: skip
    if form.is_valid():
        try:
            people.grant(
                actor=request.user, user=person, role=form.cleaned_data["role"],
                consortium_id=form.cleaned_data["consortium"],
            )  # fmt: skip
        except ApplicationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The role was granted."))
            return redirect("access:person", person.pk)
    return render(request, "access/person.html", _person_context(request, person, form), status=422)


@login_required
@require_POST
@page_errors
def role_revoke(request: AuthedRequest, assignment_id: int) -> HttpResponse:
    assignment = access_object(request.user, RoleAssignment.objects.all(), assignment_id, "view")
    services.role_revoke(actor=request.user, assignment_id=assignment_id)
    messages.success(request, _("The role was revoked."))
    return redirect("access:person", assignment.user_id)


@login_required
@require_POST
@page_errors
def person_active(request: AuthedRequest, user_id: int, move: str) -> HttpResponse:
    if move == "deactivate":
        people.user_deactivate(actor=request.user, user_id=user_id)
        messages.success(request, _("The person was deactivated."))
    else:
        people.user_reactivate(actor=request.user, user_id=user_id)
        messages.success(request, _("The person was reactivated."))
    return redirect("access:person", user_id)


@login_required
@require_POST
@page_errors
def invite_again(request: AuthedRequest, user_id: int) -> HttpResponse:
    person = people.invitation_resend(
        actor=request.user, user_id=user_id, base_url=_base_url(request)
    )
    messages.success(request, _("A new invitation went to %(email)s.") % {"email": person.email})
    return redirect("access:person", user_id)


@login_required
@page_errors
def account(request: AuthedRequest) -> HttpResponse:
    """My account: roles, password, API tokens (a new token's key is shown once)."""
    user = request.user
    form = TokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_key = services.token_create(
                    actor=user, user=user, name=form.cleaned_data["name"],
                    expires_at=form.expires_at(),
                )  # fmt: skip
                form = TokenForm()
            except ValidationFailed as exc:
                form_errors(form, exc)
                status = 422
        else:
            status = 422
    return render(
        request,
        "access/account.html",
        {"tokens": selectors.token_list(user=user), "roles": selectors.role_list(user=user),
         "form": form, "new_key": new_key, "nav": "account"},
        status=status,
    )  # fmt: skip


@login_required
@require_POST
@page_errors
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    services.token_revoke(actor=request.user, token_id=token_id)
    messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("access:account")


def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invitee sets their password (no login needed; the link is the proof, once)."""
    try:
        user = User.objects.get(pk=int(force_str(urlsafe_base64_decode(uidb64))))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not invitation_tokens.check_token(user, token):
        return render(request, "access/invitation.html", {"valid": False}, status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people.invitation_accept(
                user=user, token=token, password1=form.cleaned_data["new_password1"],
                password2=form.cleaned_data["new_password2"],
            )  # fmt: skip
        except ApplicationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Your password is set. Log in with it."))
            return redirect("login")
    status = 422 if request.method == "POST" else 200
    return render(
        request, "access/invitation.html", {"valid": True, "form": form, "person": user},
        status=status,
    )  # fmt: skip
