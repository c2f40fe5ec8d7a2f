"""Demo data: the demo consortium's shared resources and several years of bookings.

Patterns (recognisable in the ledger and the utilisation page):
- sustained: 滨江职院 trains at 滨江风电's wind-power training base every term week;
- integrated (both ways): 滨江风电 sends staff to 滨江职院's maintenance training centre and the
  school uses the enterprise's assembly line; both host and both use;
- repeated: 江南叶片 tests samples in 滨江理工's materials laboratory every six weeks or so;
- one-off: 滨江齿轮 books the non-destructive testing equipment once;
- a free rider: 江南运维 uses much (training centre, training base, expert pool, public
  classrooms) and hosts nothing;
- some rejected and cancelled bookings, and pending requests in the coming weeks.

Everything goes through the services (actor ``None``: the system), so approvals post their
ledger flows exactly as they would for people. Deterministic for a given ``random.Random``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia.models import Consortium, Unit
from gongsheng.core.errors import ApplicationError
from gongsheng.ledger.models import Category, LedgerEntry, ValuationRule
from gongsheng.ledger.services import rule_create
from gongsheng.sharing import services
from gongsheng.sharing.models import Booking, Quota, SharedResource

RULE_BASIS = "共享资源预约：每小时（演示）"
PRICES = {"facility_use": "80", "equipment_use": "150", "expert_hours": "300"}

# code, name, kind, owner, capacity, location
RESOURCES = [
    ("wind-base", "风电装备实训基地", "training_base", "滨江风电", 2, "滨江风电总装厂区 3 号楼"),
    ("assembly-line", "整机装配实训线", "equipment", "滨江风电", 1, "滨江风电总装车间"),
    ("om-centre", "风电运维实训中心", "training_base", "滨江职院", 3, "滨江职院实训楼 A 座"),
    ("smart-mfg", "智能制造公共实训平台", "service_platform", "滨江职院", 2, "滨江职院实训楼 B 座"),
    ("materials-lab", "材料力学实验室", "laboratory", "滨江理工", 1, "滨江理工机械学院"),
    ("experts", "风电技术专家库", "expert_pool", "滨江风电研究院", 4, "线上 / 现场"),
    ("ndt", "无损检测设备（超声相控阵）", "equipment", "滨江检测", 1, "滨江检测实验室"),
    ("classrooms", "公共实训教室", "teaching", "公共实训中心", 4, "公共实训中心 2 楼"),
    ("storage-lab", "储能实验室", "laboratory", "江南能源大学", 1, "江南能源大学储能楼"),
    ("twin", "数字孪生仿真平台", "service_platform", "滨江数字孪生", 2, "线上"),
]

# booking unit, resource code, weekday (ISO), window (start h, m, end h, m), every n weeks,
# probability per occurrence, first year
PATTERNS = [
    ("滨江职院", "wind-base", 2, (13, 30, 17, 30), 2, 0.9, 2023),  # sustained
    ("滨江风电", "om-centre", 4, (8, 30, 11, 30), 4, 0.8, 2023),  # integrated, both ways
    ("滨江职院", "assembly-line", 3, (8, 0, 12, 0), 4, 0.7, 2024),
    ("江南叶片", "materials-lab", 1, (9, 0, 12, 0), 6, 0.9, 2023),  # repeated
    ("江南运维", "om-centre", 1, (13, 30, 17, 30), 2, 0.8, 2023),  # free rider
    ("江南运维", "wind-base", 4, (8, 0, 12, 0), 4, 0.8, 2024),
    ("江南运维", "experts", 5, (9, 0, 11, 0), 4, 0.7, 2024),
    ("江南运维", "classrooms", 3, (13, 30, 17, 30), 3, 0.6, 2024),
    ("滨江一职", "classrooms", 2, (8, 0, 12, 0), 4, 0.7, 2023),
    ("江南控制", "twin", 3, (13, 30, 16, 30), 3, 0.6, 2025),
    ("滨江职院", "experts", 1, (14, 0, 16, 0), 4, 0.6, 2024),
    ("江南储能", "storage-lab", 2, (9, 0, 11, 0), 8, 0.7, 2025),
]
ONE_OFF = [("滨江齿轮", "ndt", dt.date(2024, 5, 14), (9, 0, 11, 0))]


def _closed_dates(first_year: int, last_year: int) -> list[str]:
    days = []
    for year in range(first_year, last_year + 1):
        days += [dt.date(year, 1, 1)] + [dt.date(year, 10, d) for d in range(1, 8)]
        days += [dt.date(year, 5, d) for d in range(1, 4)]
    return [d.isoformat() for d in days]


def _term_week(day: dt.date) -> bool:
    """School terms: mid-February to late June and September to mid-January."""
    m, d = day.month, day.day
    return (
        (m == 2 and d >= 20)
        or (3 <= m <= 6 and not (m == 6 and d > 25))
        or m >= 9
        or (m == 1 and d <= 12)
    )


def _ensure_prices(consortium: Consortium) -> None:
    for code, value in PRICES.items():
        category = Category.objects.filter(code=code, consortium__isnull=True).first()
        if category is None:
            continue
        if ValuationRule.objects.filter(category=category, consortium=consortium).exists():
            continue  # the consortium already prices it (e.g. the ledger's own demo)
        rule_create(
            actor=SYSTEM, category_id=category.pk, consortium_id=consortium.pk,
            effective_from=dt.date(2020, 1, 1), unit_value=Decimal(value), basis=RULE_BASIS,
        )  # fmt: skip


def _at(day: dt.date, h: int, m: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(h, m), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def load_demo_data(
    *, consortium: Consortium, units: dict[str, Unit], rng: random.Random
) -> dict[str, Any]:
    today = timezone.localdate()
    _ensure_prices(consortium)
    closed = _closed_dates(2023, today.year + 1)
    resources: dict[str, SharedResource] = {}
    for code, name, kind, owner, capacity, location in RESOURCES:
        resources[code] = services.resource_create(
            actor=SYSTEM, consortium_id=consortium.pk, owner_id=units[owner].pk, code=code,
            name=f"{name}（演示）", kind=kind, capacity=capacity, location=location,
            description="联合体成员共享使用（演示数据）。",
            rules="提前预约，经所属单位审批后使用；使用前一天中午前可取消。",
            closed_dates=closed, cancel_hours=24, is_demo=True,
        )  # fmt: skip
    services.quota_create(
        actor=SYSTEM, consortium_id=consortium.pk, resource_id=resources["experts"].pk,
        period="month", hours=Decimal("16"),
    )  # fmt: skip
    start = dt.date(2023, 3, 6)  # a Monday after the consortium was founded
    horizon = today + dt.timedelta(weeks=3)
    counts = {"approved": 0, "rejected": 0, "cancelled": 0, "pending": 0, "refused": 0}

    def book(unit: str, code: str, day: dt.date, window: tuple[int, int, int, int]) -> None:
        h0, m0, h1, m1 = window
        future = day > today
        try:
            b = services.booking_create(
                actor=SYSTEM, resource_id=resources[code].pk, unit_id=units[unit].pk,
                start=_at(day, h0, m0), end=_at(day, h1, m1), purpose="实训 / 检测（演示）",
                is_demo=True,
            )  # fmt: skip
        except ApplicationError:
            counts["refused"] += 1  # closed date or quota reached: as a real clerk would be told
            return
        roll = rng.random()
        if future and roll < 0.5:
            counts["pending"] += 1
            return
        if roll < 0.05:
            services.booking_reject(
                actor=SYSTEM, booking_id=b.pk, version=None, reason="设备检修（演示）"
            )
            counts["rejected"] += 1
            return
        services.booking_approve(actor=SYSTEM, booking_id=b.pk, version=None)
        if roll > 0.95:
            services.booking_cancel(actor=SYSTEM, booking_id=b.pk, version=None, reason="计划调整")
            counts["cancelled"] += 1
            return
        counts["approved"] += 1

    week = 0
    monday = start
    while monday <= horizon:
        for unit, code, weekday, window, every, p, first_year in PATTERNS:
            day = monday + dt.timedelta(days=weekday - 1)
            if day.year < first_year or week % every or day > horizon:
                continue
            if not _term_week(day) and unit in ("滨江职院", "滨江一职"):
                continue
            if rng.random() < p:
                book(unit, code, day, window)
        monday += dt.timedelta(weeks=1)
        week += 1
    for unit, code, day, window in ONE_OFF:
        book(unit, code, day, window)
    return {"resources": len(resources), "bookings": sum(counts.values()) - counts["refused"],
            **counts}  # fmt: skip


def remove_demo_data() -> None:
    """Delete the demo resources, quotas and bookings and the ledger entries they posted."""
    bookings = Booking.objects.filter(is_demo=True)
    entries = LedgerEntry.objects.filter(
        source_type="sharing.booking", source_id__in=list(bookings.values_list("pk", flat=True))
    )
    entries.filter(reverses__isnull=False)._demo_delete()
    entries._demo_delete()
    bookings.delete()
    resources = SharedResource.objects.filter(is_demo=True)
    Quota.objects.filter(resource__in=resources).delete()
    resources.delete()
    ValuationRule.objects.filter(basis=RULE_BASIS, consortium__is_demo=True).exclude(
        pk__in=LedgerEntry.objects.values("rule_id")
    ).delete()
