"""``gongsheng metrics --user NAME [--consortium ID] [--year-from Y] [--year-to Y]``: the
registered metrics, or their values per consortium and year as that user sees them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "List the registered metrics, or print every metric's value per consortium and year "
        "as the given user may see them (the same numbers as the metrics page)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", default=None, metavar="NAME", help="whose view to compute")
        parser.add_argument("--consortium", type=int, default=None, metavar="ID")
        parser.add_argument("--year-from", default=None, metavar="YEAR")
        parser.add_argument("--year-to", default=None, metavar="YEAR")

    def handle(self, *args: Any, **options: Any) -> None:
        from gongsheng.access.models import User
        from gongsheng.core.errors import ApplicationError
        from gongsheng.metrics import selectors

        if options["user"] is None:
            for m in selectors.catalogue():
                self.stdout.write(f"{m.name}\t{m.label}\t{m.unit}\t{m.source}")
            return
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"--user: no active user called {options['user']!r}")
        if options["consortium"] is None:
            raise CommandError("--consortium: give the consortium's id")
        try:
            table = selectors.consortium_metrics(
                user=user,
                consortium_id=options["consortium"],
                year_from=options["year_from"],
                year_to=options["year_to"],
            )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write("\t".join(["metric", "unit", *map(str, table.years)]))
        for m, values in table.rows():
            self.stdout.write(
                "\t".join([m.name, str(m.unit), *(format(v.normalize(), "f") for v in values)])
            )
