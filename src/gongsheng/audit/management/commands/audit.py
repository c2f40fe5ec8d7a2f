"""``gongsheng audit verify [--chain N ...]`` and ``gongsheng audit prune [--older-than-days N]``.

``verify`` walks every hash chain of the audit log from its anchor (decision 0803) and names the
first broken link of each broken chain; it exits with status 1 when any chain is broken, 0
when all hold. ``prune`` removes entries older than the retention period (setting
``GONGSHENG_AUDIT_RETENTION_DAYS``, at least 180 days) and leaves each chain's anchor behind.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "审计日志 audit log: `verify` checks every hash chain and names the first broken link "
        "(exit status 1 when one is broken); `prune` removes entries past the retention period."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify|prune")
        verify = sub.add_parser("verify", help="check the hash chains (校验审计链)")
        verify.add_argument(
            "--chain", type=int, action="append", metavar="N",
            help="only this chain (a consortium's id; 0 = platform); may be repeated",
        )  # fmt: skip
        verify.add_argument("--quiet", action="store_true", help="no progress bar")
        prune = sub.add_parser("prune", help="remove entries past the retention period")
        prune.add_argument("--older-than-days", type=int, default=None, metavar="DAYS")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "verify":
            self._verify(options.get("chain"), quiet=options.get("quiet", False))
        else:
            self._prune(options.get("older_than_days"))

    def _verify(self, chains: list[int] | None, *, quiet: bool) -> None:
        from rich.console import Console
        from rich.progress import Progress

        from gongsheng.audit.chain import verify

        console = Console(file=sys.stderr, highlight=False)
        with Progress(console=console, transient=True, disable=quiet) as bar:
            task = bar.add_task("校验审计链 verifying the audit chains", total=None)
            result = verify(
                chains, progress=lambda done, total: bar.update(task, completed=done, total=total)
            )
        for state in result.chains:
            if state.broken is None:
                self.stdout.write(
                    f"chain {state.chain}: ok, {state.entries} entries "
                    f"(positions {state.first_seq}–{state.last_seq})"
                )
        broken = [s.broken for s in result.chains if s.broken is not None]
        if broken:
            for b in broken:
                self.stderr.write(f"审计链断裂 BROKEN {b.describe()}")
            raise CommandError(
                f"审计链校验失败 audit chain verification failed: {len(broken)} broken chain(s); "
                f"first broken link: {broken[0].describe()}",
                returncode=1,
            )
        self.stdout.write(
            f"审计链完好 audit chains intact: {len(result.chains)} chain(s), "
            f"{result.entries} entries."
        )

    def _prune(self, days: int | None) -> None:
        from django.conf import settings

        from gongsheng.audit.services import audit_prune
        from gongsheng.core.actors import SYSTEM
        from gongsheng.core.context import request_scope

        days = settings.GONGSHENG_AUDIT_RETENTION_DAYS if days is None else days
        try:
            with request_scope():
                count = audit_prune(actor=SYSTEM, older_than_days=days)
        except ValueError as exc:
            raise CommandError(f"--older-than-days: {exc}") from exc
        self.stdout.write(f"已清理 pruned {count} audit entries older than {days} days.")
