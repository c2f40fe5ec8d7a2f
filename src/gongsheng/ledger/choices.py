from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    """A named giver's answer to a flow another unit posted in its name (decision 0804)."""

    CONFIRMED = "confirmed", _("confirmed")
    DECLINED = "declined", _("declined")


class PartyKind(models.TextChoices):
    UNIT = "unit", _("unit")
    POOL = "pool", _("project pool")
    OUTSIDE = "outside", _("outside the consortium")


#: the categories every consortium starts with: (code, Chinese name, English name, quantity unit)
DEFAULT_CATEGORIES: list[tuple[str, str, str, str]] = [
    ("money", "资金", "money", "元"),
    ("land_sites", "土地与场地", "land and sites", "平方米·年"),
    ("buildings_bases", "建筑与实训基地", "buildings and training bases", "平方米·年"),
    ("equipment", "设备", "equipment", "台·年"),
    ("expert_hours", "教师、导师与专家（课时）", "teachers, mentors and experts (hours)", "小时"),
    ("posts", "岗位与实习名额", "posts and internship places", "个"),
    ("policy_support", "政策支持", "policy support", "项"),
    ("graduates_trained", "培养毕业生", "graduates trained", "人"),
    ("graduates_employed", "本地就业毕业生", "graduates employed locally", "人"),
    ("workers_trained", "培训技能人才", "workers trained", "人次"),
    ("patents_ip", "专利及其他知识产权", "patents and other IP", "件"),
    ("problems_solved", "解决技术难题", "technical problems solved", "项"),
    ("service_income", "技术服务收入", "technical-service income", "元"),
    ("revenue", "营业收入", "revenue", "元"),
    ("awards", "奖励与声誉", "awards and reputation", "项"),
    # the use of shared resources is measured in hours (bookings post these)
    ("facility_use", "场地与实训基地使用", "use of sites, bases and laboratories", "小时"),
    ("equipment_use", "设备与平台使用", "use of equipment and platforms", "小时"),
]
#: categories measured in CNY: valued one to one
MONEY_CATEGORIES = frozenset({"money", "service_income", "revenue"})
