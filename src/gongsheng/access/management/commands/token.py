"""``gongsheng token USERNAME``: print a new API token for a user."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongsheng.access.actors import SYSTEM


class Command(BaseCommand):
    help = "Create a named API token for USERNAME and print it (it is shown only once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--expires-days", type=int, default=None)

    def handle(self, *args: Any, username: str, name: str, expires_days: int | None, **o: Any):
        from gongsheng.access.models import User
        from gongsheng.access.services import token_create
        from gongsheng.core.context import request_scope

        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user {username!r}.") from exc
        expires = timezone.now() + dt.timedelta(days=expires_days) if expires_days else None
        with request_scope():
            _, raw = token_create(actor=SYSTEM, user=user, name=name, expires_at=expires)
        self.stdout.write(raw)
