"""The system actor: who did work nobody did by hand (the demo loader, migrations, sweeps,
the ``diagnose`` command).

Services take ``actor: Actor`` (``gongsheng.access.actors.Actor`` = a user or :data:`SYSTEM`);
``None`` is refused by the audit log, so "no actor" cannot creep back in as a silent
superuser. The system passes every access check (``access.scope`` treats it as a platform
admin) and is named "system" in the audit log.
"""

from __future__ import annotations

from typing import Any, Final


class SystemActor:
    """The one system actor (:data:`SYSTEM`); not a user, never logs in."""

    pk = None
    id = None
    unit_id = None
    username: Final = "system"
    is_active = True
    is_authenticated = True
    is_superuser = True

    _instance: SystemActor | None = None

    def __new__(cls) -> SystemActor:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "system"

    def __reduce__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = SystemActor()


def is_system(actor: Any) -> bool:
    """Whether ``actor`` is the system actor."""
    return isinstance(actor, SystemActor)
