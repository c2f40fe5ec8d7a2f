"""The analysis workbook's sheets and columns: one definition drives the template, its README
sheet, the reader's header matching and the documentation.

Every sheet and column has a Chinese name (what the template shows), an English name and a
code; a header matches any of the three, ignoring case, spaces and a trailing parenthesised
unit (``价值（元）`` = ``价值`` = ``value (CNY)`` = ``value``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: unit groups: code -> (Chinese, English); the diagnosis engine's ``group`` values.
GROUPS: dict[str, tuple[str, str]] = {
    "government": ("政府", "government"),
    "school": ("学校", "school"),
    "enterprise": ("企业", "enterprise"),
    "research": ("科研", "research"),
    "other": ("其他", "other"),
}
#: extra words accepted for a group (folded)
GROUP_ALIASES: dict[str, str] = {
    "政府部门": "government",
    "行业主管部门": "government",
    "gov": "government",
    "院校": "school",
    "职业院校": "school",
    "高校": "school",
    "学校/院校": "school",
    "college": "school",
    "university": "school",
    "公司": "enterprise",
    "行业企业": "enterprise",
    "company": "enterprise",
    "firm": "enterprise",
    "科研院所": "research",
    "研究机构": "research",
    "institute": "research",
    "行业协会": "other",
    "协会": "other",
}
#: the counterpart outside the consortium in the ledger
OUTSIDE_WORDS = ("外部", "outside", "external", "联合体外")
YES_WORDS = ("是", "yes", "y", "true", "1", "有", "√", "✓", "x")
NO_WORDS = ("否", "no", "n", "false", "0", "无", "")


@dataclass(frozen=True)
class Column:
    """One column of a sheet."""

    key: str
    zh: str
    en: str
    kind: str  # text, code, number, positive, date, bool, group, period, direction, ref
    required: bool = False
    help_zh: str = ""
    help_en: str = ""

    def names(self) -> set[str]:
        return {fold(self.key), fold(self.zh), fold(self.en)}


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook."""

    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    required: bool = False
    help_zh: str = ""
    help_en: str = ""
    wide: bool = False  # further columns beyond ``columns`` carry data (indicators)
    extra: dict = field(default_factory=dict)

    def names(self) -> set[str]:
        return {fold(self.key), fold(self.zh), fold(self.en)}

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


_PAREN = re.compile(r"[\(（][^\)）]*[\)）]\s*$")


def fold(text: object) -> str:
    """A header or name folded for matching: case, spaces, a trailing (unit) removed."""
    s = "" if text is None else str(text).strip()
    s = _PAREN.sub("", s)
    return re.sub(r"[\s_\-]+", "", s).casefold()


C = Column
UNITS = Sheet(
    "units",
    "单元",
    "units",
    (
        C("code", "代码", "code", "code", True, "单元的唯一代码，台账和事件表用它指代单元。",
          "Unique code of the unit; the other sheets refer to units by this code."),
        C("name", "名称", "name", "text", True, "单元全称。", "Full name."),
        C("group", "类别", "group", "group", True,
          "政府、学校、企业、科研或其他"
          "（也可写 government / school / enterprise / research / other）。",
          "government, school, enterprise, research or other (or the Chinese words)."),
        C("lead", "牵头", "lead", "bool", False, "牵头单位填“是”，否则留空或填“否”。",
          "“yes” for the lead unit(s), otherwise empty or “no”."),
    ),
    required=True,
    help_zh="联合体的成员单位（共生单元），每行一个。",
    help_en="The member units (symbiotic units) of the consortium, one per row.",
)  # fmt: skip
POOLS = Sheet(
    "pools",
    "项目池",
    "pools",
    (
        C("code", "代码", "code", "code", True, "项目（资源池）的唯一代码，不得与单元代码相同。",
          "Unique code of the project's pool; must differ from every unit code."),
        C("name", "名称", "name", "text", False, "项目名称。", "Project name."),
        C("note", "备注", "note", "text", False, "", ""),
    ),
    help_zh="合作项目的资源池：各单位投入项目池，项目池再把产出分给单位。没有项目池可不填此表。",
    help_en="Pools of joint projects: units put value in, the pool gives outputs to units. "
    "Leave empty if there are none.",
)  # fmt: skip
LEDGER = Sheet(
    "ledger",
    "台账",
    "ledger",
    (
        C("date", "日期", "date", "date", True, "流动发生的日期（如 2023-05-20）。",
          "Date of the flow (e.g. 2023-05-20)."),
        C("giver", "给出方", "giver", "ref", True,
          "单元代码、项目池代码或“外部”（联合体以外）。",
          "A unit code, a pool code or “outside” (outside the consortium)."),
        C("receiver", "接收方", "receiver", "ref", True,
          "单元代码、项目池代码或“外部”。项目池不能给项目池。",
          "A unit code, a pool code or “outside”. A pool cannot give to a pool."),
        C("category", "类别", "category", "text", False,
          "资金、设备、场地、师资、实习岗位、技术服务等。",
          "Funds, equipment, space, teachers, internship posts, services …"),
        C("quantity", "数量", "quantity", "nonneg", False, "数量（可空）。",
          "Quantity (optional)."),
        C("measure", "计量单位", "measure", "text", False, "数量的单位，如“人·月”“台”。",
          "Unit of the quantity, e.g. person-months."),
        C("value", "价值（元）", "value (CNY)", "positive", True, "折算的人民币价值，必须大于 0。",
          "Value in CNY; must be greater than 0."),
        C("note", "备注", "note", "text", False, "", ""),
    ),
    required=True,
    help_zh="价值流动台账：每行一笔从给出方到接收方的投入/产出。同一笔既是给出方的投入，也是接收方的产出。",
    help_en="The ledger of value flows: each row is one flow from a giver to a receiver; it is "
    "the giver's input and the receiver's output.",
)  # fmt: skip
EPISODES = Sheet(
    "episodes",
    "合作事件",
    "episodes",
    (
        C("a", "单元A", "unit a", "unit", True, "一方的单元代码。", "Code of one unit."),
        C("b", "单元B", "unit b", "unit", True, "另一方的单元代码。", "Code of the other unit."),
        C("start", "开始", "start", "date", True, "开始日期。", "First day."),
        C("end", "结束", "end", "date", False, "结束日期；仍在进行则留空。",
          "Last day; empty while still running."),
        C("dimension", "维度", "dimension", "text", False,
          "合作内容：人才培养、科研、实习、师资、设备共享等。",
          "What it is about: training, research, internships, teachers, equipment …"),
        C("joint_body", "共建实体", "joint body", "bool", False,
          "是否建立了长期共建实体（产业学院、联合实验室等）：是/否。",
          "Whether it created a lasting joint body (industrial college, joint lab): yes/no."),
        C("source", "来源", "source", "text", False, "依据：项目、合同、协议编号等。",
          "Evidence: project, contract or agreement number."),
    ),
    help_zh="两两单元之间有日期的合作事件，用于判断组织共生模式（点、间歇、连续、一体化）。",
    help_en="Dated cooperation episodes of pairs of units; they give the organisational mode.",
)  # fmt: skip
SERIES = Sheet(
    "series",
    "质参量",
    "series",
    (
        C("unit", "单元", "unit", "unit", True, "单元代码。", "Unit code."),
        C("period", "年份", "year", "year", True, "年份（如 2021）。", "Year (e.g. 2021)."),
        C("value", "质参量", "value", "positive", True,
          "该单元在该期间的主质参量（如营收、在校生数、专利数），必须大于 0。",
          "The unit's main quality parameter in that period (revenue, students, patents …); > 0."),
    ),
    help_zh="可选：各单元逐期的主质参量，用于计算共生度和共生分配系数"
    "（两个单元都至少有 2 期正值时）。",
    help_en="Optional: each unit's quality parameter per period, for the symbiosis degree and "
    "share (where both units have at least 2 positive periods).",
)  # fmt: skip
INDICATOR_DEFS = Sheet(
    "indicator_defs",
    "指标定义",
    "indicator definitions",
    (
        C("indicator", "指标", "indicator", "code", True, "指标名称，与“指标数据”表的列名一致。",
          "Indicator name, as the column header in the indicator data sheet."),
        C("direction", "方向", "direction", "direction", True,
          "正向（越大越好）或负向（越小越好）；也可写 benefit / cost。",
          "benefit (larger is better) or cost (smaller is better); or 正向 / 负向."),
        C("weight", "权重", "weight", "nonneg", False,
          "可选：给定权重（全部填写或全部留空；留空则用熵权法）。",
          "Optional given weight (all or none; empty = entropy weights)."),
        C("subsystem", "子系统", "subsystem", "text", False,
          "可选：所属子系统（如 教育、产业）；有 2 个及以上子系统时计算耦合协调度。",
          "Optional subsystem (e.g. education, industry); with 2 or more the coupling "
          "coordination degree is computed."),
    ),
    help_zh="可选：评价指标的方向、权重和子系统。",
    help_en="Optional: direction, weight and subsystem of each evaluation indicator.",
)  # fmt: skip
INDICATORS = Sheet(
    "indicators",
    "指标数据",
    "indicators",
    (
        C("subject", "对象", "subject", "code", True,
          "被评价对象：单元代码或期间（如 2023）。其余每列一个指标。",
          "What is evaluated: a unit code or a period (e.g. 2023). Each further column is one "
          "indicator."),
    ),
    wide=True,
    help_zh="可选：评价数据，每行一个对象（单元或期间），每列一个指标（列名见“指标定义”）。"
    "用熵权法 + TOPSIS 排序，有子系统时计算耦合协调度。",
    help_en="Optional: evaluation data, one row per subject (unit or period), one column per "
    "indicator. Entropy weights + TOPSIS, and coupling coordination with subsystems.",
)  # fmt: skip
COALITIONS = Sheet(
    "coalitions",
    "联盟价值",
    "coalitions",
    (
        C("members", "联盟", "coalition", "members", True,
          "联盟成员的单元代码，用顿号、逗号或加号分隔（如 S1、E1）。",
          "Unit codes of the coalition, separated by 、 , or + (e.g. S1, E1)."),
        C("value", "价值（元）", "value (CNY)", "number", True, "该联盟单独合作能创造的价值。",
          "The value this coalition creates on its own."),
    ),
    help_zh="可选：联盟价值（特征函数）。给出参与者所有非空子集的价值后，按 Shapley 值分配总价值。",
    help_en="Optional: coalition values (characteristic function). With every non-empty subset of "
    "the players given, the total is allocated by the Shapley value.",
)  # fmt: skip
SETTINGS = Sheet(
    "settings",
    "设置",
    "settings",
    (
        C("setting", "参数", "setting", "text", True, "参数名（见下表）。", "Setting name."),
        C("value", "值", "value", "text", False, "取值；留空用默认值。", "Value; empty = default."),
        C("note", "说明", "note", "text", False, "", ""),
    ),
    help_zh="可选：分析参数；不填的用默认值。",
    help_en="Optional: analysis settings; the defaults apply to anything left out.",
)  # fmt: skip

SHEETS: tuple[Sheet, ...] = (
    UNITS, POOLS, LEDGER, EPISODES, SERIES, INDICATOR_DEFS, INDICATORS, COALITIONS, SETTINGS,
)  # fmt: skip
README_ZH = "说明"
README_EN = "README"


@dataclass(frozen=True)
class Setting:
    """One entry of the settings sheet."""

    key: str
    zh: str
    kind: str  # float, int, date, choice
    default: object
    lo: float | None = None
    hi: float | None = None
    help_zh: str = ""
    help_en: str = ""
    choices: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {fold(self.key), fold(self.zh)}


SETTINGS_LIST: tuple[Setting, ...] = (
    Setting("tolerance", "容差", "float", 0.05, 0.0, 1.0,
            "行为模式的容差：|净收益| ≤ 容差 × 该对单元流量之和 视为 0。",
            "Tolerance of the behavioural modes, relative to the pair's total flow."),
    Setting("year_from", "起始年份", "int", None, 1900, 2100,
            "分析窗口的第一年；留空取台账的最早年份。",
            "First year of the window; empty = the ledger's earliest year."),
    Setting("year_to", "截止年份", "int", None, 1900, 2100,
            "分析窗口的最后一年；留空取最晚年份。", "Last year; empty = the latest year."),
    Setting("joint_body_share", "共建实体覆盖比例", "float", 0.5, 0.0, 1.0,
            "共建实体覆盖窗口的比例达到此值即为一体化共生。",
            "A joint body covering this share of the window makes the pair integrated."),
    Setting("continuous_share", "连续覆盖比例", "float", 0.6, 0.0, 1.0,
            "合作覆盖窗口的比例达到此值（且无长间隔）为连续共生。",
            "Coverage needed for continuous symbiosis."),
    Setting("max_gap_days", "最长间隔天数", "int", 90, 0, None,
            "连续共生允许的最长间隔（天）。", "Longest gap (days) still continuous."),
    Setting("min_dimensions", "一体化最少维度数", "int", 3, 1, None,
            "持续合作且维度数达到此值为一体化共生。",
            "Sustained cooperation in this many dimensions is integrated."),
    Setting("inactive_months", "无联合活动月数", "int", 12, 1, None,
            "成员在窗口结束前这么多月无联合活动即预警（联而不合）。",
            "Months without joint activity before the window end that raise an alert."),
    Setting("cold_ratio", "校热企冷比值", "float", 0.5, 0.0, None,
            "企业投入 / 学校投入低于此值即预警（校热企冷）。",
            "Enterprise inputs / school inputs below this raise an alert."),
    Setting("hhi_max", "集中度上限", "float", 0.25, 0.0, 1.0,
            "单位投入的赫芬达尔指数超过此值即预警。",
            "Herfindahl–Hirschman index of unit inputs above this raises an alert."),
    Setting("top_share_max", "最大投入占比上限", "float", 0.5, 0.0, 1.0,
            "最大单位投入占比超过此值即预警。",
            "Largest unit's share of inputs above this raises an alert."),
)  # fmt: skip
