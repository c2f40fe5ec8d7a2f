"""``scope(user, queryset, action)``: the one gate every read and write goes through.

Selectors, list pages, API endpoints, exports, counts, search and form dropdowns all call it;
services call :func:`check_saved` after a write so nobody can move a record out of their reach.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import IntegerField, Model, Q, QuerySet, Value

from gongsheng.access.policies import ACTIONS, AccessContext, policy_for
from gongsheng.access.roles import Role
from gongsheng.core.actors import is_system
from gongsheng.core.errors import Forbidden, NotFound

M = TypeVar("M", bound=Model)

_CACHE_ATTR = "_gongsheng_access_context"
_SYSTEM_CONTEXT = AccessContext(user_id=0, unit_id=None, platform_admin=True)


def context_for(user: Any) -> AccessContext:
    """The user's roles, loaded with one query and cached on the user object; the system
    actor (:data:`gongsheng.core.actors.SYSTEM`) reaches everything, like a platform admin."""
    if is_system(user):
        return _SYSTEM_CONTEXT
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return AccessContext(user_id=None, unit_id=None)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from gongsheng.access.models import RoleAssignment

    roles: dict[str, set[int]] = {}
    platform_admin = bool(user.is_superuser)
    for role, consortium_id in RoleAssignment.objects.filter(user_id=user.pk).values_list(
        "role", "consortium_id"
    ):
        if role == Role.PLATFORM_ADMIN:
            platform_admin = True
        elif consortium_id is not None:
            if role in (Role.UNIT_ADMIN, Role.UNIT_MEMBER) and user.unit_id is None:
                continue  # a unit role means nothing without a unit
            roles.setdefault(role, set()).add(consortium_id)
    ctx = AccessContext(
        user_id=user.pk,
        unit_id=user.unit_id,
        platform_admin=platform_admin,
        roles={k: frozenset(v) for k, v in roles.items()},
    )
    setattr(user, _CACHE_ATTR, ctx)
    return ctx


def forget(user: Any) -> None:
    """Drop the cached roles (after they change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope(user: Any, queryset: QuerySet[M], action: str = "view") -> QuerySet[M]:
    """The rows of ``queryset`` on which ``user`` may perform ``action``.

    ``action`` is a base action (``view``, ``view_contents``, ``add``, ``change``, ``delete``)
    or one of the model's named moves (its policy's ``moves``). Unknown users and models
    without a registered policy get nothing (deny by default); an action the model's policy
    does not know raises ``ValueError`` (a typo must not read as "nobody may").
    """
    policy = policy_for(queryset.model)
    if action not in ACTIONS and (policy is None or action not in policy.moves):
        known = policy.actions() if policy is not None else ACTIONS
        raise ValueError(f"unknown action {action!r}; expected one of {known}")
    ctx = context_for(user)
    if ctx.user_id is None:
        return queryset.none()
    if ctx.platform_admin:
        return queryset
    if policy is None:
        return queryset.none()
    q = policy.rule(ctx, action)
    if q is None:
        return queryset.none()
    if not q:  # Q() = unconstrained: no filter at all
        return queryset
    if policy.multi_valued:
        inner = queryset.model._default_manager.filter(q).values("pk")
        return queryset.filter(pk__in=inner)
    return queryset.filter(q)


def can(
    user: Any,
    action: str,
    target: Model | type[Model],
    *,
    consortium_id: int | None = None,
    owner_id: int | None = None,
) -> bool:
    """Whether ``user`` may perform ``action`` on ``target``: the one question that buttons,
    forms and services ask alike.

    ``target`` is a stored record (its row is checked, one query), or a model class / an
    unsaved instance (a record not yet made: the policy's rule checked against the new
    record's ``consortium_id`` and ``owner_id``, default the user's own unit, as
    :func:`can_add` does; an unsaved instance gives them from its own fields when they are
    not passed). A model without a consortium yet (``consortium_id=None``: a new
    consortium, a platform-wide category) is open to platform admins and the system only.
    """
    if isinstance(target, Model) and target.pk is not None:
        model = type(target)
        return scope(user, model._default_manager.filter(pk=target.pk), action).exists()
    model = target if isinstance(target, type) else type(target)
    owner_ids: list[Any] | None = None
    if not isinstance(target, type):
        policy = policy_for(model)
        if consortium_id is None and policy is not None and policy.consortium:
            consortium_id = _field_of(target, policy.consortium)
        if owner_id is None and policy is not None and policy.owners:
            # each owner path bound to the new record's own value (a ledger entry's giver
            # and receiver; a pool side stays empty); none known: the user's unit
            owner_ids = [_field_of(target, path) for path in policy.owners]
    return _can_new(
        user, action, model, consortium_id=consortium_id, owner_id=owner_id, owner_ids=owner_ids
    )


def _field_of(obj: Model, path: str) -> Any:
    """The id a one-step lookup path names on an unsaved instance (``consortium`` ->
    ``consortium_id``); ``None`` for longer paths."""
    if "__" in path:
        return None
    if path == "pk":
        return obj.pk
    field = obj._meta.get_field(path)
    return getattr(obj, getattr(field, "attname", path), None)


def visible_contents(user: Any, queryset: QuerySet[M]) -> set[Any]:
    """The pks in ``queryset`` whose confidential contents the user may see (one query)."""
    policy = policy_for(queryset.model)
    if policy is not None and not policy.confidential:
        return set(queryset.values_list("pk", flat=True))
    return set(scope(user, queryset, "view_contents").values_list("pk", flat=True))


def access_object(user: Any, queryset: QuerySet[M], pk: Any, action: str = "view") -> M:
    """Fetch one row the user may act on; missing and forbidden give the same ``NotFound``.

    For ``change`` and ``delete`` a row the user may *see* but not change gives ``Forbidden``
    (it is no secret that it exists).
    """
    try:
        return scope(user, queryset, action).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        pass
    # only to tell "forbidden" from "not found": no row lock needed (and PostgreSQL refuses
    # FOR UPDATE on the nullable side of the outer joins a view scope may bring)
    unlocked = queryset.model._default_manager.all()
    if action != "view" and scope(user, unlocked, "view").filter(pk=pk).exists():
        raise Forbidden()
    raise NotFound()


def check_saved(user: Any, objs: Iterable[Model], action: str) -> None:
    """After a write, inside its transaction: every saved row must still be in the user's scope.

    Raises ``Forbidden`` (which rolls the transaction back) otherwise, so a user cannot create
    or move a record into another member's data. Work the system does (demo loader, commands,
    sweeps) is not scoped: for :data:`~gongsheng.core.actors.SYSTEM` it checks nothing.
    """
    objs = list(objs)
    if not objs or is_system(user):
        return
    model = type(objs[0])
    pks = {o.pk for o in objs}
    allowed = set(
        scope(user, model._default_manager.filter(pk__in=pks), action).values_list("pk", flat=True)
    )
    if allowed != pks:
        raise Forbidden()


def require(
    user: Any, action: str, target: Model | type[Model], *, message: Any = None, **where: Any
) -> None:
    """Raise ``Forbidden`` (with ``message``) unless :func:`can` says yes (same arguments):
    the services' form of the question the pages ask with :func:`can`."""
    if not can(user, action, target, **where):
        raise Forbidden(message) if message is not None else Forbidden()


def filter_consortia_ids(user: Any) -> Q:
    """Q on ``consortium_id`` of the consortia where the user holds any role."""
    ctx = context_for(user)
    if ctx.platform_admin:
        return Q()
    return Q(consortium_id__in=sorted(ctx.all_consortia))


def _renamed(q: Q, names: dict[str, str]) -> Q:
    """``q`` with every lookup that starts with a path in ``names`` renamed (recursively)."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_renamed(child, names))
            continue
        lookup, value = cast(tuple[str, Any], child)
        for old, new in names.items():
            if lookup == old or lookup.startswith(old + "__"):
                lookup = new + lookup[len(old) :]
                break
            if lookup == old + "_id" or lookup.startswith(old + "_id__"):  # consortium_id__in
                lookup = new + lookup[len(old) + 3 :]
                break
        out.children.append((lookup, value))
    return out


def can_add(
    user: Any, model: type[Model], *, consortium_id: int, owner_id: int | None = None
) -> bool:
    """Whether ``model``'s access policy lets ``user`` add a record to this consortium, owned by
    ``owner_id`` (default: the user's own unit); ``can(user, "add", model, ...)``."""
    return can(user, "add", model, consortium_id=consortium_id, owner_id=owner_id)


def _can_new(
    user: Any,
    action: str,
    model: type[Model],
    *,
    consortium_id: int | None,
    owner_id: int | None,
    owner_ids: list[Any] | None = None,
) -> bool:
    """The policy's filter for ``action`` checked against a new record's consortium and owner
    (``Q.check``, one query). Pages show their "New …" buttons by it; the services decide
    again (``check_saved``) when the record is saved."""
    policy = policy_for(model)
    if action not in ACTIONS and (policy is None or action not in policy.moves):
        known = policy.actions() if policy is not None else ACTIONS
        raise ValueError(f"unknown action {action!r}; expected one of {known}")
    ctx = context_for(user)
    if ctx.user_id is None:
        return False
    if ctx.platform_admin:
        return True
    q = policy.rule(ctx, action) if policy is not None else None
    if policy is None or q is None:
        return False
    if not q:
        return True
    if consortium_id is None:
        return False
    owner_id = owner_id if owner_id is not None else ctx.unit_id
    if owner_ids is None or all(o is None for o in owner_ids):
        owner_ids = [owner_id] * len(policy.owners)
    paths = [policy.consortium, *policy.owners]
    names = {p: f"p{i}" for i, p in enumerate(paths)}
    values: list[Any] = [consortium_id, *owner_ids]
    against = {
        names[p]: Value(v, output_field=IntegerField()) for p, v in zip(paths, values, strict=True)
    }
    return _renamed(q, names).check(against)
