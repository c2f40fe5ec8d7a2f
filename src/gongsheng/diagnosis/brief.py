"""The consortium operations brief (联合体运行简报): the first report of the documents pipeline.

Built from the same selectors as the pages (the overview, projects, the ledger summaries'
chart by unit type, the diagnosis' mode counts, the alerts), as the requesting user sees
them; the secretariat and supervisors may ask for it (``brief_permits``). Registered with
:mod:`gongsheng.documents.registry` in ``DiagnosisConfig.ready()``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongsheng.access.scope import can
from gongsheng.consortia.choices import UnitType
from gongsheng.consortia.selectors import consortium_overview
from gongsheng.cooperation.choices import ProjectStatus
from gongsheng.cooperation.selectors import alert_list, project_list
from gongsheng.diagnosis.charts import MODES, ORGANISATION_MODES, mode_label, organisation_label
from gongsheng.diagnosis.selectors import consortium_diagnosis
from gongsheng.documents.model import (
    Chart,
    Column,
    Document,
    KeyValues,
    Paragraph,
    Section,
    Series,
    Table,
)
from gongsheng.documents.registry import Report
from gongsheng.ledger.selectors import summary_by_unit_type

NAME = "consortium-brief"
TOP_ALERTS = 10


def brief_permits(user: Any, consortium: int) -> bool:
    """The secretariat and the supervisors of the consortium (and platform admins)."""
    from gongsheng.consortia.models import Consortium

    return can(user, "report", Consortium, consortium_id=consortium)


def _wan(value: Decimal | float) -> float:
    return float(value) / 10000


def _members(ov: Any) -> Section:
    rows = [[label, n] for _code, label, n in ov.members_by_type if n]
    blocks: list[Any] = [
        Paragraph(
            _(
                "The consortium has %(admitted)d admitted member units; "
                "%(pending)d applications are pending."
            )
            % {"admitted": ov.admitted, "pending": ov.pending}
        ),
        Table(
            columns=[Column(_("Unit type")), Column(_("Member units"), "int")],
            rows=rows,
            caption=_("Member units by type"),
            total=[_("Total"), sum(r[1] for r in rows)],
        ),
    ]
    if rows:
        blocks.append(
            Chart("pie", _("Member units by type"), [r[0] for r in rows],
                  [Series(_("Member units"), [r[1] for r in rows])])
        )  # fmt: skip
    ranks = [[label, n] for _code, label, n in ov.members_by_rank if n]
    if ranks:
        blocks.append(
            Table(columns=[Column(_("Rank")), Column(_("Member units"), "int")], rows=ranks,
                  caption=_("Member units by rank"))
        )  # fmt: skip
    return Section(_("Member units"), blocks=blocks)


def _projects(user: Any, consortium_id: int) -> tuple[Section, int]:
    counts = dict(
        project_list(user=user, consortium_id=consortium_id)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    rows = [[str(s.label), counts.get(s.value, 0)] for s in ProjectStatus if counts.get(s.value)]
    total = sum(counts.values())
    blocks: list[Any] = [
        Table(
            columns=[Column(_("State")), Column(_("Projects"), "int")],
            rows=rows,
            caption=_("Cooperation projects by state"),
            total=[_("Total"), total],
        )
    ]
    if rows:
        blocks.append(
            Chart("barh", _("Cooperation projects by state"), [r[0] for r in rows],
                  [Series(_("Projects"), [r[1] for r in rows])])
        )  # fmt: skip
    return Section(_("Cooperation projects"), blocks=blocks), total


def _ledger(user: Any, consortium_id: int) -> tuple[Section, Decimal, Decimal]:
    labels = dict(UnitType.choices)
    by_type: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    years = set()
    for r in summary_by_unit_type(user=user, consortium_id=consortium_id):
        by_type[r.unit_type][0] += r.inputs or 0  # None: a suppressed small group
        by_type[r.unit_type][1] += r.outputs or 0
        years.add(r.year)
    order = [t.value for t in UnitType if t.value in by_type] + sorted(
        t for t in by_type if t not in labels
    )
    names = [str(labels.get(t, t or _("unknown"))) for t in order]
    rows = [[n, _wan(by_type[t][0]), _wan(by_type[t][1])] for n, t in zip(names, order)]
    inputs = sum((v[0] for v in by_type.values()), Decimal(0))
    outputs = sum((v[1] for v in by_type.values()), Decimal(0))
    span = f"{min(years)}–{max(years)}" if years else "—"
    blocks: list[Any] = [
        Paragraph(
            _(
                "Quality parameters recorded in the ledger, %(years)s, in 10,000 CNY: "
                "what each type of unit put in and got out."
            )
            % {"years": span}
        ),
        Table(
            columns=[Column(_("Unit type")), Column(_("Inputs (10,000 CNY)"), "decimal"),
                     Column(_("Outputs (10,000 CNY)"), "decimal")],
            rows=rows,
            caption=_("Ledger inputs and outputs by unit type"),
            total=[_("Total"), _wan(inputs), _wan(outputs)],
        ),
    ]  # fmt: skip
    if rows:
        blocks.append(
            Chart("bar", _("Ledger inputs and outputs by unit type"), names,
                  [Series(_("Inputs"), [r[1] for r in rows]),
                   Series(_("Outputs"), [r[2] for r in rows])],
                  unit=_("10,000 CNY"))
        )  # fmt: skip
    return Section(_("Ledger inputs and outputs"), blocks=blocks), inputs, outputs


def _diagnosis(user: Any, consortium_id: int) -> tuple[Section, Any]:
    d = consortium_diagnosis(user=user, consortium_id=consortium_id)
    rows = [[mode_label(m), d.behaviour_counts.get(m, 0)] for m in MODES]
    org = [[organisation_label(m), d.organisation_counts.get(m, 0)] for m in ORGANISATION_MODES]
    window = f"{d.years[0]}–{d.years[1]}" if d.years else "—"
    blocks: list[Any] = [
        KeyValues([
            (_("Window"), window),
            (_("Unit pairs"), f"{d.pair_count:,}"),
            (_("Symbiotic energy (10,000 CNY)"), f"{_wan(d.energy):,.2f}"),
            (_("Share of target modes"),
             "—" if d.target_share is None else f"{d.target_share * 100:.1f}%"),
        ]),
        Table(columns=[Column(_("Behavioural mode")), Column(_("Unit pairs"), "int")], rows=rows,
              caption=_("Unit pairs by behavioural mode")),
    ]  # fmt: skip
    if any(r[1] for r in rows):
        blocks.append(
            Chart("bar", _("Unit pairs by behavioural mode"), [r[0] for r in rows],
                  [Series(_("Unit pairs"), [r[1] for r in rows])])
        )  # fmt: skip
    blocks.append(
        Table(columns=[Column(_("Organisational mode")), Column(_("Unit pairs"), "int")],
              rows=org, caption=_("Unit pairs by organisational mode"))
    )  # fmt: skip
    return Section(_("Symbiosis diagnosis"), blocks=blocks), d


def _alerts(user: Any, consortium_id: int) -> tuple[Section, int]:
    qs = alert_list(user=user, consortium_id=consortium_id)
    total = qs.count()
    rows = [
        [
            timezone.localtime(a.raised_at).date(),
            a.get_severity_display(),
            a.title,
            a.unit.name if a.unit_id else "—",
        ]
        for a in qs[:TOP_ALERTS]
    ]
    blocks: list[Any] = [
        Paragraph(
            _("%(total)d open alerts; the %(shown)d most recent:")
            % {"total": total, "shown": len(rows)}
        )
    ]
    if rows:
        blocks.append(
            Table(columns=[Column(_("Raised")), Column(_("Severity")), Column(_("Alert")),
                           Column(_("Unit"))], rows=rows, caption=_("Open alerts"))
        )  # fmt: skip
    return Section(_("Alerts"), blocks=blocks), total


def build_brief(user: Any, *, consortium: int) -> Document:
    """The brief of one consortium as ``user`` sees it (``NotFound`` when it is not theirs)."""
    ov = consortium_overview(user=user, consortium_id=consortium)
    members = _members(ov)
    projects, project_total = _projects(user, consortium)
    ledger, inputs, outputs = _ledger(user, consortium)
    diagnosis, d = _diagnosis(user, consortium)
    alerts, alert_total = _alerts(user, consortium)
    summary = Section(
        _("Summary"),
        blocks=[
            KeyValues([
                (_("Admitted member units"), f"{ov.admitted:,}"),
                (_("Cooperation projects"), f"{project_total:,}"),
                (_("Ledger inputs (10,000 CNY)"), f"{_wan(inputs):,.2f}"),
                (_("Ledger outputs (10,000 CNY)"), f"{_wan(outputs):,.2f}"),
                (_("Unit pairs diagnosed"), f"{d.pair_count:,}"),
                (_("Open alerts"), f"{alert_total:,}"),
            ])
        ],
    )  # fmt: skip
    now = timezone.localtime()
    return Document(
        title=_("%(name)s operations brief") % {"name": ov.consortium.name},
        subtitle=_("Consortium operations brief"),
        meta=[
            (_("Consortium"), ov.consortium.name),
            (_("Generated"), now.strftime("%Y-%m-%d %H:%M")),
            (_("Generated by"), getattr(user, "username", "")),
        ],
        sections=[summary, members, projects, ledger, diagnosis, alerts],
        language=translation.get_language() or "zh-hans",
    )


REPORT = Report(
    name=NAME,
    title=gettext_lazy("Consortium operations brief"),
    build=build_brief,
    permits=brief_permits,
    params=("consortium",),
)
