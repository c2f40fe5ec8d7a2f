"""Helpers for the environment tests: a policy with sensible defaults."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongsheng.access.actors import SYSTEM
from gongsheng.environment import services


def make_policy(world: Any, consortium: Any = None, actor: Any = SYSTEM, **data: Any) -> Any:
    values: dict[str, Any] = {
        "title": "Apprenticeship subsidy",
        "issuer": "Municipal finance bureau",
        "level": "municipal",
        "kind": "fiscal",
        "instrument": "subsidy",
        "target_groups": ["enterprise"],
        "effective_from": dt.date(2024, 1, 1),
        "amount": "100000",
        "amount_basis": "per_year",
        "classification": "positive",
        "classification_reason": "pays enterprises for apprentices",
    }
    values.update(data)
    return services.policy_create(actor=actor, consortium_id=(consortium or world.a).pk, **values)
