"""Ledger summaries over about 1,000,000 entries (province scale), against raw SQL.

Run on demand, on SQLite and on PostgreSQL::

    PYTHONPATH=src .venv/bin/python -m pytest benchmarks/test_bench_ledger.py -p no:cacheprovider
    DATABASE_URL=postgres://… PYTHONPATH=src .venv/bin/python -m pytest benchmarks/test_bench_ledger.py

The data are generated once per run: ``load_demo(scale=(30, 200))`` and then
``load_scale_ledger`` (1,000,000 entries plus 0.5 % reversals, the demo-only bulk path). Each
summary is timed as the supervisor who reads all 33 demo consortia (so over every entry), and
beside it the same GROUP BY statements written by hand are timed in the same run. A summary
may take at most 3× its raw SQL and must stay under 1 s. Pairs are summarised within one
consortium (the largest), as the selector requires.
"""

from __future__ import annotations

import random
import statistics
import time

import pytest
from django.db import connection

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

ENTRIES = 1_000_000
T = "ledger_ledgerentry"


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    from gongsheng.access.models import RoleAssignment
    from gongsheng.consortia.demo import load_demo
    from gongsheng.ledger.demo import load_scale_ledger, scale_consortia
    from gongsheng.ledger.models import LedgerEntry

    with django_db_blocker.unblock():
        started = time.perf_counter()
        load_demo(scale=(30, 200))
        consortia = scale_consortia()
        made = load_scale_ledger(consortia, ENTRIES, random.Random(7))
        built = time.perf_counter() - started
        with connection.cursor() as cur:
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cur.execute(f"VACUUM ANALYZE {T}")  # the visibility map: index-only scans
            else:
                cur.execute("ANALYZE")
        ids = sorted(
            RoleAssignment.objects.filter(
                user__username="supervisor", role="supervisor"
            ).values_list("consortium_id", flat=True)
        )
        print(f"\n{connection.vendor}: {made} entries in {built:.0f} s (demo + ledger)")
        assert LedgerEntry.objects.count() >= ENTRIES
        yield {"ids": ids, "big": consortia[0].pk, "built": built, "made": made}


def _raw(statements: list[str], params: list) -> float:
    """Median of five runs of the hand-written statements (fetching every row)."""
    times = []
    for _ in range(5):
        t = time.perf_counter()
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql, params)
                cur.fetchall()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _in(ids: list[int]) -> str:
    return "consortium_id IN (" + ", ".join(str(i) for i in ids) + ")"


def raw_statements(name: str, ids: list[int], big: int) -> tuple[list[str], list]:
    w = _in(ids)
    pool_in = (
        f"SELECT consortium_id, receiver_pool, giver_unit_id, SUM(value) FROM {T} "
        f"WHERE {{w}} AND receiver_kind = 'pool' AND giver_unit_id IS NOT NULL "
        f"GROUP BY consortium_id, receiver_pool, giver_unit_id"
    )
    return {
        "unit": [
            f"SELECT consortium_id, giver_unit_id, SUM(value), COUNT(*) FROM {T} "
            f"WHERE {w} AND giver_unit_id IS NOT NULL GROUP BY consortium_id, giver_unit_id",
            f"SELECT consortium_id, receiver_unit_id, SUM(value), COUNT(*) FROM {T} "
            f"WHERE {w} AND receiver_unit_id IS NOT NULL GROUP BY consortium_id, receiver_unit_id",
        ],
        "pair (one consortium)": [
            f"SELECT consortium_id, giver_unit_id, receiver_unit_id, SUM(value) FROM {T} "
            f"WHERE consortium_id = {big} AND giver_unit_id IS NOT NULL AND receiver_unit_id "
            f"IS NOT NULL GROUP BY consortium_id, giver_unit_id, receiver_unit_id",
            pool_in.format(w=f"consortium_id = {big}"),
        ],
        "pool": [
            pool_in.format(w=w),
            f"SELECT consortium_id, giver_pool, SUM(value) FROM {T} WHERE {w} "
            f"AND giver_kind = 'pool' GROUP BY consortium_id, giver_pool",
        ],
        "source": [
            f"SELECT consortium_id, source_type, source_id, SUM(value), COUNT(*) FROM {T} "
            f"WHERE {w} GROUP BY consortium_id, source_type, source_id"
        ],
        "period": [
            f"SELECT consortium_id, year, SUM(value), COUNT(*) FROM {T} WHERE {w} "
            f"GROUP BY consortium_id, year"
        ],
        "period (academic)": [
            f"SELECT consortium_id, academic_year, SUM(value), COUNT(*) FROM {T} WHERE {w} "
            f"GROUP BY consortium_id, academic_year"
        ],
        "category": [
            f"SELECT consortium_id, category_id, SUM(quantity), SUM(value), COUNT(*) FROM {T} "
            f"WHERE {w} GROUP BY consortium_id, category_id"
        ],
        "unit type × year": [
            f"SELECT consortium_id, giver_unit_id, year, SUM(value) FROM {T} WHERE {w} "
            f"AND giver_unit_id IS NOT NULL GROUP BY consortium_id, giver_unit_id, year",
            f"SELECT consortium_id, receiver_unit_id, year, SUM(value) FROM {T} WHERE {w} "
            f"AND receiver_unit_id IS NOT NULL GROUP BY consortium_id, receiver_unit_id, year",
        ],
    }[name], []


def summary_call(name: str, user, big: int):
    from gongsheng.ledger import selectors as s

    return {
        "unit": lambda: s.summary_by_unit(user=user, consortium_id=None),
        "pair (one consortium)": lambda: s.summary_by_pair(user=user, consortium_id=big),
        "pool": lambda: s.summary_by_pool(user=user, consortium_id=None),
        "source": lambda: s.summary_by_source(user=user, consortium_id=None),
        "period": lambda: s.summary_by_period(user=user, consortium_id=None),
        "period (academic)": lambda: s.summary_by_period(
            user=user, consortium_id=None, academic=True
        ),
        "category": lambda: s.summary_by_category(user=user, consortium_id=None),
        "unit type × year": lambda: s.summary_by_unit_type(user=user, consortium_id=None),
    }[name]


SUMMARIES = [
    "unit", "pair (one consortium)", "pool", "source", "period", "period (academic)",
    "category", "unit type × year",
]  # fmt: skip


@pytest.mark.parametrize("name", SUMMARIES)
def test_summary_against_raw_sql(benchmark, province, django_db_blocker, name):
    from gongsheng.access.models import User

    with django_db_blocker.unblock():
        user = User.objects.get(username="supervisor")
        call = summary_call(name, user, province["big"])
        assert call()  # warm, and not empty
        statements, params = raw_statements(name, province["ids"], province["big"])
        raw = _raw(statements, params)
        benchmark.extra_info.update({"raw_sql_s": raw, "vendor": connection.vendor})
        benchmark.pedantic(call, rounds=5, iterations=1, warmup_rounds=1)
    ours = benchmark.stats.stats.median
    line = (
        f"{connection.vendor} | {name} | {ours * 1000:.0f} ms | raw SQL {raw * 1000:.0f} ms | "
        f"{ours / raw:.2f}"
    )
    print("\n" + line)
    assert ours < 1.0, f"{name}: {ours:.2f} s, over 1 s"
    assert ours <= 3 * raw, f"{name}: {ours:.3f} s is more than 3 × raw SQL {raw:.3f} s"
