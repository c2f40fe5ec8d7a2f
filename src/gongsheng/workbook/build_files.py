"""Build the blank template and the filled example that ship in ``gongsheng/workbook/data/``.

    python -m gongsheng.workbook.build_files

Both files are committed; a test checks that they hold exactly what this script builds (cell
values). The example is a fictional municipal consortium (滨江市智能制造市域产教联合体): 11 units,
2021–2024, three projects with pools, a free rider (E4), a parasitic pair (S2–E3, E3 the
parasite), an integrated symmetric pair (S1–E1, the joint industrial college).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gongsheng.workbook import schema

DATA = Path(__file__).parent / "data"
TEMPLATE = DATA / "template.xlsx"
EXAMPLE = DATA / "example.xlsx"

_REQUIRED = {True: "必填", False: "可选"}


def readme_rows() -> list[list]:
    """The rows of the README sheet (Chinese, with English beside)."""
    rows: list[list] = [
        ["共生诊断分析工作簿（gongsheng analyze）", "", "", "", "Symbiosis diagnosis workbook", ""],
        [],
        ["用法", "", "", "", "How to use", ""],
        ["1. 在各工作表中按列填写数据，第一行为表头（可用中文或英文列名）。", "", "", "",
         "1. Fill the sheets below, one record per row; row 1 is the header "
         "(Chinese or English column names).", ""],
        ["2. 运行 gongsheng analyze 工作簿.xlsx --out 输出目录，或在平台“工作簿分析”页上传。", "",
         "", "", "2. Run gongsheng analyze WORKBOOK.xlsx --out DIR, or upload it on the "
         "platform's Analyze page.", ""],
        ["3. 有错误的单元格会全部列出（工作表、行、列、原因），"
         "改正后重新运行；有错误时不生成报告。",
         "", "", "", "3. Every bad cell is listed (sheet, row, column, reason) and no report is "
         "written until they are fixed.", ""],
        ["4. 输出：report.html（离线可看的中文报告）、report.json 和 report.xlsx（全部数字）。",
         "", "", "", "4. Output: report.html (offline, in Chinese), report.json and report.xlsx "
         "(every number).", ""],
        [],
        ["工作表", "列", "Column", "必填", "说明", "Description"],
    ]  # fmt: skip
    for sheet in schema.SHEETS:
        rows.append(
            [sheet.zh, "", sheet.en, _REQUIRED[sheet.required], sheet.help_zh, sheet.help_en]
        )
        for c in sheet.columns:
            rows.append([sheet.zh, c.zh, c.en, _REQUIRED[c.required], c.help_zh, c.help_en])
        if sheet.wide:
            rows.append([sheet.zh, "（指标名）", "(indicator)", "可选",
                         "每个指标一列，列名与“指标定义”一致，填数值。",
                         "One column per indicator, named as defined; numbers."])  # fmt: skip
    rows += [[], ["设置参数", "参数", "Setting", "默认值", "说明", "Description"]]
    for s in schema.SETTINGS_LIST:
        default = "" if s.default is None else s.default
        rows.append(["设置", s.zh, s.key, default, s.help_zh, s.help_en])
    rows += [
        [],
        ["方法", "", "", "", "Methods", ""],
        ["配对视角：i 对 j 的投入 = 直接给 j 的 + 双方都投入的项目池中，"
         "i 的投入 × j 的投入 ÷ (项目池总投入 − i 的投入)；"
         "产出同理。共生能量 E = 双方产出之和 − 双方投入之和。", "", "", "",
         "Pair view: i's input towards j = direct i→j + for each shared pool i's input × j's "
         "input / (pool inputs − i's input); outputs likewise. Energy E = outputs − inputs of "
         "the pair.", ""],
        ["行为模式由双方净收益的符号判断（容差相对于该对单元的流量），"
         "对称互惠要求相对收益相等。", "", "",
         "", "Behavioural mode from the signs of the net gains (tolerance relative to the "
         "pair's flow); symmetric mutualism needs equal relative gains.", ""],
        ["组织模式由合作事件判断：点、间歇、连续、一体化（共建实体或多维持续合作）。", "", "", "",
         "Organisational mode from the episodes: point, intermittent, continuous, integrated.",
         ""],
    ]  # fmt: skip
    return rows


def _setting_rows(values: Mapping[str, object]) -> list[list]:
    rows = []
    for s in schema.SETTINGS_LIST:
        v = values.get(s.key, s.default)
        rows.append([s.zh, "" if v is None else v, s.help_zh])
    return rows


def _sheet_rows(data: dict[str, list[list]] | None) -> dict[str, list[list]]:
    out: dict[str, list[list]] = {}
    for sheet in schema.SHEETS:
        header = [c.zh for c in sheet.columns]
        body = (data or {}).get(sheet.key, [])
        if sheet.wide and body:
            header, body = header + body[0], body[1:]
        if sheet.key == "settings" and data is None:
            body = _setting_rows({})
        out[sheet.zh] = [header, *body]
    return out


def _write(path: Path, sheets: dict[str, list[list]]) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = schema.README_ZH
    for row in readme_rows():
        ws.append(row)
    for letter, width in zip("ABCDEF", (22, 16, 16, 8, 60, 60)):
        ws.column_dimensions[letter].width = width
    ws["A1"].font = ws["E1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows():
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    head = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="2F6F5E")
    lists = {
        "group": '"' + ",".join(zh for zh, _ in schema.GROUPS.values()) + '"',
        "bool": '"是,否"',
        "direction": '"正向,负向"',
    }
    for spec in schema.SHEETS:
        rows = sheets[spec.zh]
        ws = wb.create_sheet(spec.zh)
        for row in rows:
            ws.append(row)
        for c in ws[1]:
            c.font, c.fill = head, fill
        ws.freeze_panes = "A2"
        for i, c in enumerate(rows[0], start=1):
            letter = ws.cell(row=1, column=i).column_letter
            ws.column_dimensions[letter].width = max(12, min(40, 2 * len(str(c)) + 4))
        for i, col in enumerate(spec.columns, start=1):
            letter = ws.cell(row=1, column=i).column_letter
            if col.kind in lists:
                dv = DataValidation(type="list", formula1=lists[col.kind], allow_blank=True)
                dv.add(f"{letter}2:{letter}2000")
                ws.add_data_validation(dv)
            if col.kind == "date":
                for r in range(2, ws.max_row + 1):
                    ws.cell(row=r, column=i).number_format = "yyyy-mm-dd"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.creator = "gongsheng"
    wb.properties.created = wb.properties.modified = dt.datetime(2024, 1, 1)
    wb.save(path)
    return path


def build_template(path: Path = TEMPLATE) -> Path:
    """Write the blank template (README sheet, headers, default settings) to ``path``."""
    return _write(Path(path), _sheet_rows(None))


# --------------------------------------------------------------------------------------
# the example consortium
# --------------------------------------------------------------------------------------
UNITS = [
    ["G1", "滨江市教育局", "政府", "否"],
    ["G2", "滨江高新技术产业开发区管委会", "政府", "否"],
    ["S1", "滨江职业技术学院", "学校", "是"],
    ["S2", "滨江市第一中等职业学校", "学校", "否"],
    ["S3", "滨江技师学院", "学校", "否"],
    ["E1", "滨江智能装备股份有限公司", "企业", "否"],
    ["E2", "江岳新能源汽车有限公司", "企业", "否"],
    ["E3", "滨江速达物流科技有限公司", "企业", "否"],
    ["E4", "华屿电子信息有限公司", "企业", "否"],
    ["R1", "滨江市工业技术研究院", "科研", "否"],
    ["O1", "滨江市智能制造行业协会", "其他", "否"],
]
POOLS = [
    ["P1", "智能制造产业学院", "S1、E1 共建，园区提供场地"],
    ["P2", "新能源汽车公共实训基地", "S3、E2 共建，教育局补助"],
    ["P3", "工业机器人关键技术攻关", "R1、E1、S1 联合攻关"],
]
YEARS = (2021, 2022, 2023, 2024)
# (month, day, giver, receiver, category, quantity, measure, value in 2021 (CNY), note)
_FLOWS = [
    (1, 15, "外部", "G1", "资金", None, "", 3_000_000, "省级产教融合专项资金"),
    (3, 10, "G2", "P1", "场地", 2000, "平方米", 600_000, "产业学院实训场地（折价）"),
    (3, 20, "S1", "P1", "师资", 48, "人·月", 600_000, "专业教师驻院"),
    (3, 25, "E1", "P1", "设备", 12, "台套", 1_300_000, "智能产线设备投入"),
    (9, 20, "S1", "P1", "师资", 48, "人·月", 600_000, "专业教师驻院"),
    (12, 20, "P1", "S1", "培养成果", 160, "人", 1_730_000, "订单班培养收益与社会服务收入"),
    (12, 22, "P1", "E1", "人才", 120, "人", 1_800_000, "订单班毕业生入职，节约招聘培训成本"),
    (12, 24, "P1", "G2", "税收贡献", None, "", 700_000, "园区人才留存与税收贡献"),
    (4, 8, "G1", "P2", "资金", None, "", 800_000, "实训基地建设补助"),
    (4, 12, "S3", "P2", "师资", 60, "人·月", 900_000, "实训指导教师"),
    (4, 15, "E2", "P2", "设备", 20, "台", 1_000_000, "新能源整车与电池实训设备"),
    (12, 18, "P2", "S3", "培养成果", 200, "人", 1_150_000, "实训培养收益"),
    (12, 18, "P2", "E2", "人才", 90, "人", 1_300_000, "技能人才供给"),
    (12, 19, "P2", "G1", "社会效益", None, "", 900_000, "职业技能等级证书与就业"),
    (12, 21, "P2", "E4", "人才", 30, "人", 400_000, "招用实训基地学员（未投入）"),
    (5, 10, "R1", "P3", "技术", 6, "项", 500_000, "研发人员与专利许可"),
    (5, 12, "E1", "P3", "资金", None, "", 700_000, "研发经费"),
    (5, 15, "S1", "P3", "师资", 12, "人·月", 300_000, "教师参与研发"),
    (11, 28, "P3", "E1", "技术成果", 2, "项", 1_000_000, "成果转化收益"),
    (11, 28, "P3", "R1", "技术成果", None, "", 650_000, "技术服务收入"),
    (11, 28, "P3", "S1", "教学资源", 4, "门课", 350_000, "教学案例与课程"),
    (7, 1, "S2", "E3", "实习", 150, "人·月", 900_000, "学生顶岗实习劳动（按市场工资折价）"),
    (8, 30, "E3", "S2", "资金", None, "", 120_000, "实习补贴"),
    (6, 5, "E2", "S3", "资金", 50, "人", 250_000, "订单班奖学金"),
    (7, 10, "S3", "E2", "人才", 40, "人", 300_000, "毕业生输送（节约招聘成本）"),
    (10, 9, "S1", "E2", "培训", 300, "人·日", 200_000, "员工技能培训"),
    (10, 16, "E2", "S1", "设备", 3, "台", 220_000, "捐赠教学设备"),
    (3, 2, "R1", "S1", "师资", 20, "课时", 150_000, "专家授课"),
    (9, 2, "S1", "R1", "场地", None, "", 160_000, "实验室开放共享"),
    (6, 30, "S1", "外部", "人才", 900, "人", 2_000_000, "毕业生到联合体外就业"),
]


def example_ledger() -> list[list]:
    """Ledger rows of the example: the yearly pattern above, growing 8 % a year."""
    rows = []
    for y in YEARS:
        g = 1 + 0.08 * (y - 2021)
        for m, d, giver, receiver, cat, qty, measure, value, note in _FLOWS:
            v = round(value * g / 100) * 100
            q = None if qty is None else round(qty * g)
            rows.append([dt.date(y, m, d), giver, receiver, cat, q, measure, v, note])
        if y == 2021:
            rows.append([dt.date(y, 4, 18), "O1", "S1", "服务", 2, "场", 30_000, "行业标准宣讲"])
            rows.append([dt.date(y, 5, 18), "S1", "O1", "会费", None, "", 30_000, "协会会费"])
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return rows


EPISODES = [
    ["S1", "E1", dt.date(2021, 3, 1), None, "人才培养", "是", "产业学院共建协议 BJ-2021-01"],
    ["S1", "E1", dt.date(2021, 5, 1), dt.date(2024, 6, 30), "科研", "否", "项目 P3"],
    ["S1", "E1", dt.date(2022, 1, 1), dt.date(2024, 12, 31), "师资", "否", "双师互聘协议"],
    ["S1", "G2", dt.date(2021, 3, 1), None, "场地", "否", "产业学院场地协议"],
    ["E1", "G2", dt.date(2021, 3, 1), None, "场地", "否", "产业学院场地协议"],
    ["S3", "E2", dt.date(2021, 4, 1), dt.date(2022, 12, 31), "实训", "否", "实训基地一期"],
    ["S3", "E2", dt.date(2023, 1, 15), dt.date(2024, 12, 31), "实训", "否", "实训基地二期"],
    ["S3", "G1", dt.date(2021, 4, 1), dt.date(2024, 12, 31), "资金", "否", "基地补助文件"],
    ["E2", "G1", dt.date(2021, 4, 1), dt.date(2024, 12, 31), "资金", "否", "基地补助文件"],
    ["S2", "E3", dt.date(2021, 7, 1), dt.date(2021, 8, 31), "实习", "否", "暑期实习协议 2021"],
    ["S2", "E3", dt.date(2022, 7, 1), dt.date(2022, 8, 31), "实习", "否", "暑期实习协议 2022"],
    ["S2", "E3", dt.date(2023, 7, 1), dt.date(2023, 8, 31), "实习", "否", "暑期实习协议 2023"],
    ["S2", "E3", dt.date(2024, 7, 1), dt.date(2024, 8, 31), "实习", "否", "暑期实习协议 2024"],
    ["R1", "E1", dt.date(2021, 5, 1), dt.date(2024, 6, 30), "科研", "否", "项目 P3"],
    ["R1", "S1", dt.date(2021, 3, 1), dt.date(2021, 6, 30), "师资", "否", "专家授课协议"],
    ["S1", "E2", dt.date(2021, 10, 1), dt.date(2021, 12, 31), "培训", "否", "员工培训合同"],
    ["E4", "S3", dt.date(2021, 3, 1), dt.date(2021, 6, 30), "实习", "否", "参观见习"],
    ["O1", "S1", dt.date(2021, 4, 1), dt.date(2021, 5, 31), "标准", "否", "行业标准宣讲"],
]
SERIES = {  # quality parameters: schools students, enterprises revenue (万元), R1 patents
    "S1": [8200, 8900, 9700, 10600],
    "S3": [4100, 4400, 4650, 4900],
    "E1": [52000, 58500, 66000, 74500],
    "E2": [38000, 41000, 45500, 50000],
    "R1": [35, 42, 51, 60],
}
INDICATOR_DEFS = [
    ["在校生规模", "正向", None, "教育"],
    ["双师型教师比例", "正向", None, "教育"],
    ["生师比", "负向", None, "教育"],
    ["合作企业数", "正向", None, "产业"],
    ["企业投入（万元）", "正向", None, "产业"],
    ["技术服务收入（万元）", "正向", None, "产业"],
]
INDICATORS: list[list[Any]] = [
    ["在校生规模", "双师型教师比例", "生师比", "合作企业数", "企业投入（万元）",
     "技术服务收入（万元）"],
    ["2021", 20300, 0.52, 19.5, 18, 337, 65],
    ["2022", 21900, 0.58, 18.8, 23, 364, 78],
    ["2023", 23500, 0.63, 18.1, 27, 391, 97],
    ["2024", 25100, 0.66, 17.6, 30, 418, 118],
]  # fmt: skip
COALITIONS = [
    ["S1", 300_000],
    ["E1", 900_000],
    ["R1", 400_000],
    ["S1、E1", 1_500_000],
    ["S1、R1", 800_000],
    ["E1、R1", 1_600_000],
    ["S1、E1、R1", 2_000_000],
]
SETTINGS = {
    "tolerance": 0.05,
    "year_from": 2021,
    "year_to": 2024,
}


def example_sheets() -> dict[str, list[list]]:
    """The example's rows per sheet key (header rows added by :func:`_sheet_rows`)."""
    return {
        "units": UNITS,
        "pools": POOLS,
        "ledger": example_ledger(),
        "episodes": EPISODES,
        "series": [[u, y, v] for u, vs in SERIES.items() for y, v in zip(YEARS, vs)],
        "indicator_defs": INDICATOR_DEFS,
        "indicators": INDICATORS,
        "coalitions": COALITIONS,
        "settings": _setting_rows(SETTINGS),
    }


def build_example(path: Path = EXAMPLE) -> Path:
    """Write the filled example workbook to ``path``."""
    return _write(Path(path), _sheet_rows(example_sheets()))


def main() -> None:  # pragma: no cover - a script
    for p in (build_template(), build_example()):
        print(p)


if __name__ == "__main__":  # pragma: no cover
    main()
