"""The consortium operations brief: who may ask for it, what is in it (and what is not), how
long it takes, and the pages and API that offer it."""

from __future__ import annotations

import io
import shutil
import subprocess
import time

import docx
import pytest
from django.utils import translation

from gongsheng.access.models import RoleAssignment
from gongsheng.core.errors import NotFound, ValidationFailed
from gongsheng.diagnosis.brief import NAME, build_brief
from gongsheng.documents import selectors, services
from gongsheng.documents.models import RenderedDocument
from tests.diagnosis.diag_data import build as build_flows

pytestmark = pytest.mark.django_db

ALLOWED = ["admin", "secretariat", "supervisor"]
REFUSED = ["observer", "unit_admin", "unit_member", "school_admin", "other_consortium", "nobody"]


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_cannot_have_the_brief(world, role):
    user = world.users[role]
    assert selectors.reports_for(user, consortium=world.a.pk) == []
    with pytest.raises(NotFound):
        services.report_render(actor=user, name=NAME, params={"consortium": world.a.pk})
    assert not RenderedDocument.objects.exists()


def test_a_supervisor_of_a_cannot_have_b_nor_a_missing_consortium(world):
    user = world.users["supervisor"]
    for consortium in (world.b.pk, 999999):
        with pytest.raises(NotFound):
            services.report_render(actor=user, name=NAME, params={"consortium": consortium})


@pytest.mark.parametrize(
    "params", [{}, {"consortium": "a"}, {"consortium": "-1"}, {"consortium": None}]
)
def test_bad_parameters_are_named(world, params):
    with pytest.raises(ValidationFailed) as exc:
        services.report_render(actor=world.users["secretariat"], name=NAME, params=params)
    assert [e.field for e in exc.value.errors] == ["consortium"]


def test_an_unknown_report_is_not_found(world):
    with pytest.raises(NotFound):
        services.report_render(
            actor=world.users["admin"], name="no-such-report", params={"consortium": world.a.pk}
        )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("role", ALLOWED)
def test_the_brief_in_pdf_and_word_as_each_role_sees_it(world, role, tmp_path, capsys):
    build_flows(world)
    user = world.users[role]
    assert [r.name for r in selectors.reports_for(user, consortium=world.a.pk)] == [NAME]
    with translation.override("zh-hans"):
        started = time.perf_counter()
        row = services.report_render(actor=user, name=NAME, params={"consortium": world.a.pk})
        elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(
            f"\n[documents] consortium brief as {role}: {elapsed:.2f} s (render {row.render_ms} ms)"
        )
    assert elapsed < 60
    assert row.consortium_id == world.a.pk and row.params == {"consortium": world.a.pk}
    text = pdf_text(row.pdf.read(), tmp_path)
    for phrase in (
        "Consortium A运行简报",
        "联合体运行简报",
        "目录",
        "成员单位类型分布",
        "企业",  # a unit type label
        "台账投入与产出按单位类型",
        "单元对按行为共生模式",
        "未处理预警",
        "Alert about ent",
    ):
        assert phrase in text, phrase
    assert "Alert about x" not in text  # consortium B's alert
    assert "Consortium B" not in text
    d = docx.Document(io.BytesIO(row.docx.read()))
    paragraphs = [p.text for p in d.paragraphs]
    assert "Consortium A运行简报" in paragraphs and "台账投入与产出" in paragraphs
    assert len(d.inline_shapes) >= 3  # members, ledger and modes charts
    cells = {c.text for t in d.tables for r in t.rows for c in r.cells}
    assert "Alert about ent" in cells and "Alert about x" not in cells


def test_the_brief_reads_through_the_users_scope(world):
    """Built for a unit's user (whom the registry refuses), the same builder would hold only
    what that user sees: the scope is the selectors', not a filter added afterwards."""
    with translation.override("en"):
        doc = build_brief(world.users["unit_admin"], consortium=world.a.pk)
    alerts = next(s for s in doc.sections if s.heading == "Alerts")
    table = next(b for b in alerts.blocks if getattr(b, "block", "") == "table")
    assert [row[2] for row in table.rows] == ["Alert about ent"]


def test_downloads_end_when_the_role_is_revoked(world):
    user = world.users["supervisor"]
    row = services.report_render(
        actor=user, name=NAME, params={"consortium": world.a.pk}, formats=["pdf"]
    )
    assert selectors.document_file(user=user, document_id=row.pk, fmt="pdf")[0] == row
    RoleAssignment.objects.filter(user=user).delete()
    from gongsheng.access.models import User

    fresh = User.objects.get(pk=user.pk)
    with pytest.raises(NotFound):
        selectors.document_file(user=fresh, document_id=row.pk, fmt="pdf")
