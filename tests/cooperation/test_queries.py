"""Each list and detail page keeps a constant query count however many rows it shows."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.cooperation import services
from tests.support.queries import assert_constant_queries

D = dt.date(2025, 5, 1)


def _grow_projects(world, n):
    def grow():
        for i in range(n):
            p = services.project_create(
                actor=SYSTEM,
                consortium_id=world.a.pk,
                name=f"P{i}",
                type="other",
                lead_unit_id=world.units["ent"].pk,
            )
            services.participant_add(actor=SYSTEM, project_id=p.pk,
                                     unit_id=world.units["school"].pk)  # fmt: skip

    return grow


def _grow_project_parts(world, project, n):
    def grow():
        for i in range(n):
            services.input_record(actor=SYSTEM, project_id=project.pk,
                                  unit_id=world.units["school"].pk, category="money",
                                  actual=Decimal(100 + i), on=D)  # fmt: skip
            services.output_record(actor=SYSTEM, project_id=project.pk, title=f"O{i}",
                                   category="money", quantity=Decimal(1 + i),
                                   receiver_id=world.units["other"].pk, on=D)  # fmt: skip
            services.milestone_save(actor=SYSTEM, project_id=project.pk, title=f"M{i}")
            services.budget_line_add(actor=SYSTEM, project_id=project.pk, source="school",
                                     amount=Decimal(10))  # fmt: skip

    return grow


@pytest.mark.parametrize("who", ["secretariat", "unit_admin", "supervisor"])
def test_project_list_page(world, client, who):
    _grow_projects(world, 1)()  # an empty page skips the row query
    client.force_login(world.users[who])
    url = f"/consortia/{world.a.pk}/projects/"
    assert client.get(url).status_code == 200
    assert_constant_queries(lambda: client.get(url), _grow_projects(world, 6))


def test_project_detail_page(world, coop, client):
    p = coop["project own"]
    for step in ("proposed", "feasibility", "approved", "contracted", "in_progress",
                 "acceptance"):  # fmt: skip
        p = services.project_move(actor=SYSTEM, project_id=p.pk, to_status=step, version=None)
    client.force_login(world.users["secretariat"])
    url = f"/projects/{p.pk}/"
    assert client.get(url).status_code == 200
    assert_constant_queries(lambda: client.get(url), _grow_project_parts(world, p, 4))
    assert "O3" in client.get(url).content.decode()


def test_contract_list_and_ip_pages(world, coop, client):
    client.force_login(world.users["supervisor"])

    def grow():
        for i in range(5):
            c = services.contract_create(
                actor=SYSTEM, consortium_id=world.a.pk, title=f"C{i}", type="framework",
                parties=[{"unit_id": world.units["ent"].pk, "role": "party"},
                         {"unit_id": world.units["other"].pk, "role": "party"}],
            )  # fmt: skip
            services.ip_asset_create(
                actor=SYSTEM,
                consortium_id=world.a.pk,
                title=f"I{i}",
                kind="patent",
                contract_id=c.pk,
                owners=[(world.units["ent"].pk, Decimal(1))],
            )

    urls = [f"/consortia/{world.a.pk}/contracts/", f"/consortia/{world.a.pk}/ip/",
            "/api/contracts", "/api/ip-assets"]  # fmt: skip
    assert_constant_queries(lambda: [client.get(u) for u in urls], grow)


def test_alert_list_page(world, client):
    from gongsheng.alerts.services import alert_raise

    client.force_login(world.users["secretariat"])
    url = f"/consortia/{world.a.pk}/alerts/"

    def grow():
        for i in range(5):
            alert_raise(actor=SYSTEM, consortium_id=world.a.pk, kind="t", title=f"A{i}",
                        unit_id=world.units["ent"].pk)  # fmt: skip

    assert_constant_queries(lambda: client.get(url), grow)


def test_the_rules_engine_imports_no_django():
    code = (
        "import sys; import gongsheng.cooperation.ip_rules; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
