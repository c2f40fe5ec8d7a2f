"""Writes for users, roles, tokens and share grants. Each runs in one transaction with its
audit entry."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.models import ApiToken, RoleAssignment, ShareGrant, User, hash_token
from gongsheng.access.roles import UNIT_ROLES, Role
from gongsheng.access.scope import access_object, check_saved, forget, scope
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import record_written, snapshot
from gongsheng.core.errors import FieldError, Forbidden, ValidationFailed, from_django_validation


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    unit_id: int | None = None,
    display_name: str = "",
    email: str = "",
    validate: bool = True,
    is_demo: bool = False,
) -> User:
    """Create a user; ``validate=False`` skips the password rules and ``is_demo`` marks the
    account as the demo's own (demo accounts only)."""
    user = User(
        username=username, unit_id=unit_id, display_name=display_name, email=email,
        is_demo=is_demo,
    )  # fmt: skip
    errors: list[FieldError] = []
    if validate:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors.append(FieldError("password", " ".join(exc.messages)))
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.extend(from_django_validation(exc))
    if errors:
        raise ValidationFailed("The user could not be created.", errors)
    user.set_password(password)
    user.save()
    check_saved(actor, [user], "add")
    record_written(actor, user, EventType.USER_CREATED, unit_id=unit_id)
    return user


@transaction.atomic
def role_grant(*, actor: Actor, user: User, role: str, consortium_id: int | None) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationFailed("Unknown role.", [FieldError("role", f"unknown role {role!r}")])
    if role in UNIT_ROLES and user.unit_id is None:
        raise ValidationFailed(
            "A unit role needs a user who belongs to a unit.",
            [FieldError("role", "the user belongs to no unit")],
        )
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                user=user,
                role=role,
                consortium_id=None if role == Role.PLATFORM_ADMIN else consortium_id,
                granted_by=actor if isinstance(actor, User) else None,
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            "The user already holds this role.", [FieldError("role", "already held")]
        ) from exc
    check_saved(actor, [assignment], "add")
    record_written(actor, assignment, EventType.ROLE_GRANTED, Action.GRANT, unit_id=user.unit_id)
    forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Actor, assignment_id: int) -> None:
    assignment = access_object(
        actor, RoleAssignment.objects.select_related("user"), assignment_id, "delete"
    )
    before = snapshot(assignment)
    record_written(
        actor, assignment, EventType.ROLE_REVOKED, Action.REVOKE, before=before,
        unit_id=assignment.user.unit_id, after=None,
    )  # fmt: skip
    assignment.delete()
    forget(assignment.user)


@transaction.atomic
def token_create(
    *, actor: Actor, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token; returns the record and the raw key, shown once and never stored."""
    if (
        not is_system(actor)
        and actor.pk != user.pk
        and not scope(actor, User.objects.filter(pk=user.pk), "change").exists()
    ):
        raise Forbidden()
    if not name.strip():
        raise ValidationFailed("A token needs a name.", [FieldError("name", "required")])
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(
            "The expiry must lie in the future.", [FieldError("expires_at", "in the past")]
        )
    raw = ApiToken.new_raw_key()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_hash=hash_token(raw),
        key_prefix=raw[:10],
        expires_at=expires_at,
    )
    record_written(actor, token, EventType.TOKEN_CREATED, unit_id=user.unit_id)
    return token, raw


@transaction.atomic
def token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    token = access_object(actor, ApiToken.objects.all(), token_id, "change")
    if token.revoked_at is None:
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_written(actor, token, EventType.TOKEN_REVOKED, Action.REVOKE, before=before)
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or ``None``; records when it was last used."""
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def share_grant(*, actor: Actor, obj: Model, unit_id: int) -> ShareGrant:
    """Share a confidential record with another unit; only its parties may share it."""
    from gongsheng.access.policies import policy_for
    from gongsheng.access.scope import context_for

    policy = policy_for(type(obj))
    ctx = context_for(actor)
    if policy is None or not policy.confidential:
        raise ValidationFailed(_("Only confidential records are shared."))
    own = policy.own(ctx)
    is_party = own is not None and type(obj)._default_manager.filter(own, pk=obj.pk).exists()
    if not (ctx.platform_admin or is_party):
        raise Forbidden(_("Only a party to the record may share it."))
    ct = ContentType.objects.get_for_model(obj)
    grant, created = ShareGrant.objects.get_or_create(
        content_type=ct,
        object_id=obj.pk,
        unit_id=unit_id,
        defaults={"granted_by": actor if isinstance(actor, User) else None},
    )
    if created:
        record_written(
            actor, grant, EventType.SHARE_GRANTED, Action.GRANT, unit_id=ctx.unit_id, related=obj
        )
    return grant


@transaction.atomic
def share_revoke(*, actor: Actor, grant_id: int) -> None:
    grant = access_object(actor, ShareGrant.objects.all(), grant_id, "delete")
    record_written(
        actor, grant, EventType.SHARE_REVOKED, Action.REVOKE, before=snapshot(grant), after=None
    )
    grant.delete()
