"""``gongsheng check --deploy``: warn about accounts that still have the demo password.

Checking a password costs a full hash (about a second with Django's PBKDF2), so the check
looks at the accounts that matter and cannot be too many: every active account made by the
demo, named like a demo login, or holding platform rights (superusers, platform admins).
"""

from __future__ import annotations

from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.db.models import Q

#: the demo logins' user names (``consortia.demo.DEMO_LOGINS``; access imports no app above)
DEMO_USERNAMES = (
    "admin", "secretariat", "supervisor", "observer", "enterprise_admin",
    "enterprise_member", "school_admin", "school_member",
)  # fmt: skip


def accounts_with_demo_password() -> list[str]:
    from django.contrib.auth.hashers import check_password

    from gongsheng.access.models import User
    from gongsheng.access.passwords import DEMO_PASSWORD
    from gongsheng.access.roles import Role

    candidates = User.objects.filter(is_active=True).filter(
        Q(is_demo=True)
        | Q(username__in=DEMO_USERNAMES)
        | Q(is_superuser=True)
        | Q(role_assignments__role=Role.PLATFORM_ADMIN)
    )
    return sorted(
        {u.username for u in candidates.distinct() if check_password(DEMO_PASSWORD, u.password)}
    )


@register(Tags.security, deploy=True)
def demo_passwords(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    try:
        names = accounts_with_demo_password()
    except DatabaseError:  # no database yet (before `migrate`): nothing to check
        return []
    if not names:
        return []
    return [
        Warning(
            f"{len(names)} account(s) still have the public demo password: {', '.join(names)}.",
            hint="Remove the demo (a fresh database) or set new passwords before going live; "
            "a production site should not hold the demo's accounts.",
            id="gongsheng.W001",
        )
    ]
