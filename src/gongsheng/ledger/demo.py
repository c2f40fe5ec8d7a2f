"""Demo data for the ledger: valuation rules and manual entries of the demo consortium, and the
bulk path that fills the scale consortia with about a million entries for benchmarks.

The project- and booking-driven entries come from the cooperation and sharing demo loaders
(through ``flows_sync``). ``load_scale_ledger`` is **demo-only**: it writes entries with
``bulk_create`` (no per-entry audit; one audit record per generated batch), which no service may
do for real data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record
from gongsheng.consortia.models import Consortium, Membership, Unit
from gongsheng.ledger.choices import MONEY_CATEGORIES, PartyKind
from gongsheng.ledger.models import (
    Category,
    LedgerEntry,
    ValuationRule,
    academic_year_of,
)
from gongsheng.ledger.services import Party, entry_correct, entry_create, entry_reverse, rule_create

#: (category code, value per unit in CNY from 2023, from 2025, basis)
DEMO_PRICES: list[tuple[str, str, str, str]] = [
    ("land_sites", "180", "200", "园区工业用地年租金（演示）"),
    ("buildings_bases", "260", "280", "实训基地场地年租金（演示）"),
    ("equipment", "45000", "48000", "设备年折旧与维护（演示）"),
    ("expert_hours", "300", "350", "兼职教师课酬标准（演示）"),
    ("posts", "8000", "8500", "实习岗位带教成本（演示）"),
    ("policy_support", "200000", "200000", "政策项目平均资助（演示）"),
    ("graduates_trained", "20000", "22000", "生均培养成本（演示）"),
    ("graduates_employed", "30000", "32000", "企业招聘与培训节约（演示）"),
    ("workers_trained", "1500", "1600", "社会培训人均费用（演示）"),
    ("patents_ip", "50000", "60000", "专利评估均价（演示）"),
    ("problems_solved", "100000", "100000", "技术攻关合同均价（演示）"),
    ("awards", "50000", "50000", "奖励与声誉折算（演示）"),
]

#: manual entries of the demo consortium: (date, giver short name, receiver short name,
#: category, quantity, note)
_MANUAL: list[tuple[str, str, str, str, str, str]] = [
    ("2023-04-10", "滨江经开区管委会", "滨江职院", "land_sites", "5000", "产业学院用地（演示）"),
    ("2023-06-01", "滨江市政府", "滨江职院", "policy_support", "1", "产教融合专项（演示）"),
    ("2023-09-01", "滨江风电", "滨江职院", "equipment", "6", "风机实训机组捐赠（演示）"),
    ("2023-09-15", "滨江风电", "滨江职院", "expert_hours", "320", "企业导师授课（演示）"),
    ("2023-12-20", "滨江职院", "滨江风电", "graduates_employed", "28", "订单班毕业生入职（演示）"),
    ("2024-03-01", "滨江风电", "滨江职院", "money", "500000", "实训基地共建资金（演示）"),
    ("2024-03-12", "江南叶片", "江南机电职院", "posts", "40", "顶岗实习岗位（演示）"),
    ("2024-05-20", "滨江理工", "滨江齿轮", "problems_solved", "2", "齿面强化工艺攻关（演示）"),
    ("2024-06-30", "滨江齿轮", "滨江理工", "service_income", "380000", "技术服务费（演示）"),
    ("2024-07-01", "江南职大", "江南运维", "workers_trained", "260", "海上运维技能培训（演示）"),
    ("2024-09-01", "滨江风电", "滨江职院", "expert_hours", "360", "企业导师授课（演示）"),
    ("2024-11-11", "滨江风电研究院", "滨江风电", "patents_ip", "3", "叶片检测专利许可（演示）"),
    ("2024-12-20", "滨江职院", "滨江风电", "graduates_employed", "35", "订单班毕业生入职（演示）"),
    ("2025-01-15", "滨江市教育局", "滨江一职", "policy_support", "1", "中职专业建设补助（演示）"),
    ("2025-03-03", "江南控制", "滨江交职院", "equipment", "2", "控制系统实训台（演示）"),
    # a free rider: 滨江紧固件 only receives
    ("2025-04-01", "滨江职院", "江南紧固件", "graduates_employed", "6", "毕业生入职（演示）"),
    ("2025-05-18", "公共实训中心", "江南紧固件", "workers_trained", "45", "员工培训（演示）"),
    ("2025-06-30", "滨江检测", "滨江理工", "money", "120000", "联合实验室经费（演示）"),
    ("2025-09-01", "滨江风电", "滨江职院", "expert_hours", "400", "企业导师授课（演示）"),
    ("2025-10-08", "滨江风能协会", "滨江风电", "awards", "1", "行业创新奖（演示）"),
    ("2025-12-20", "滨江职院", "滨江风电", "graduates_employed", "42", "订单班毕业生入职（演示）"),
    ("2026-03-01", "滨江风电", "滨江职院", "money", "300000", "产业学院运行经费（演示）"),
]


#: the consortium's history before and beside the manual entries, in 10,000 CNY (万元) per
#: year, all in money categories (valued 1:1 whatever the year): what the lead enterprise paid
#: the lead school for its order classes (订单班) before the consortium was founded in 2023,
#: and what the two earned from outside the consortium through it (training and services,
#: new products). With them the schools' and the enterprises' outputs grow over 2019–2026
#: like a Logistic curve, so the dynamics page has the five or more years its two-group fit
#: needs (issue 13 point 8). The diagnosis's default window (2023–2026) sees only the outside
#: flows, which touch no pair.
_HISTORY: list[tuple[int, int, int, int]] = [
    # (year, 滨江风电 → 滨江职院, outside → 滨江职院, outside → 滨江风电)
    (2019, 60, 60, 90),
    (2020, 100, 100, 160),
    (2021, 160, 160, 270),
    (2022, 230, 240, 420),
    (2023, 0, 210, 300),
    (2024, 0, 130, 180),
    (2025, 0, 475, 40),
    (2026, 0, 795, 770),
]


def _history(consortium: Consortium, units: dict[str, Unit]) -> int:
    """The yearly history flows of ``_HISTORY`` (through the services, like every entry)."""
    school, firm = Party.unit(units["滨江职院"].pk), Party.unit(units["滨江风电"].pk)
    flows = (
        (firm, school, "money", "订单班培养经费（演示）"),
        (Party.outside(), school, "service_income", "社会培训与技术服务收入（联合体外，演示）"),
        (Party.outside(), firm, "revenue", "订单班合作产品新增营收（联合体外，演示）"),
    )
    n = 0
    for year, *amounts in _HISTORY:
        for (giver, receiver, category, note), amount in zip(flows, amounts, strict=True):
            if amount:
                entry_create(
                    actor=SYSTEM, consortium_id=consortium.pk, date=dt.date(year, 6, 30),
                    category=category, quantity=Decimal(amount * 10_000), giver=giver,
                    receiver=receiver, note=note, reference=f"DEMO-H{year}-{n + 1:02d}",
                )  # fmt: skip
                n += 1
    return n


def _rules(consortium: Consortium) -> int:
    n = 0
    for code, v1, v2, basis in DEMO_PRICES:
        category = Category.objects.get(consortium=None, code=code)
        for start, value in ((dt.date(2023, 1, 1), v1), (dt.date(2025, 1, 1), v2)):
            rule_create(
                actor=SYSTEM,
                category_id=category.pk,
                consortium_id=consortium.pk,
                effective_from=start,
                unit_value=Decimal(value),
                basis=basis,
            )
            n += 1
    return n


def load_demo_data(*, consortium: Consortium, units: dict[str, Unit], rng: random.Random) -> dict:
    """Valuation rules and manual entries for the demo consortium (through the services)."""
    with transaction.atomic():
        rules = _rules(consortium)
        posted = []
        for day, giver, receiver, code, qty, note in _MANUAL:
            # a little deterministic jitter in the quantities, so runs stay equal
            quantity = Decimal(qty)
            if code not in MONEY_CATEGORIES and quantity > 10:
                quantity += rng.randrange(0, 5)
            posted.append(
                entry_create(
                    actor=SYSTEM,
                    consortium_id=consortium.pk,
                    date=dt.date.fromisoformat(day),
                    category=code,
                    quantity=quantity,
                    giver=Party.unit(units[giver].pk),
                    receiver=Party.unit(units[receiver].pk),
                    note=note,
                    reference=f"DEMO-{len(posted) + 1:03d}",
                )
            )
        # a mistaken entry reversed, and one corrected (reverse + new)
        wrong = entry_create(
            actor=SYSTEM,
            consortium_id=consortium.pk,
            date=dt.date(2024, 4, 2),
            category="money",
            quantity=Decimal("50000"),
            giver=Party.unit(units["江南塔筒"].pk),
            receiver=Party.unit(units["滨江职院"].pk),
            note="录入错误：重复登记（演示）",
        )
        entry_reverse(actor=SYSTEM, entry_id=wrong.pk, note="重复登记，冲销（演示）")
        entry_correct(
            actor=SYSTEM,
            entry_id=posted[6].pk,
            quantity=Decimal("36"),
            note="实际岗位数更正（演示）",
        )
        history = _history(consortium, units)
    return {"rules": rules, "entries": len(posted) + 4 + history}


def remove_demo_data() -> None:
    """Delete every ledger row of demo consortia and units (demo-only bulk path)."""
    demo_units = Unit.objects.filter(is_demo=True).values("pk")
    entries = LedgerEntry.objects.filter(
        Q(consortium__is_demo=True) | Q(giver_unit__in=demo_units) | Q(receiver_unit__in=demo_units)
    )
    entries._demo_delete()
    ValuationRule.objects.filter(consortium__is_demo=True).delete()
    Category.objects.filter(consortium__is_demo=True).delete()


# --- the scale path -------------------------------------------------------------------------
#: which categories each kind of giver puts in (weights)
_GIVES: dict[str, list[tuple[str, int]]] = {
    "enterprise": [("money", 3), ("equipment", 2), ("expert_hours", 5), ("posts", 4),
                   ("service_income", 1), ("revenue", 1), ("buildings_bases", 1)],
    "school": [("graduates_trained", 4), ("graduates_employed", 3), ("workers_trained", 4),
               ("expert_hours", 3), ("problems_solved", 1), ("buildings_bases", 1)],
    "government": [("policy_support", 3), ("money", 3), ("land_sites", 2), ("awards", 1)],
    "research": [("problems_solved", 3), ("patents_ip", 3), ("expert_hours", 2)],
    "other": [("workers_trained", 2), ("expert_hours", 2), ("awards", 1)],
}  # fmt: skip
_QUANTITY: dict[str, tuple[float, float]] = {  # (low, high) of a uniform draw
    "money": (5_000, 800_000), "service_income": (10_000, 500_000), "revenue": (10_000, 900_000),
    "equipment": (1, 8), "expert_hours": (8, 320), "posts": (2, 60), "land_sites": (200, 8000),
    "buildings_bases": (100, 4000), "graduates_trained": (5, 80), "graduates_employed": (2, 40),
    "workers_trained": (10, 300), "problems_solved": (1, 3), "patents_ip": (1, 4),
    "policy_support": (1, 2), "awards": (1, 2),
}  # fmt: skip


def _kind(unit_type: str) -> str:
    if unit_type == "enterprise":
        return "enterprise"
    if unit_type in ("government", "park_committee"):
        return "government"
    if unit_type == "research_institute":
        return "research"
    if unit_type in ("higher_vocational", "secondary_vocational", "vocational_undergraduate",
                     "undergraduate"):  # fmt: skip
        return "school"
    return "other"


def _scale_rules(consortium: Consortium, categories: dict[str, Category]) -> dict[str, list]:
    """Two dated rules per non-money category (bulk; audited with the consortium's first batch)."""
    rules = []
    for code, v1, v2, basis in DEMO_PRICES:
        for version, (start, value) in enumerate(
            ((dt.date(2023, 1, 1), v1), (dt.date(2025, 1, 1), v2)), start=1
        ):
            rules.append(
                ValuationRule(
                    category=categories[code],
                    consortium=consortium,
                    effective_from=start,
                    unit_value=Decimal(value),
                    version=version,
                    basis=basis,
                )
            )
    if not ValuationRule.objects.filter(consortium=consortium).exists():
        ValuationRule.objects.bulk_create(rules)
    by_code: dict[str, list] = {}
    for r in ValuationRule.objects.filter(consortium=consortium).order_by("effective_from"):
        by_code.setdefault(r.category_id, []).append(r)
    for code in MONEY_CATEGORIES:
        by_code[categories[code].pk] = list(
            ValuationRule.objects.filter(category=categories[code], consortium=None)
        )
    return by_code


_COLUMNS = (
    "consortium_id", "date", "year", "academic_year", "giver_kind", "giver_unit_id", "giver_pool",
    "receiver_kind", "receiver_unit_id", "receiver_pool", "category_id", "quantity", "value",
    "rule_id", "source_type", "source_id", "source_key", "manual", "confidential", "reverses_id",
    "note", "created_at", "created_by_id", "pending", "cost", "value_stated", "cost_stated",
    "stated_reason",
)  # fmt: skip
UNIT, POOL, OUTSIDE = PartyKind.UNIT.value, PartyKind.POOL.value, PartyKind.OUTSIDE.value
CENT = Decimal("0.01")


def _insert(rows: list[tuple], chunk: int = 500) -> None:
    """Multi-row INSERTs written by hand: the ORM's per-value compilation costs ten times the
    database's own work at this size (demo only: no model validation, no per-entry audit)."""
    if not rows:
        return
    table = LedgerEntry._meta.db_table
    cols = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    one = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    with connection.cursor() as cur:
        for i in range(0, len(rows), chunk):
            part = rows[i : i + chunk]
            sql = f"INSERT INTO {table} ({cols}) VALUES " + ", ".join([one] * len(part))
            # generated flows are the system's: they count at once (not pending); the scale
            # rules have no cost rule, so each costs its giver its value
            cur.execute(sql, [v for row in part for v in (*row, False, row[12], False, False, "")])


def load_scale_ledger(
    consortia: Sequence[Consortium],
    entries_total: int,
    rng: random.Random,
    progress: Callable[[int, int], None] | None = None,
    *,
    batch_size: int = 20_000,
) -> int:
    """Bulk-generate about ``entries_total`` entries across ``consortia`` (demo only).

    Realistic shape: each unit gives the categories its type gives; a few large units make most
    of the flows (Pareto weights); about half the flows go unit to unit, a third into project
    pools (about one pool per ten units, four to eight participants each) and back out to
    their participants; dates uniform over 2023–2026, valued by the rule in force; 0.5 % are
    reversed. One transaction and one audit record per batch of ``batch_size`` entries.
    """
    categories = {c.code: c for c in Category.objects.filter(consortium=None)}
    gives = {k: tuple(zip(*v, strict=True)) for k, v in _GIVES.items()}
    consortia = list(consortia)
    if not consortia or entries_total <= 0:
        return 0
    per = [entries_total // len(consortia)] * len(consortia)
    per[0] += entries_total - sum(per)
    done = 0
    start = dt.date(2023, 1, 1)
    days = (dt.date(2026, 12, 31) - start).days + 1
    for consortium, n in zip(consortia, per, strict=True):
        with transaction.atomic():
            rules = _scale_rules(consortium, categories)
        units = list(
            Membership.objects.filter(consortium=consortium)
            .values_list("unit_id", "unit__type")
            .order_by("unit_id")
        )
        if len(units) < 2:
            continue
        ids = [u for u, _ in units]
        kinds = {u: _kind(t) for u, t in units}
        weights = [1.0 / (k + 1) ** 0.8 for k in range(len(ids))]
        rng.shuffle(weights)
        n_pools = max(1, len(ids) // 10)
        pools = []
        for p in range(n_pools):
            members = rng.sample(ids, min(len(ids), rng.randint(4, 8)))
            pools.append((f"project:scale-{consortium.pk}-{p + 1}", members))
        made = 0
        batch_no = 0
        while made < n:
            size = min(batch_size, n - made)
            rows: list[tuple] = []
            now = timezone.now()
            tag = f"scale-{consortium.pk}-{batch_no}"
            givers = rng.choices(ids, weights, k=size)
            for g in givers:
                roll = rng.random()
                if roll < 0.30:  # into a project pool the giver takes part in
                    pool, members = pools[rng.randrange(n_pools)]
                    if g not in members:
                        g = rng.choice(members)
                    parties = (UNIT, g, "", POOL, None, pool)
                    kind = kinds[g]
                elif roll < 0.45:  # out of a pool to one of its participants
                    pool, members = pools[rng.randrange(n_pools)]
                    r = rng.choice(members)
                    parties = (POOL, None, pool, UNIT, r, "")
                    kind = kinds[r]
                elif roll < 0.50:  # from outside the consortium
                    parties = (OUTSIDE, None, "", UNIT, g, "")
                    kind = "government"
                else:  # unit to unit
                    r = rng.choices(ids, weights)[0]
                    while r == g:
                        r = rng.choice(ids)
                    parties = (UNIT, g, "", UNIT, r, "")
                    kind = kinds[g]
                codes, cw = gives[kind]
                code = rng.choices(codes, cw)[0]
                lo, hi = _QUANTITY[code]
                quantity = Decimal(round(rng.uniform(lo, hi), 0 if hi > 10 else 1))
                day = start + dt.timedelta(days=rng.randrange(days))
                cat_id = categories[code].pk
                options = rules[cat_id]
                rule = options[-1] if len(options) == 1 or day.year >= 2025 else options[0]
                rows.append(
                    (consortium.pk, day, day.year, academic_year_of(day), *parties, cat_id,
                     quantity, (quantity * rule.unit_value).quantize(CENT), rule.pk,
                     "demo.scale", None, tag, False, False, None, "", now, None)
                )  # fmt: skip
            with transaction.atomic():
                _insert(rows)
                sample = rng.sample(range(size), size // 200)
                originals = list(
                    LedgerEntry.objects.filter(consortium_id=consortium.pk, source_key=tag)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                picked = [originals[i] for i in sample]
                reversals = [
                    (e.consortium_id, e.date, e.year, e.academic_year, e.giver_kind,
                     e.giver_unit_id, e.giver_pool, e.receiver_kind, e.receiver_unit_id,
                     e.receiver_pool, e.category_id, -e.quantity, -e.value, e.rule_id,
                     e.source_type, None, e.source_key, False, False, e.pk, "reversal (demo)",
                     now, None)
                    for e in LedgerEntry.objects.filter(pk__in=picked).order_by("pk")
                ]  # fmt: skip
                _insert(reversals)
                audit_record(
                    actor=SYSTEM,
                    event=EventType.LEDGER_SCALE_BATCH,
                    action=Action.IMPORT,
                    consortium_id=consortium.pk,
                    object_repr=consortium.name,
                    message=f"demo scale ledger batch {batch_no}: {len(rows)} entries and "
                    f"{len(reversals)} reversals (bulk path, demo only)",
                )
            made += size
            done += len(rows) + len(reversals)
            batch_no += 1
            if progress:
                progress(min(done, entries_total), entries_total)
    return done


def scale_consortia() -> list[Any]:
    return list(Consortium.objects.filter(is_demo=True, code__startswith="scale-").order_by("pk"))


__all__ = [
    "DEMO_PRICES",
    "load_demo_data",
    "load_scale_ledger",
    "remove_demo_data",
    "scale_consortia",
]
