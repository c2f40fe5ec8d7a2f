"""Write a report dict (:func:`gongsheng.workbook.analysis.analyse`) as the three output files.

* ``report.html``: self-contained and offline, in Chinese; the vendored ECharts is inlined
  into the page (no network), the numbers are embedded as JSON;
* ``report.json``: the dict itself;
* ``report.xlsx``: one sheet per table, every number.

All three are built in memory first, so a failure writes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from gongsheng.workbook.analysis.labels import (
    ALERT_ZH,
    BEHAVIOUR_ZH,
    GROUP_ZH,
    ORGANISATION_ZH,
)

DATA = Path(__file__).parent / "data"
ECHARTS = Path(__file__).resolve().parents[1] / "web" / "static" / "vendor" / "echarts"
FILES = ("report.html", "report.json", "report.xlsx")
#: pairs shown in the HTML table and graph (all of them are in the JSON and Excel files)
MAX_HTML_PAIRS = 300
#: where the rendered page's own Content-Security-Policy goes (it names its scripts' hashes)
_CSP_MARK = "__gongsheng_report_csp__"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


@cache
def echarts_source() -> str:
    """The vendored ECharts (empty if it is not installed: the report then has no charts)."""
    path = ECHARTS / "echarts.min.js"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _money(x: Any) -> str:
    return "—" if x is None else f"{x:,.0f}"


def _num(x: Any, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _pct(x: Any) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def shown_pairs(report: dict[str, Any], limit: int = MAX_HTML_PAIRS) -> list[dict[str, Any]]:
    """The pairs the HTML shows: all of them, or the ``limit`` largest by flow plus up to
    ``limit`` more parasitic and target-state pairs, largest first."""
    pairs = report["pairs"]
    if len(pairs) <= limit:
        return pairs
    ranked = sorted(pairs, key=lambda p: -(p["flow"] or 0.0))
    keep = ranked[:limit]
    chosen = {id(p) for p in keep}
    keep += [
        p
        for p in ranked[limit:]
        if (p["behaviour"] == "parasitism" or p["target"]) and id(p) not in chosen
    ][:limit]
    return keep


def _chart_data(report: dict[str, Any], pairs: list[dict[str, Any]]) -> dict[str, Any]:
    """Only what the charts draw (the full numbers are in report.json)."""
    unit_keys = ("code", "name", "group", "net", "inputs", "outputs")
    pair_keys = ("a", "b", "a_name", "b_name", "behaviour", "behaviour_zh", "organisation_zh",
                 "flow", "energy")  # fmt: skip
    c = report["consortium"]
    return {
        "units": [{k: u[k] for k in unit_keys} for u in report["units"]],
        "pairs": [{k: p[k] for k in pair_keys} for p in pairs],
        "consortium": {
            k: c[k]
            for k in (
                "groups",
                "behaviour_counts",
                "organisation_counts",
                "energy_by_group",
                "flow_matrix",
            )
        },
        "trends": [
            {"year": t["year"], "energy": t["energy"], "behaviour_counts": t["behaviour_counts"]}
            for t in report["trends"]
        ],
    }


def render_html(report: dict[str, Any], *, charts: bool = True) -> str:
    """The HTML report (Chinese) as a string."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(DATA)),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=_money, num=_num, pct=_pct)
    echarts = echarts_source() if charts else ""
    pairs = shown_pairs(report)
    html = env.get_template("report.html.j2").render(
        csp=_CSP_MARK,
        r=report,
        pairs=pairs,
        group_zh=GROUP_ZH,
        behaviour_zh=BEHAVIOUR_ZH,
        organisation_zh=ORGANISATION_ZH,
        alert_zh=ALERT_ZH,
        data_json=_script_json(_chart_data(report, pairs)),
        labels_json=_script_json(
            {"group": GROUP_ZH, "behaviour": BEHAVIOUR_ZH, "organisation": ORGANISATION_ZH}
        ),
        echarts=echarts.replace("</script", "<\\/script"),
    )
    return html.replace(_CSP_MARK, _csp(html), 1)


def _csp(html: str) -> str:
    """The report's own policy: only its own inline scripts run (by their SHA-256), no
    request leaves the file, so a name that escaped the escaping still runs nothing."""
    digests = [
        base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
        for body in _INLINE_SCRIPT.findall(html)
    ]
    scripts = " ".join(f"'sha256-{d}'" for d in digests) or "'none'"
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


#: the reasons' codes and parameters: in report.json; the sheets show their text
_CODES = ("reason_code", "degree_note_code")


def _tables(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    c = report["consortium"]
    summary = [
        {"item": k, "value": v}
        for k, v in (
            ("source", report["meta"]["source"]),
            ("generated", report["meta"]["generated"]),
            ("first_year", (report["window"]["years"] or [None, None])[0]),
            ("last_year", (report["window"]["years"] or [None, None])[1]),
            ("units", len(report["units"])),
            ("pairs", c["pairs"]),
            ("energy", c["energy"]),
            ("inputs", c["inputs"]),
            ("outputs", c["outputs"]),
            ("target_count", c["target_count"]),
            ("target_share", c["target_share"]),
            ("hhi", c["concentration"]["hhi"]),
            ("top_share", c["concentration"]["top_share"]),
            ("top_unit", c["concentration"]["top_unit"]),
            *((f"behaviour_{k}", v) for k, v in c["behaviour_counts"].items()),
            *((f"organisation_{k}", v) for k, v in c["organisation_counts"].items()),
            *((f"energy_{k}", v) for k, v in c["energy_by_group"].items()),
            *((f"inputs_{k}", v) for k, v in c["inputs_by_group"].items()),
            *((f"outputs_{k}", v) for k, v in c["outputs_by_group"].items()),
        )
    ]
    pairs = []
    for p in report["pairs"]:
        row = {k: v for k, v in p.items() if k != "organisation_stats" and k not in _CODES}
        for k, v in (p["organisation_stats"] or {}).items():
            if k in _CODES:
                continue
            row[f"org_{k}"] = "、".join(v) if isinstance(v, list) else v
        pairs.append(row)
    groups = c["groups"]
    matrix = [
        {"from_group": g, **{h: c["flow_matrix"][i][j] for j, h in enumerate(groups)}}
        for i, g in enumerate(groups)
    ]
    trends = []
    for t in report["trends"]:
        row = {k: v for k, v in t.items() if not isinstance(v, dict)}
        for key in ("behaviour_counts", "inputs_by_group", "outputs_by_group"):
            row.update({f"{key}_{k}": v for k, v in t[key].items()})
        trends.append(row)
    alerts = [
        {
            **{k: v for k, v in a.items() if k not in _CODES},
            "units": "、".join(a["units"]),
            "unit_names": "、".join(a["unit_names"]),
        }
        for a in report["alerts"]
    ]
    out = {
        "summary": summary,
        "units": report["units"],
        "pairs": pairs,
        "alerts": alerts,
        "trends": trends,
        "flow_matrix": matrix,
        "settings": [{"setting": k, "value": v} for k, v in report["settings"].items()],
    }
    ev = report.get("evaluation")
    if ev and "subjects" in ev:
        out["weights"] = ev["indicators"]
        out["topsis"] = ev["subjects"]
        if ev.get("coupling"):
            subs = ev["coupling"]["subsystems"]
            out["coupling"] = [
                {
                    "subject": r["subject"],
                    **{f"U_{s}": u for s, u in zip(subs, r["U"], strict=True)},
                    **{k: r[k] for k in ("C", "T", "D", "level", "level_code", "stage")},
                }
                for r in ev["coupling"]["rows"]
            ]
    al = report.get("allocation")
    if al:
        out["shapley"] = al["players"]
        out["shapley_summary"] = [
            {"item": k, "value": al[k]}
            for k in ("grand_value", "surplus", "in_core", "individually_rational", "max_excess")
        ]
    return out


def render_xlsx(report: dict[str, Any]) -> bytes:
    """Every table of the report as an Excel workbook."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, rows in _tables(report).items():
        ws = wb.create_sheet(name)
        ws.freeze_panes = "A2"
        keys = list(dict.fromkeys(k for r in rows for k in r))
        header = []
        for k in keys:
            cell = WriteOnlyCell(ws, value=k)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for r in rows:
            ws.append([_cell(r.get(k)) for k in keys])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v: Any) -> Any:
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    return v


def render_json(report: dict[str, Any]) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8")


def render_all(report: dict[str, Any]) -> dict[str, bytes]:
    """The three files' contents, by file name."""
    return {
        "report.html": render_html(report).encode("utf-8"),
        "report.json": render_json(report),
        "report.xlsx": render_xlsx(report),
    }


def write_report(report: dict[str, Any], out: str | Path) -> list[Path]:
    """Write the three files into the directory ``out`` (created if needed)."""
    files = render_all(report)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = out / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def zip_report(files: dict[str, bytes]) -> bytes:
    """The three files in one zip archive."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()
