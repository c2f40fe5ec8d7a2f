"""Access policies: per model, which rows a user's roles reach for each action.

A policy turns the user's :class:`AccessContext` into a ``Q`` filter (``None`` = nothing at all,
an empty ``Q()`` = every row). The defaults cover what most records need; a model with special
rules subclasses :class:`Policy` and overrides :meth:`Policy.q`.

The rules (the same for every model unless its policy says otherwise):

=================  ===========================================================================
role               reaches
=================  ===========================================================================
platform admin     everything, every action
secretariat        every record of its consortium: view, view contents, add, change, delete
supervisor         every record of the consortia it supervises: view; contents of
                   confidential records are hidden (it sees that they exist, parties, values)
unit admin         its own unit's records: view, view contents; add / change / delete where
                   the policy lets units edit their own records; public records of its
                   consortia: view
unit member        its own unit's records: view, view contents; public records: view
observer           public records of its consortia: view
share grant        a confidential record shared with the user's unit: view, view contents
=================  ===========================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Model, Q

from gongsheng.access.roles import Role

#: the actions every policy answers; a policy adds its model's named moves (``Policy.moves``)
ACTIONS = ("view", "view_contents", "add", "change", "delete", "view_personal")


@dataclass(frozen=True)
class AccessContext:
    """What one user holds, loaded once per request and cached on the user."""

    user_id: int | None
    unit_id: int | None
    platform_admin: bool = False
    roles: dict[str, frozenset[int]] = field(default_factory=dict)

    def consortia(self, *roles: str) -> frozenset[int]:
        out: frozenset[int] = frozenset()
        for role in roles:
            out |= self.roles.get(role, frozenset())
        return out

    @property
    def all_consortia(self) -> frozenset[int]:
        return self.consortia(*Role.values)

    @property
    def unit_consortia(self) -> frozenset[int]:
        return self.consortia(Role.UNIT_ADMIN, Role.UNIT_MEMBER)


def any_of(qs: Iterable[Q | None]) -> Q | None:
    parts = [q for q in qs if q is not None]
    if not parts:
        return None
    return reduce(or_, parts)


def _in(path: str, ids: frozenset[int]) -> Q | None:
    if not ids:
        return None
    return Q(**{f"{path}__in": sorted(ids)})


class Policy:
    """Default policy for one model; configure with class attributes.

    Attributes
    ----------
    consortium:
        lookup path from the model to the consortium id (``"pk"`` for the consortium itself).
    owners:
        lookup paths to the units that own the record or are parties to it.
    confidential:
        contents restricted to the parties, the secretariat and units it is shared with.
    public:
        observers and other members of the consortium may view it.
    unit_edits:
        unit admins may add, change and delete their own unit's records.
    multi_valued:
        a lookup crosses a to-many relation, so filters go through a ``pk__in`` subquery.
    summary_fields:
        fields of a confidential record shown to those who may see that it exists.
    moves:
        the model's named actions (lifecycle moves such as ``approve``, ``admit``,
        ``withdraw``) and the base action whose rule answers them unless :meth:`move_q` says
        otherwise: ``{"approve": "change"}``. ``can(user, "approve", booking)`` and
        ``scope(user, qs, "approve")`` ask this policy, so a button, a form and the service
        ask one question.
    """

    model: type[Model]
    consortium: str = "consortium"
    owners: tuple[str, ...] = ()
    confidential: bool = False
    public: bool = True
    unit_edits: bool = False
    multi_valued: bool = False
    summary_fields: tuple[str, ...] = ()
    moves: dict[str, str] = {}

    def actions(self) -> tuple[str, ...]:
        """Every action this policy answers: the base ones, then the model's moves."""
        return (*ACTIONS, *self.moves)

    def rule(self, ctx: AccessContext, action: str) -> Q | None:
        """The filter for any action this policy answers (base action or named move)."""
        if action == "view_personal":
            return self.personal_q(ctx)
        if action in ACTIONS:
            return self.q(ctx, action)
        if action in self.moves:
            return self.move_q(ctx, action)
        raise ValueError(
            f"unknown action {action!r} for {self.model.__name__}; expected one of {self.actions()}"
        )

    def personal_q(self, ctx: AccessContext) -> Q | None:
        """Who reads the record's personal fields in full (``view_personal``, see
        ``access.personal``): the record's own unit and the secretariat; not supervisors,
        observers, other units, nor units it was shared with."""
        secretariat = self.in_consortia(ctx.consortia(Role.SECRETARIAT))
        own = (
            self.own_in_member_consortia(ctx, (Role.UNIT_ADMIN, Role.UNIT_MEMBER))
            if self.consortium
            else self.own(ctx)
        )
        return any_of([secretariat, own])

    def move_q(self, ctx: AccessContext, move: str) -> Q | None:
        """The filter for a named move: by default its base action's (``moves[move]``)."""
        return self.q(ctx, self.moves[move])

    def own(self, ctx: AccessContext) -> Q | None:
        if ctx.unit_id is None or not self.owners:
            return None
        return any_of(Q(**{path: ctx.unit_id}) for path in self.owners)

    def in_consortia(self, ids: frozenset[int]) -> Q | None:
        return _in(self.consortium, ids)

    def shared(self, ctx: AccessContext) -> Q | None:
        if not self.confidential or ctx.unit_id is None:
            return None
        from django.contrib.contenttypes.models import ContentType

        from gongsheng.access.models import ShareGrant

        ct = ContentType.objects.get_for_model(self.model)
        return Q(
            pk__in=ShareGrant.objects.filter(content_type=ct, unit_id=ctx.unit_id).values(
                "object_id"
            )
        )

    def own_in_member_consortia(self, ctx: AccessContext, roles: tuple[str, ...]) -> Q | None:
        own = self.own(ctx)
        where = self.in_consortia(ctx.consortia(*roles))
        if own is None or where is None:
            return None
        return own & where

    def q(self, ctx: AccessContext, action: str) -> Q | None:
        secretariat = self.in_consortia(ctx.consortia(Role.SECRETARIAT))
        unit_roles = (Role.UNIT_ADMIN, Role.UNIT_MEMBER)
        if action == "view":
            # one IN list for every consortium-wide grant keeps the SQL simple to plan
            wide = ctx.consortia(Role.SECRETARIAT, Role.SUPERVISOR)
            if self.public:
                wide |= ctx.all_consortia
            parts = [
                self.in_consortia(wide),
                self.own_in_member_consortia(ctx, unit_roles) if self.consortium else self.own(ctx),
                self.shared(ctx),
            ]
            return any_of(parts)
        if action == "view_contents":
            if not self.confidential:
                return self.q(ctx, "view")
            return any_of(
                [
                    secretariat,
                    self.own_in_member_consortia(ctx, unit_roles)
                    if self.consortium
                    else self.own(ctx),
                    self.shared(ctx),
                ]
            )
        if action in ("add", "change", "delete"):
            parts = [secretariat]
            if self.unit_edits:
                parts.append(
                    self.own_in_member_consortia(ctx, (Role.UNIT_ADMIN,))
                    if self.consortium
                    else self.own(ctx)
                )
            return any_of(parts)
        raise ValueError(f"unknown action {action!r}; expected one of {ACTIONS}")

    def summary(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self.summary_fields}


_REGISTRY: dict[type[Model], Policy] = {}


def register(model: type[Model]) -> Callable[[type[Policy]], type[Policy]]:
    """Class decorator: ``@register(Contract) class ContractPolicy(Policy): ...``."""

    def wrap(cls: type[Policy]) -> type[Policy]:
        policy = cls()
        policy.model = model
        _REGISTRY[model] = policy
        return cls

    return wrap


def policy_for(model: type[Model]) -> Policy | None:
    model = model._meta.concrete_model or model
    return _REGISTRY.get(model)


def registered_models() -> list[type[Model]]:
    return list(_REGISTRY)
