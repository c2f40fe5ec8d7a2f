"""incentive_amounts against sums worked by hand (decision 0704)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.core.errors import NotFound
from gongsheng.environment import services
from gongsheng.environment.selectors import (
    annual_amount,
    comparison_windows,
    incentive_amounts,
    parameter_for,
)
from tests.environment.support import make_policy

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def register(world):
    u = world.units
    p = {}
    p["per_year"] = make_policy(world, title="per year", amount="100000")
    p["per_student"] = make_policy(
        world, title="apprentices", kind="employment", amount="6000", amount_basis="per_student",
        quantity="120", effective_from=D(2025, 7, 1),
    )  # fmt: skip
    p["total"] = make_policy(
        world, title="school fund", target_groups=["school"], amount="3000000",
        amount_basis="total", effective_from=D(2025, 1, 1), effective_to=D(2027, 12, 31),
    )  # fmt: skip
    p["tax"] = make_policy(
        world, title="tax credit", kind="tax", instrument="tax_relief", amount="30",
        amount_basis="percentage", quantity="2400000",
    )  # fmt: skip
    p["penalty_e"] = make_policy(
        world, title="internship penalty", kind="other", instrument="penalty", amount="20000",
        amount_basis="per_project", quantity="2", classification="neutral",
    )  # fmt: skip
    p["penalty_s"] = make_policy(
        world, title="school penalty", instrument="penalty", target_groups=["school"],
        amount="5000",
    )  # fmt: skip
    p["per_unit"] = make_policy(
        world, title="reward per unit", instrument="reward", target_groups=[],
        target_unit_ids=[u["ent"].pk, u["other"].pk, u["school"].pk], amount="500000",
        amount_basis="per_unit",
    )  # fmt: skip
    p["split"] = make_policy(
        world, title="three groups", target_groups=["school", "enterprise", "research"],
        amount="90000",
    )  # fmt: skip
    p["requirement"] = make_policy(
        world, title="rule", instrument="requirement", amount=None, classification="negative",
        classification_reason="costs land",
    )  # fmt: skip
    withdrawn = make_policy(world, title="withdrawn", amount="777")
    services.policy_withdraw(actor=SYSTEM, policy_id=withdrawn.pk, version=1, on=D(2025, 1, 1))
    make_policy(world, consortium=world.b, title="elsewhere", amount="999")
    p["tax_subsidy"] = make_policy(world, title="tax-kind subsidy", kind="tax", amount="10000")
    p["no_quantity"] = make_policy(
        world, title="no quantity", amount="100", amount_basis="per_student"
    )
    make_policy(world, title="future", amount="5", effective_from=D(2026, 1, 1))
    return p


def _amounts(out):
    return {k: v["amount"] for k, v in out["parameters"].items()}


def test_annual_amounts_match_the_hand_computed_sums(world, register):
    out = incentive_amounts(user=world.users["secretariat"], consortium_id=world.a.pk, year=2025)
    # G_e: 100000 + 720000·184/365 + 1500000·2/3 + 90000/3
    # G_s: 3000000·365/1095 + 1500000·1/3 + 90000/3;  T: 30 % × 2400000 + 10000
    assert _amounts(out) == {
        "G_s": 1_530_000.0,
        "G_e": 1_492_958.90,
        "T": 730_000.0,
        "P_s": 5_000.0,
        "P_e": 40_000.0,
    }
    g_e = {s["title"]: s for s in out["parameters"]["G_e"]["policies"]}
    assert g_e["apprentices"]["amount"] == 362_958.90
    assert "184/365" in g_e["apprentices"]["how"]
    assert g_e["reward per unit"]["share"] == pytest.approx(2 / 3)
    unmapped = {u["title"]: u["reason"] for u in out["unmapped"]}
    assert set(unmapped) == {"rule", "no quantity"}
    assert unmapped["no quantity"] == "no quantity per year"
    titles = {s["title"] for v in out["parameters"].values() for s in v["policies"]}
    assert not titles & {"withdrawn", "elsewhere", "future"}


def test_other_years(world, register):
    sec = world.users["secretariat"]
    a2024 = _amounts(incentive_amounts(user=sec, consortium_id=world.a.pk, year=2024))
    # 2024: G_e = per year 100000 + per unit 1000000 + split 30000 + withdrawn 777 (in force
    # all 2024); G_s = per unit 500000 + split 30000 (the school fund starts in 2025)
    assert a2024["G_e"] == 1_130_777.0 and a2024["G_s"] == 530_000.0
    a2023 = _amounts(incentive_amounts(user=sec, consortium_id=world.a.pk, year=2023))
    assert a2023 == {"G_s": 0.0, "G_e": 0.0, "T": 0.0, "P_s": 0.0, "P_e": 0.0}


def test_proration_in_a_leap_year_and_totals_without_an_end(world):
    p = make_policy(world, amount="366000", effective_from=D(2024, 7, 1))
    assert annual_amount(p, 2024)[0] == 184_000  # 366000 · 184/366
    one_off = make_policy(world, amount="50000", amount_basis="total", effective_from=D(2024, 5, 1))
    assert annual_amount(one_off, 2024)[0] == 50_000
    assert annual_amount(one_off, 2025)[0] == 0


def test_everyone_of_the_consortium_gets_the_same_amounts_and_outsiders_nothing(world, register):
    amounts = {
        role: _amounts(incentive_amounts(user=world.users[role], consortium_id=world.a.pk,
                                         year=2025))
        for role in ("admin", "secretariat", "supervisor", "observer", "unit_member")
    }  # fmt: skip
    assert len({tuple(sorted(a.items())) for a in amounts.values()}) == 1
    with pytest.raises(NotFound):
        incentive_amounts(user=world.users["other_consortium"], consortium_id=world.a.pk, year=2025)


@pytest.mark.parametrize(
    ("kind", "instrument", "group", "param"),
    [
        ("fiscal", "subsidy", "school", "G_s"),
        ("fiscal", "reward", "enterprise", "G_e"),
        ("finance", "credit_support", "enterprise", "G_e"),
        ("land", "land_supply", "enterprise", "G_e"),
        ("tax", "tax_relief", "enterprise", "T"),
        ("tax", "subsidy", "enterprise", "T"),
        ("tax", "tax_relief", "school", "G_s"),
        ("other", "penalty", "school", "P_s"),
        ("tax", "penalty", "enterprise", "P_e"),
        ("fiscal", "requirement", "enterprise", None),
        ("fiscal", "subsidy", "government", None),
        ("fiscal", "subsidy", "research", None),
    ],
)
def test_the_mapping(kind, instrument, group, param):
    assert parameter_for(kind, instrument, group) == param


@pytest.mark.parametrize(
    ("start", "k", "years", "expected"),
    [
        (2025, 2, (2023, 2026), (2, (2023, 2024), (2025, 2026))),
        (2025, 3, (2023, 2026), (2, (2023, 2024), (2025, 2026))),
        (2024, 2, (2023, 2026), (1, (2023, 2023), (2024, 2024))),
        (2026, 2, (2023, 2026), (1, (2025, 2025), (2026, 2026))),
    ],
)
def test_comparison_windows_are_bounded_by_the_data(start, k, years, expected):
    assert comparison_windows(start, k, years)[:3] == expected


def test_comparison_windows_without_data_on_one_side():
    assert comparison_windows(2019, 2, (2023, 2026))[1] is None
    assert "before 2019" in comparison_windows(2019, 2, (2023, 2026))[3]
    assert comparison_windows(2027, 2, (2023, 2026))[1] is None
    assert comparison_windows(2025, 2, None)[3] == "no ledger data yet"
