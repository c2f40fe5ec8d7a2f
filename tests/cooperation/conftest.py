from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.cooperation import services


@pytest.fixture
def project(world):
    """A project led by ent, with school taking part; rules value expert hours at 300."""
    from gongsheng.ledger.models import Category
    from gongsheng.ledger.services import rule_create
    from tests.support.ledger_seed import ensure_default_categories

    ensure_default_categories()  # a live-server test on this worker may have flushed them
    for code, value in (("expert_hours", "300"), ("problems_solved", "50000")):
        rule_create(
            actor=SYSTEM,
            category_id=Category.objects.get(code=code, consortium=None).pk,
            consortium_id=world.a.pk,
            effective_from=dt.date(2020, 1, 1),
            unit_value=Decimal(value),
        )
    p = services.project_create(
        actor=world.users["secretariat"],
        consortium_id=world.a.pk,
        name="Blade inspection",
        type="joint_rd",
        lead_unit_id=world.units["ent"].pk,
        starts_on=dt.date(2025, 1, 1),
    )
    services.participant_add(
        actor=world.users["secretariat"], project_id=p.pk, unit_id=world.units["school"].pk
    )
    p.refresh_from_db()
    return p


@pytest.fixture
def coop(world, project):
    """Projects, contracts and IP assets around the world's units."""
    D = dt.date(2025, 1, 1)
    sec = world.users["secretariat"]
    u = {k: v.pk for k, v in world.units.items()}
    services.input_record(actor=sec, project_id=project.pk, unit_id=u["ent"], category="money",
                          committed=Decimal(10), actual=Decimal(5), on=D)  # fmt: skip
    other = services.project_create(actor=sec, consortium_id=world.a.pk, name="Other's",
                                    type="order_class", lead_unit_id=u["other"])  # fmt: skip
    inp_other = services.input_record(actor=sec, project_id=other.pk, unit_id=u["other"],
                                      category="money", actual=Decimal(3), on=D)  # fmt: skip
    project_b = services.project_create(actor=SYSTEM, consortium_id=world.b.pk, name="B's",
                                        type="other", lead_unit_id=u["x"])  # fmt: skip
    contract_own = services.contract_create(
        actor=sec, consortium_id=world.a.pk, title="Blade inspection development",
        code="HT-1", type="commissioned_dev", value=Decimal("300000"),
        parties=[{"unit_id": u["ent"], "role": "commissioning", "share": Decimal("0.6")},
                 {"unit_id": u["school"], "role": "developer", "share": Decimal("0.4")}],
    )  # fmt: skip
    contract_other = services.contract_create(
        actor=sec, consortium_id=world.a.pk, title="Other's agreement", type="internship",
        parties=[{"unit_id": u["other"], "role": "enterprise"},
                 {"unit_id": u["school"], "role": "school"}],
    )  # fmt: skip
    contract_b = services.contract_create(
        actor=SYSTEM, consortium_id=world.b.pk, title="B's contract", type="framework",
        parties=[{"unit_id": u["x"], "role": "party"}, {"unit_id": u["outside"], "role": "party"}],
    )  # fmt: skip
    ip_own = services.ip_asset_create(
        actor=sec, consortium_id=world.a.pk, title="Inspection method", kind="patent_application",
        origin="commissioned", contract_id=contract_own.pk, owners=[(u["school"], Decimal(1))],
    )  # fmt: skip
    ip_other = services.ip_asset_create(
        actor=sec, consortium_id=world.a.pk, title="Other's software", kind="software_copyright",
        owners=[(u["other"], Decimal(1))],
    )  # fmt: skip
    ip_entowned = services.ip_asset_create(
        actor=sec, consortium_id=world.a.pk, title="Ent's know-how", kind="know_how",
        owners=[(u["ent"], Decimal(1))],
    )  # fmt: skip
    return {
        "project own": project, "project other": other, "project other-c": project_b,
        "input own": project.inputs.get(unit_id=u["ent"]), "input other": inp_other,
        "contract own": contract_own, "contract other": contract_other,
        "contract other-c": contract_b, "ip own": ip_entowned, "ip other": ip_other,
        "ip commissioned": ip_own,
    }  # fmt: skip
