"""Writes for people on pages: invite, resend the invitation, accept it, deactivate and
reactivate, set a password (change or reset). Each runs in one transaction with its audit
entry; rights come from the policies in ``access.rules`` (``UserPolicy``,
``RoleAssignmentPolicy.grantable``), the same ones the pages ask.

Why these models are not on ``gongsheng.declare``: ``User`` is Django's auth model (its
password, invitation and activity are flows, not field edits), and a ``RoleAssignment`` is
never edited (granted or revoked, no version), while its grant needs rules across the
actor, the consortium, the person's unit and the role (``grantable``) that a declaration's
field form has no place for.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.invitations import invitation_tokens, send_invitation
from gongsheng.access.models import RoleAssignment, User
from gongsheng.access.policies import policy_for
from gongsheng.access.roles import UNIT_ROLES, Role
from gongsheng.access.scope import (
    access_object,
    can,
    check_saved,
    context_for,
    forget,
    require,
)
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import record_written, snapshot
from gongsheng.core.errors import FieldError, Forbidden, ValidationFailed, from_django_validation


def grantable_roles(actor: Any, *, consortium_id: int, unit_id: int | None) -> list[str]:
    """The roles ``actor`` may grant in the consortium to a person of ``unit_id`` (platform
    admin, granted without a consortium, is not among them: see ``grant``)."""
    policy = policy_for(RoleAssignment)
    assert policy is not None
    return policy.grantable(context_for(actor), consortium_id=consortium_id, unit_id=unit_id)  # type: ignore[attr-defined]


def _check_unit_role(*, role: str, unit_id: int | None, consortium_id: int) -> None:
    """A unit role needs a unit that belongs to the consortium (applied or admitted)."""
    if role not in UNIT_ROLES:
        return
    if unit_id is None:
        raise ValidationFailed(
            _("A unit role needs a person who belongs to a unit."),
            [FieldError("unit", _("choose the person's unit"))],
        )
    membership = apps.get_model("consortia", "Membership")
    if not membership.objects.filter(
        consortium_id=consortium_id, unit_id=unit_id, status__in=["applied", "admitted"]
    ).exists():
        raise ValidationFailed(
            _("The unit is not a member of this consortium."),
            [FieldError("unit", _("not a member unit of this consortium"))],
        )


def grant(*, actor: Actor, user: User, role: str, consortium_id: int | None) -> RoleAssignment:
    """One role for a person the actor may manage (checked against the actor's reach again
    after saving)."""
    from gongsheng.access.services import role_grant

    if not is_system(actor) and not can(actor, "change", user):
        raise Forbidden(_("You may not manage this person's roles."))
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."), [FieldError("role", _("unknown role"))])
    if role != Role.PLATFORM_ADMIN:
        if consortium_id is None:
            raise ValidationFailed(
                _("Choose a consortium."), [FieldError("consortium", _("required"))]
            )
        _check_unit_role(role=role, unit_id=user.unit_id, consortium_id=consortium_id)
    return role_grant(actor=actor, user=user, role=role, consortium_id=consortium_id)


@transaction.atomic
def user_invite(
    *,
    actor: Actor,
    consortium_id: int,
    role: str,
    username: str,
    email: str,
    display_name: str = "",
    unit_id: int | None = None,
    base_url: str = "",
) -> User:
    """Create a person without a password, give them one role in the consortium and mail
    them the invitation link (after the commit)."""
    username, email = username.strip(), email.strip()
    user = User(username=username, email=email, display_name=display_name.strip(), unit_id=unit_id)
    user.set_unusable_password()
    errors: list[FieldError] = []
    if not email:
        errors.append(FieldError("email", _("the invitation is sent to this address")))
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.extend(from_django_validation(exc))
    if role not in grantable_roles(actor, consortium_id=consortium_id, unit_id=unit_id):
        errors.append(FieldError("role", _("you may not grant this role here")))
    if errors:
        raise ValidationFailed(_("The person could not be invited."), errors)
    from gongsheng.access.services import role_grant

    _check_unit_role(role=role, unit_id=unit_id, consortium_id=consortium_id)
    if unit_id is not None and not is_system(actor):
        unit_model = apps.get_model("consortia", "Unit")
        require(actor, "view", unit_model.objects.get(pk=unit_id))
    user.save()
    record_written(
        actor, user, EventType.USER_INVITED, consortium_id=consortium_id, unit_id=unit_id
    )
    role_grant(actor=actor, user=user, role=role, consortium_id=consortium_id)
    check_saved(actor, [user], "change")
    send_invitation(user, inviter=str(actor), base_url=base_url)
    return user


@transaction.atomic
def invitation_resend(*, actor: Actor, user_id: int, base_url: str = "") -> User:
    """A new invitation link (the old ones stay valid until the password is set)."""
    user = access_object(actor, User.objects.all(), user_id, "change")
    if user.has_usable_password() or not user.is_active or not user.email:
        raise ValidationFailed(
            _("Only an active person who has not yet set a password can be invited again.")
        )
    record_written(
        actor, user, EventType.INVITATION_SENT, Action.UPDATE, unit_id=user.unit_id,
        message="invitation sent again", after=None,
    )  # fmt: skip
    send_invitation(user, inviter=str(actor), base_url=base_url)
    return user


def _validated_password(user: User, password1: str, password2: str) -> str:
    if password1 != password2:
        raise ValidationFailed(
            _("The two passwords differ."),
            [FieldError("new_password2", _("The two password fields didn’t match."))],
        )
    try:
        validate_password(password1, user)
    except ValidationError as exc:
        raise ValidationFailed(
            _("The password is too weak."), [FieldError("new_password1", " ".join(exc.messages))]
        ) from exc
    return password1


@transaction.atomic
def invitation_accept(*, user: User, token: str, password1: str, password2: str) -> User:
    """The invitee sets their password through the link (once; the link then stops working)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not invitation_tokens.check_token(user, token):
        raise Forbidden(_("This invitation link is invalid, used or expired."))
    user.set_password(_validated_password(user, password1, password2))
    user.save(update_fields=["password"])
    record_written(
        user, user, EventType.INVITATION_ACCEPTED, Action.UPDATE, after=None,
        unit_id=user.unit_id, message="invitation accepted, password set",
    )  # fmt: skip
    return user


@transaction.atomic
def password_set(*, actor: Actor, user: User, password: str, reset: bool = False) -> User:
    """A person changes their own password (``reset``: through the mailed reset link, which
    Django's reset view has checked)."""
    if not is_system(actor) and getattr(actor, "pk", None) != user.pk:
        raise Forbidden(_("People set only their own password."))
    user.set_password(password)
    user.save(update_fields=["password"])
    record_written(
        actor, user, EventType.PASSWORD_RESET if reset else EventType.PASSWORD_CHANGED,
        Action.UPDATE, unit_id=user.unit_id,
        message="password reset by e-mail" if reset else "password changed", after=None,
    )  # fmt: skip
    return user


def _set_active(*, actor: Actor, user_id: int, active: bool) -> User:
    move = "reactivate" if active else "deactivate"
    user = access_object(actor, User.objects.select_for_update(), user_id, move)
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationFailed(_("You cannot deactivate yourself."))
    if user.is_active == active:
        return user
    before = snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record_written(
        actor, user, EventType.USER_REACTIVATED if active else EventType.USER_DEACTIVATED,
        before=before, unit_id=user.unit_id,
    )  # fmt: skip
    forget(user)
    return user


@transaction.atomic
def user_deactivate(*, actor: Actor, user_id: int) -> User:
    """Deactivate (never delete): the person can no longer log in, their session ends at the
    next request and their API tokens stop working."""
    return _set_active(actor=actor, user_id=user_id, active=False)


@transaction.atomic
def user_reactivate(*, actor: Actor, user_id: int) -> User:
    return _set_active(actor=actor, user_id=user_id, active=True)
