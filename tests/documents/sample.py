"""A small Chinese document used by the renderer tests."""

from __future__ import annotations

from gongsheng.documents.model import (
    Chart,
    Column,
    Document,
    KeyValues,
    PageBreak,
    Paragraph,
    Section,
    Series,
    Table,
)

ROWS = 90  # enough rows for the table to run over two pages


def sample_document() -> Document:
    rows = [[f"成员单位甲乙{i:03d}", i * 1234.5, i] for i in range(ROWS)]
    return Document(
        title="联合体运行简报测试",
        subtitle="二〇二六年度",
        meta=[("联合体", "滨海市域产教联合体"), ("编制单位", "秘书处")],
        sections=[
            Section(
                "成员构成",
                blocks=[
                    Paragraph("本联合体共有成员单位九十家，其中企业居多。"),
                    Table(
                        columns=[
                            Column("单位名称"),
                            Column("投入（元）", "money"),
                            Column("项目数", "int"),
                        ],
                        rows=rows,
                        caption="表一 成员单位投入明细",
                        total=["合计", sum(r[1] for r in rows), sum(r[2] for r in rows)],
                    ),
                ],
            ),
            Section(
                "共生模式分析",
                blocks=[
                    Chart(
                        "bar",
                        "各类单位投入与产出",
                        ["职业院校", "企业", "园区管委会"],
                        [Series("投入", [3.5, 5.0, -1.0]), Series("产出", [4.0, 2.0, 1.0])],
                        unit="万元",
                        caption="图一 投入与产出",
                    ),
                    PageBreak(),
                ],
            ),
            Section("关键指标", level=2, blocks=[KeyValues([("对称互惠共生单元对", "十二对")])]),
        ],
    )
