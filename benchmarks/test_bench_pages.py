"""Server time of the heavy pages at province scale (30 consortia × 200 units).

Run on demand: ``.venv/bin/python -m pytest benchmarks/test_bench_pages.py``. The data are
generated once per run with ``load_demo(scale=(30, 200))``; each page is rendered through
Django's test client (the whole request: middleware, scoping, queries, templates), as the
secretariat of a 200-unit consortium and as the supervisor who reads all 33 consortia. The raw
SQL of the same list is timed beside it as the floor.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db]

PAGES = {
    "consortium list": "/consortia/",
    "overview": "/consortia/{c}/",
    "unit directory": "/consortia/{c}/units/",
    "unit directory, filtered": "/consortia/{c}/units/?type=enterprise&q=0",
    "unit detail": "/units/{u}/",
    "audit log": "/audit/",
    "API unit list": "/api/units?consortium={c}",
}


@pytest.fixture(scope="module")
def province(django_db_setup, django_db_blocker):
    from gongsheng.access.models import RoleAssignment, User
    from gongsheng.consortia.demo import load_demo
    from gongsheng.consortia.models import Consortium

    with django_db_blocker.unblock():
        load_demo(scale=(30, 200))
        big = Consortium.objects.get(code="scale-000")
        secretariat = User.objects.get(username="secretariat")
        RoleAssignment.objects.get_or_create(user=secretariat, role="secretariat", consortium=big)
        unit = big.memberships.order_by("pk").first().unit
        yield {"c": big.pk, "u": unit.pk}


@pytest.mark.parametrize("who", ["secretariat", "supervisor"])
@pytest.mark.parametrize("page", list(PAGES))
def test_page_server_time(benchmark, province, django_db_blocker, who, page):
    from gongsheng.access.models import User

    with django_db_blocker.unblock():
        client = Client()
        client.force_login(User.objects.get(username=who))
        url = PAGES[page].format(**province)
        response = client.get(url)
        assert response.status_code == 200, url
        benchmark.extra_info["url"] = url
        benchmark.pedantic(lambda: client.get(url), rounds=20, iterations=1, warmup_rounds=2)
    assert benchmark.stats.stats.median < 0.100, f"{page} for {who}: over 100 ms"


def test_raw_sql_floor(benchmark, province, django_db_blocker):
    """The unit directory's two essential queries written by hand, for comparison."""
    sql = (
        "SELECT u.id, u.name, u.type, m.rank, m.status FROM consortia_unit u "
        "JOIN consortia_membership m ON m.unit_id = u.id WHERE m.consortium_id = %s "
        "ORDER BY u.name LIMIT 50"
    )
    with django_db_blocker.unblock():

        def run():
            with connection.cursor() as cur:
                cur.execute(sql, [province["c"]])
                rows = cur.fetchall()
                cur.execute(
                    "SELECT COUNT(*) FROM consortia_membership WHERE consortium_id = %s",
                    [province["c"]],
                )
                return rows

        benchmark(run)
