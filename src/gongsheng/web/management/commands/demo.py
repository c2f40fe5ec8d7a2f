"""``gongsheng demo``: load (or reset) the synthetic demo consortium."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError


def _scale(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*[x×*]\s*(\d+)\s*", value)
    if not match:
        raise CommandError(f"--scale takes CONSORTIAxUNITS, e.g. 30x200; got {value!r}")
    c, u = int(match[1]), int(match[2])
    if not (1 <= c <= 1000 and 1 <= u <= 5000):
        raise CommandError("--scale: 1-1000 consortia of 1-5000 units")
    return c, u


class Command(BaseCommand):
    help = (
        "Load the demo consortium (synthetic, labelled 演示); running it again resets all demo "
        "data to the same state. --scale 30x200 adds 30 consortia of 200 units for benchmarks."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=_scale, default=None, metavar="CxU")
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing when demo data is present"
        )
        parser.add_argument(
            "--ledger-entries",
            type=int,
            default=1_000_000,
            help="with --scale: about this many ledger entries across the scale consortia",
        )

    def handle(
        self,
        *args: Any,
        scale: tuple[int, int] | None,
        if_missing: bool,
        ledger_entries: int,
        **o: Any,
    ) -> None:
        from django.conf import settings

        from gongsheng.consortia.demo import DEMO_LOGINS, DEMO_PASSWORD, DemoRefused, demo_present
        from gongsheng.core.context import request_scope
        from gongsheng.web.demo import load as load_demo

        if settings.PRODUCTION and if_missing:  # `serve`: start without it
            self.stdout.write("The demo is not loaded in production (GONGSHENG_ENV=production).")
            return
        if settings.PRODUCTION:
            raise CommandError(
                "The demo does not run in production (GONGSHENG_ENV=production): it would put "
                "accounts with a public password on a live site. Nothing was changed."
            )
        if if_missing and demo_present():
            self.stdout.write("Demo data present (run `gongsheng demo` to reset it).")
            return
        try:
            summary = self._load(scale, ledger_entries, load_demo, request_scope)
        except DemoRefused as exc:
            raise CommandError(f"{exc} Nothing was changed.") from exc
        self.stdout.write(
            f"Demo data loaded: {summary.consortia} consortia, {summary.units} units, "
            f"{summary.memberships} memberships, {summary.users} demo logins."
        )
        made = [u for u, _ in DEMO_LOGINS if u not in summary.skipped]
        self.stdout.write(f"Logins (password {DEMO_PASSWORD}): " + ", ".join(made))
        if summary.roles_kept:
            self.stdout.write(
                "保留了真实账号在演示联合体中的角色 · Kept the roles real accounts hold in demo "
                "consortia: " + ", ".join(summary.roles_kept)
            )
        if summary.roles_lost:
            self.stdout.write(
                "演示不再包含这些角色所在的联合体，角色已删除 · Removed with a consortium the demo "
                "no longer makes: " + ", ".join(summary.roles_lost)
            )
        for username in summary.skipped:
            self.stdout.write(
                f"Left alone: the account {username!r} exists and was not made by the demo, "
                "so the demo has no such login."
            )

    def _load(self, scale: Any, ledger_entries: int, load_demo: Any, request_scope: Any) -> Any:
        with request_scope():
            if scale:
                from rich.progress import Progress

                with Progress(transient=True) as bar:
                    task = bar.add_task("consortia and units", total=scale[0])
                    entries = bar.add_task("ledger entries", total=ledger_entries)
                    summary = load_demo(
                        scale=scale,
                        ledger_entries=ledger_entries,
                        progress=lambda done, total: bar.update(task, completed=done),
                        ledger_progress=lambda done, total: bar.update(
                            entries, completed=done, total=total
                        ),
                    )
            else:
                self.stdout.write("Loading the demo consortium …")
                summary = load_demo()
        return summary
