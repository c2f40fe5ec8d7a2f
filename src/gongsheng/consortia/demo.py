"""The demo consortium: a deterministic, clearly labelled synthetic data set.

``gongsheng demo`` loads a wind-power equipment consortium in an economic-and-technological
development zone (about 40 units of every type, memberships from 2023 on, with rank changes,
withdrawals, an expulsion and pending applications), two smaller consortia beside it, and the demo
logins. Every name says it is a demonstration (演示); every credit code is synthetic (division
code 99xxxx, which no real region has) but valid by its check character.

``--scale C×U`` adds C consortia of U units each through a bulk path (demo only: one audit
entry per generated batch instead of one per row) for benchmarks.

Running it again first removes all demo data (flagged ``is_demo``), so it always ends in the
same state.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongsheng.access.actors import SYSTEM
from gongsheng.access.models import ApiToken, RoleAssignment, ShareGrant, User
from gongsheng.access.passwords import DEMO_PASSWORD
from gongsheng.access.roles import Role
from gongsheng.access.services import role_grant, user_create
from gongsheng.alerts.models import Alert
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record
from gongsheng.consortia import credit_code
from gongsheng.consortia.choices import MembershipStatus, Rank, UnitType
from gongsheng.consortia.demo_roles import held_roles, restore_roles
from gongsheng.consortia.models import Consortium, Contact, Membership, MembershipEvent, Unit
from gongsheng.consortia.services import (
    consortium_create,
    consortium_update,
    contact_create,
    membership_create,
    membership_transition,
    membership_update,
    unit_create,
)

DEMO_LOGINS: list[tuple[str, str]] = [
    ("admin", "platform administrator / 平台管理员"),
    ("secretariat", "secretariat of the demo consortium / 联合体秘书处"),
    ("supervisor", "supervising education department, all demo consortia / 主管部门"),
    ("observer", "observer: public fields and aggregates / 观察员"),
    ("enterprise_admin", "admin of the lead enterprise / 牵头企业管理员"),
    ("enterprise_member", "member of the lead enterprise / 牵头企业成员"),
    ("school_admin", "admin of the lead school / 牵头学校管理员"),
    ("school_member", "member of the lead school / 牵头学校成员"),
]
SEED = 20231108
CITY = "滨江市"
PROVINCE = "江南省"

# (type, name, short name, registration prefix)
_CORE_UNITS: list[tuple[str, str, str, str]] = [
    ("park_committee", "滨江经济技术开发区管理委员会（演示）", "滨江经开区管委会", "11"),
    ("government", "滨江市人民政府（演示）", "滨江市政府", "11"),
    ("government", "滨江市教育局（演示）", "滨江市教育局", "11"),
    ("government", "滨江市发展和改革委员会（演示）", "滨江市发改委", "11"),
    ("higher_vocational", "滨江职业技术学院（演示）", "滨江职院", "12"),
    ("higher_vocational", "江南机电职业技术学院（演示）", "江南机电职院", "12"),
    ("higher_vocational", "滨江交通职业技术学院（演示）", "滨江交职院", "12"),
    ("secondary_vocational", "滨江市第一中等职业学校（演示）", "滨江一职", "12"),
    ("secondary_vocational", "滨江经开区职业高级中学（演示）", "经开区职高", "12"),
    ("secondary_vocational", "滨江市机电工程学校（演示）", "滨江机电学校", "12"),
    ("vocational_undergraduate", "江南职业技术大学（演示）", "江南职大", "12"),
    ("undergraduate", "滨江理工大学（演示）", "滨江理工", "12"),
    ("undergraduate", "江南能源大学（演示）", "江南能源大学", "12"),
    ("enterprise", "滨江风电装备集团有限公司（演示）", "滨江风电", "91"),
    ("enterprise", "江南叶片复合材料有限公司（演示）", "江南叶片", "91"),
    ("enterprise", "滨江齿轮传动股份有限公司（演示）", "滨江齿轮", "91"),
    ("enterprise", "江南塔筒钢结构有限公司（演示）", "江南塔筒", "91"),
    ("enterprise", "滨江精密轴承有限公司（演示）", "滨江轴承", "91"),
    ("enterprise", "江南风电控制系统有限公司（演示）", "江南控制", "91"),
    ("enterprise", "滨江发电机制造有限公司（演示）", "滨江电机", "91"),
    ("enterprise", "江南海上风电运维服务有限公司（演示）", "江南运维", "91"),
    ("enterprise", "滨江重型物流有限公司（演示）", "滨江物流", "91"),
    ("enterprise", "江南变流器科技有限公司（演示）", "江南变流", "91"),
    ("enterprise", "滨江铸锻件有限公司（演示）", "滨江铸锻", "91"),
    ("enterprise", "江南储能科技有限公司（演示）", "江南储能", "91"),
    ("enterprise", "滨江智能检测技术有限公司（演示）", "滨江检测", "91"),
    ("enterprise", "江南电缆有限公司（演示）", "江南电缆", "91"),
    ("enterprise", "滨江液压件有限公司（演示）", "滨江液压", "91"),
    ("enterprise", "江南风能工程技术有限公司（演示）", "江南风能工程", "91"),
    ("enterprise", "滨江数字孪生软件有限公司（演示）", "滨江数字孪生", "91"),
    ("enterprise", "江南紧固件有限公司（演示）", "江南紧固件", "91"),
    ("enterprise", "滨江涂装防腐有限公司（演示）", "滨江防腐", "91"),
    ("research_institute", "滨江风电技术研究院（演示）", "滨江风电研究院", "12"),
    ("research_institute", "江南省新能源装备研究所（演示）", "新能源装备所", "12"),
    ("research_institute", "滨江市智能制造创新中心（演示）", "智造创新中心", "12"),
    ("industry_association", "滨江市风能行业协会（演示）", "滨江风能协会", "51"),
    ("industry_association", "江南省机械工程学会滨江分会（演示）", "机械学会分会", "51"),
    ("other", "滨江市人力资源服务产业园（演示）", "人力资源产业园", "12"),
    ("other", "滨江市公共实训中心（演示）", "公共实训中心", "12"),
    ("other", "江南职业技能鉴定中心（演示）", "技能鉴定中心", "12"),
]
#: units that are not members but host demo logins (the supervising department)
_SUPERVISOR_UNIT = ("government", "江南省教育厅（演示）", "江南省教育厅", "11")

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建文辉力鹏宇浩然晨"
_TITLES = ["办公室主任", "校企合作处处长", "人力资源部经理", "技术中心主任", "联络员", "副院长"]


def _code(rng: random.Random, prefix: str, division: str) -> str:
    org = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice(credit_code.ALPHABET)
    return credit_code.make(prefix + division + org)


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


@dataclass
class DemoSummary:
    consortia: int
    units: int
    memberships: int
    users: int
    #: demo logins not made because an account of that name exists that the demo did not make
    skipped: tuple[str, ...] = ()
    #: real accounts' roles in demo consortia granted again after the reset, and those whose
    #: consortium the demo no longer makes (``consortia.demo_roles``)
    roles_kept: tuple[str, ...] = ()
    roles_lost: tuple[str, ...] = ()


class DemoRefused(RuntimeError):
    """The demo would have to touch what it did not make (or runs in production)."""


def demo_present() -> bool:
    return Consortium.objects.filter(is_demo=True).exists()


def demo_accounts() -> list[str]:
    """The user names of the demo's own accounts (none before ``migrate`` or in a database
    without the demo)."""
    from django.db import DatabaseError

    try:
        return list(User.objects.filter(is_demo=True).values_list("username", flat=True))
    except DatabaseError:
        return []


def _remove_demo_data() -> None:
    """Delete every demo row (demo-only bulk path; the audit log keeps its entries). Accounts
    are removed only when the demo made them (``User.is_demo``): never a real ``admin``."""
    consortia = Consortium.objects.filter(is_demo=True)
    units = Unit.objects.filter(is_demo=True)
    demo_users = User.objects.filter(is_demo=True)
    strangers = list(
        User.objects.filter(unit__in=units, is_demo=False).values_list("username", flat=True)
    )
    if strangers:
        raise DemoRefused(
            "Accounts the demo did not make belong to demo units: "
            + ", ".join(sorted(strangers))
            + ". Move them to another unit (or deactivate and remove them) before resetting "
            "the demo."
        )
    ApiToken.objects.filter(user__in=demo_users).delete()
    RoleAssignment.objects.filter(user__in=demo_users).delete()
    RoleAssignment.objects.filter(consortium__in=consortia).delete()
    ShareGrant.objects.filter(unit__in=units).delete()
    Alert.objects.filter(consortium__in=consortia).delete()
    MembershipEvent.objects.filter(membership__consortium__in=consortia).delete()
    MembershipEvent.objects.filter(membership__unit__in=units).delete()
    Membership.objects.filter(consortium__in=consortia).delete()
    Membership.objects.filter(unit__in=units).delete()
    consortia.update(lead_government=None, lead_school=None, lead_enterprise=None)
    consortia.delete()
    Contact.objects.filter(unit__in=units).delete()
    User.objects.filter(pk__in=demo_users.values("pk")).delete()
    units.delete()


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _load_main(rng: random.Random, today: dt.date) -> tuple[Consortium, dict[str, Unit]]:
    founded = dt.date(2023, 3, 18)
    units: dict[str, Unit] = {}
    for index, (utype, name, short, prefix) in enumerate(_CORE_UNITS):
        unit = unit_create(
            actor=SYSTEM,
            credit_code=_code(rng, prefix, "990112"),
            name=name,
            short_name=short,
            type=utype,
            province=PROVINCE,
            city=CITY,
            address=f"{CITY}经济技术开发区风能大道{100 + index * 7}号（演示）",
            description=str(_("Synthetic demo unit.")),
            is_demo=True,
        )
        units[short] = unit
        for c in range(rng.choice((1, 2))):
            contact_create(
                actor=SYSTEM,
                unit_id=unit.pk,
                name=_person(rng),
                title=rng.choice(_TITLES),
                phone=f"0000-{rng.randrange(1000000, 9999999)}",
                email=f"demo{index}-{c}@example.invalid",
                is_primary=c == 0,
            )
    consortium = consortium_create(
        actor=SYSTEM,
        code="binjiang-wind",
        name="滨江经开区风电装备产业市域产教联合体（演示）",
        level="municipal",
        batch="2023年第一批（演示）",
        status="running",
        province=PROVINCE,
        city=CITY,
        founded_on=founded,
        description=(
            "演示数据：以经开区管委会、滨江职业技术学院和滨江风电装备集团牵头，"
            "围绕风电装备产业链组建的市域产教联合体（合成数据）。"
        ),
        park_name="滨江经济技术开发区（演示）",
        park_industry_chain="风电装备（整机、叶片、齿轮箱、塔筒、轴承、控制系统、运维）",
        park_output="1268.50",
        park_output_rank=3,
        is_demo=True,
    )
    ranks = {
        "滨江经开区管委会": Rank.CHAIR,
        "滨江职院": Rank.EXECUTIVE_CHAIR,
        "滨江风电": Rank.EXECUTIVE_CHAIR,
        "滨江市教育局": Rank.VICE_CHAIR,
        "滨江理工": Rank.VICE_CHAIR,
        "滨江风电研究院": Rank.VICE_CHAIR,
        "江南叶片": Rank.COUNCIL,
        "滨江齿轮": Rank.COUNCIL,
        "江南机电职院": Rank.COUNCIL,
        "江南职大": Rank.COUNCIL,
        "滨江风能协会": Rank.COUNCIL,
    }
    founders = set(ranks) | {"滨江市政府", "滨江一职", "江南塔筒", "滨江轴承"}
    memberships: dict[str, Membership] = {}
    for short, unit in units.items():
        if short in founders:
            joined = founded
        else:
            joined = _date(rng, dt.date(2023, 6, 1), dt.date(2026, 6, 30))
        status = MembershipStatus.ADMITTED
        if short in {"江南紧固件", "滨江防腐"}:
            status = MembershipStatus.APPLIED
        m = membership_create(
            actor=SYSTEM,
            consortium_id=consortium.pk,
            unit_id=unit.pk,
            rank=Rank.MEMBER if short not in ranks or short in {"江南职大"} else ranks[short],
            status=status,
            applied_on=joined - dt.timedelta(days=rng.randrange(10, 60)),
            joined_on=joined if status == MembershipStatus.ADMITTED else None,
        )
        memberships[short] = m
    # history: a rank change, a withdrawal, an expulsion and a re-application
    m = membership_update(
        actor=SYSTEM,
        membership_id=memberships["江南职大"].pk,
        version=None,
        rank=Rank.COUNCIL,
        on=dt.date(2024, 9, 1),
    )
    membership_update(
        actor=SYSTEM,
        membership_id=memberships["江南控制"].pk,
        version=None,
        rank=Rank.COUNCIL,
        on=dt.date(2025, 3, 1),
    )
    left = max(memberships["滨江物流"].joined_on or founded, dt.date(2025, 1, 1))
    membership_transition(
        actor=SYSTEM,
        membership_id=memberships["滨江物流"].pk,
        to_status=MembershipStatus.WITHDRAWN,
        on=left + dt.timedelta(days=120),
        note="业务调整，主动退出（演示）",
    )
    expelled = max(memberships["滨江液压"].joined_on or founded, dt.date(2025, 2, 1))
    membership_transition(
        actor=SYSTEM,
        membership_id=memberships["滨江液压"].pk,
        to_status=MembershipStatus.EXPELLED,
        on=expelled + dt.timedelta(days=200),
        note="连续两年未履行成员义务（演示）",
    )
    consortium = consortium_update(
        actor=SYSTEM,
        consortium_id=consortium.pk,
        version=None,
        lead_government_id=units["滨江经开区管委会"].pk,
        lead_school_id=units["滨江职院"].pk,
        lead_enterprise_id=units["滨江风电"].pk,
    )
    return consortium, units


def _load_small(rng: random.Random, code: str, name: str, city: str, chain: str) -> Consortium:
    """A smaller consortium beside the main one (so supervisors can compare)."""
    division = "99" + str(rng.randrange(1000, 9999))
    consortium = consortium_create(
        actor=SYSTEM,
        code=code,
        name=name,
        level="municipal",
        batch="2024年第二批（演示）",
        status="building",
        province=PROVINCE,
        city=city,
        founded_on=dt.date(2024, 5, 10),
        park_name=f"{city}高新技术产业开发区（演示）",
        park_industry_chain=chain,
        park_output=f"{rng.randrange(300, 900)}.00",
        park_output_rank=rng.randrange(5, 20),
        is_demo=True,
    )
    kinds = [
        ("park_committee", "高新区管委会"),
        ("higher_vocational", "职业技术学院"),
        ("enterprise", "装备制造有限公司"),
        ("secondary_vocational", "中等职业学校"),
        ("enterprise", "智能科技有限公司"),
        ("research_institute", "产业技术研究院"),
        ("enterprise", "新材料有限公司"),
        ("industry_association", "行业协会"),
    ]
    prefixes = {"enterprise": "91", "industry_association": "51"}
    leads: dict[str, int] = {}
    for i, (utype, suffix) in enumerate(kinds):
        unit = unit_create(
            actor=SYSTEM,
            credit_code=_code(rng, prefixes.get(utype, "12"), division),
            name=f"{city}{suffix}（演示）",
            short_name=f"{city[:2]}{suffix[:4]}",
            type=utype,
            province=PROVINCE,
            city=city,
            is_demo=True,
        )
        membership_create(
            actor=SYSTEM,
            consortium_id=consortium.pk,
            unit_id=unit.pk,
            rank=Rank.CHAIR if i == 0 else (Rank.VICE_CHAIR if i < 3 else Rank.MEMBER),
            status=MembershipStatus.ADMITTED,
            joined_on=dt.date(2024, 5, 10) + dt.timedelta(days=30 * i),
        )
        leads.setdefault(utype, unit.pk)
    return consortium_update(
        actor=SYSTEM,
        consortium_id=consortium.pk,
        version=None,
        lead_government_id=leads["park_committee"],
        lead_school_id=leads["higher_vocational"],
        lead_enterprise_id=leads["enterprise"],
    )


def _load_logins(
    main: Consortium, units: dict[str, Unit], all_consortia: list[Consortium]
) -> tuple[int, tuple[str, ...]]:
    """The demo logins, marked ``is_demo``; a name already taken by an account the demo did
    not make (a real ``admin`` from ``createsuperuser``) is left alone and skipped."""
    rng = random.Random(SEED + 1)
    supervisor_unit = unit_create(
        actor=SYSTEM,
        credit_code=_code(rng, _SUPERVISOR_UNIT[3], "990000"),
        name=_SUPERVISOR_UNIT[1],
        short_name=_SUPERVISOR_UNIT[2],
        type=_SUPERVISOR_UNIT[0],
        province=PROVINCE,
        is_demo=True,
    )
    plan = {
        "admin": (None, [(Role.PLATFORM_ADMIN, None)], "平台管理员（演示）"),
        "secretariat": (units["滨江经开区管委会"], [(Role.SECRETARIAT, main)], "秘书处（演示）"),
        "supervisor": (
            supervisor_unit,
            [(Role.SUPERVISOR, c) for c in all_consortia],
            "主管部门（演示）",
        ),
        "observer": (None, [(Role.OBSERVER, main)], "观察员（演示）"),
        "enterprise_admin": (units["滨江风电"], [(Role.UNIT_ADMIN, main)], "滨江风电管理员"),
        "enterprise_member": (units["滨江风电"], [(Role.UNIT_MEMBER, main)], "滨江风电成员"),
        "school_admin": (units["滨江职院"], [(Role.UNIT_ADMIN, main)], "滨江职院管理员"),
        "school_member": (units["滨江职院"], [(Role.UNIT_MEMBER, main)], "滨江职院成员"),
    }
    taken = set(User.objects.filter(username__in=plan).values_list("username", flat=True))
    for username, (unit, roles, display) in plan.items():
        if username in taken:
            continue
        user = user_create(
            actor=SYSTEM,
            username=username,
            password=DEMO_PASSWORD,
            unit_id=unit.pk if unit else None,
            display_name=display,
            email=f"{username}@example.invalid",
            validate=False,
            is_demo=True,
        )
        for role, consortium in roles:
            role_grant(
                actor=SYSTEM,
                user=user,
                role=role,
                consortium_id=consortium.pk if consortium else None,
            )
    skipped = tuple(u for u in plan if u in taken)
    return len(plan) - len(skipped), skipped


def _load_scale(
    rng: random.Random,
    consortia: int,
    units_each: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[int, int]:
    """Bulk-generate ``consortia`` × ``units_each`` (demo only; one audit entry per batch)."""
    types = [t.value for t in UnitType]
    weights = [2, 1, 3, 4, 1, 2, 12, 2, 1, 1]
    n_units = 0
    # the demo's own supervisor login only (never a real account of that name)
    supervisors = list(
        RoleAssignment.objects.filter(user__username="supervisor", user__is_demo=True)
    )
    for k in range(consortia):
        with transaction.atomic():
            division = f"98{k:04d}"
            c = Consortium.objects.create(
                code=f"scale-{k:03d}",
                name=f"规模测试联合体{k + 1:03d}（演示）",
                level="municipal",
                batch=f"{2023 + k % 3}年（演示）",
                status=rng.choice(["running", "building", "monitoring"]),
                province=PROVINCE,
                city=f"测试市{k + 1:03d}",
                founded_on=dt.date(2023 + k % 3, 1 + k % 12, 1),
                is_demo=True,
            )
            new_units = []
            for i in range(units_each):
                utype = rng.choices(types, weights)[0]
                prefix = (
                    "91" if utype == "enterprise" else ("51" if "association" in utype else "12")
                )
                new_units.append(
                    Unit(
                        credit_code=_code(rng, prefix, division),
                        name=f"测试市{k + 1:03d}{UnitType(utype).label}{i + 1:04d}（演示）",
                        short_name=f"T{k + 1:03d}-{i + 1:04d}",
                        type=utype,
                        province=PROVINCE,
                        city=c.city,
                        is_demo=True,
                    )
                )
            Unit.objects.bulk_create(new_units, batch_size=500)
            created = list(Unit.objects.filter(city=c.city, is_demo=True).order_by("pk"))
            memberships = []
            for i, unit in enumerate(created):
                joined = _date(rng, c.founded_on, dt.date(2026, 6, 30))
                status = MembershipStatus.ADMITTED if rng.random() > 0.05 else "withdrawn"
                memberships.append(
                    Membership(
                        consortium=c,
                        unit=unit,
                        rank=Rank.CHAIR if i == 0 else rng.choice(["member"] * 8 + ["council"]),
                        status=status,
                        applied_on=joined - dt.timedelta(days=20),
                        joined_on=joined,
                        left_on=joined + dt.timedelta(days=300) if status == "withdrawn" else None,
                    )
                )
            Membership.objects.bulk_create(memberships, batch_size=500)
            c.lead_government = next((u for u in created if u.type == "park_committee"), None)
            c.lead_school = next((u for u in created if u.type == "higher_vocational"), None)
            c.lead_enterprise = next((u for u in created if u.type == "enterprise"), None)
            c.save(update_fields=["lead_government", "lead_school", "lead_enterprise"])
            if supervisors:
                RoleAssignment.objects.create(
                    user_id=supervisors[0].user_id, role=Role.SUPERVISOR, consortium=c
                )
            audit_record(
                actor=SYSTEM,
                event=EventType.DEMO_LOADED,
                action=Action.IMPORT,
                consortium_id=c.pk,
                object_repr=c.name,
                message=f"demo scale batch: 1 consortium, {len(created)} units, "
                f"{len(memberships)} memberships (bulk path, demo only)",
            )
            n_units += len(created)
        if progress:
            progress(k + 1, consortia)
    return consortia, n_units


def load_scale(
    scale: tuple[int, int], progress: Callable[[int, int], None] | None = None
) -> tuple[int, int, int]:
    """Add ``scale`` = (consortia, units each) through the bulk path; returns the counts of
    consortia, units and memberships added."""
    rng = random.Random(SEED + 3)
    before = Membership.objects.count()
    c, u = _load_scale(rng, scale[0], scale[1], progress)
    return c, u, Membership.objects.count() - before


def load_demo(
    *,
    scale: tuple[int, int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Remove all demo data and load it afresh (deterministic)."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        held = held_roles()
        _remove_demo_data()
        main, units = _load_main(rng, today)
        others = [
            _load_small(rng, "linhai-ev", "临海新能源汽车产业市域产教联合体（演示）", "临海市",
                        "新能源汽车（电池、电驱、整车）"),
            _load_small(rng, "qingshan-ic", "青山集成电路产业市域产教联合体（演示）", "青山市",
                        "集成电路（设计、封测、装备）"),
        ]  # fmt: skip
        users, skipped = _load_logins(main, units, [main, *others])
        kept, lost = restore_roles(held)
        audit_record(
            actor=SYSTEM,
            event=EventType.DEMO_LOADED,
            action=Action.IMPORT,
            obj=main,
            consortium_id=main.pk,
            message="demo consortium loaded",
        )
    n_consortia, n_units = 3, Unit.objects.filter(is_demo=True).count()
    if scale:
        extra_c, extra_u, _ = load_scale(scale, progress)
        n_consortia += extra_c
        n_units += extra_u
    return DemoSummary(
        consortia=n_consortia,
        units=n_units,
        memberships=Membership.objects.filter(consortium__is_demo=True).count(),
        users=users,
        skipped=skipped,
        roles_kept=tuple(map(str, kept)),
        roles_lost=tuple(map(str, lost)),
    )
