"""Server time of the utilisation page over 200,000 approved bookings (demo-only bulk rows).

Run on demand: ``.venv/bin/python -m pytest benchmarks/test_bench_sharing.py``. The bookings
are written with ``bulk_create`` (no audit, no ledger: a benchmark fixture, not a demo path);
the page aggregates them with GROUP BY queries, timed beside the same GROUP BY in raw SQL.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

N = 200_000


@pytest.fixture(scope="module")
def bookings(django_db_setup, django_db_blocker):
    from gongsheng.consortia.demo import load_demo
    from gongsheng.consortia.models import Consortium, Unit
    from gongsheng.sharing import demo
    from gongsheng.sharing.models import Booking, SharedResource

    with django_db_blocker.unblock():
        load_demo()
        main = Consortium.objects.get(code="binjiang-wind")
        units = {u.short_name: u for u in Unit.objects.filter(is_demo=True)}
        demo.load_demo_data(consortium=main, units=units, rng=random.Random(3))
        resources = list(SharedResource.objects.filter(consortium=main))
        users = [u.pk for u in units.values()]
        rng = random.Random(5)
        tz = timezone.get_current_timezone()
        rows = []
        for i in range(N):
            r = rng.choice(resources)
            day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1400))
            start = dt.datetime.combine(day, dt.time(8 + i % 8), tzinfo=tz)
            rows.append(
                Booking(
                    consortium=main,
                    resource=r,
                    unit_id=rng.choice(users),
                    host_unit_id=r.owner_id,
                    start=start,
                    end=start + dt.timedelta(hours=1),
                    hours=Decimal(1),
                    status="approved",
                    is_demo=True,
                )
            )
        Booking.objects.bulk_create(rows, batch_size=5000)
        yield main.pk


def test_utilisation_page(benchmark, bookings, django_db_blocker):
    from gongsheng.access.models import User

    with django_db_blocker.unblock():
        client = Client()
        client.force_login(User.objects.get(username="observer"))
        url = f"/consortia/{bookings}/utilisation/?year=2025"
        assert client.get(url).status_code == 200
        benchmark.pedantic(lambda: client.get(url), rounds=10, iterations=1, warmup_rounds=1)
    assert benchmark.stats.stats.median < 1.0


def test_raw_sql_group_by(benchmark, bookings, django_db_blocker):
    """The per-resource and per-unit sums written by hand, for comparison."""
    a, b = "2025-01-01", "2026-01-01"
    with django_db_blocker.unblock():

        def run():
            with connection.cursor() as cur:
                for col in ("resource_id", "unit_id", "host_unit_id"):
                    cur.execute(
                        f"SELECT {col}, SUM(hours) FROM sharing_booking WHERE consortium_id = %s "
                        "AND status = 'approved' AND start >= %s AND start < %s GROUP BY 1",
                        [bookings, a, b],
                    )
                    cur.fetchall()

        benchmark(run)
