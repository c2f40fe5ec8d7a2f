"""Who performs a write: a user, or the system (:data:`SYSTEM`) for work nobody did by hand.

Type every service's ``actor`` parameter as :data:`Actor`.
"""

from __future__ import annotations

from typing import TypeAlias

from gongsheng.access.models import User
from gongsheng.core.actors import SYSTEM, SystemActor, is_system

Actor: TypeAlias = User | SystemActor

__all__ = ["SYSTEM", "Actor", "SystemActor", "is_system"]
