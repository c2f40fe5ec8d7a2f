"""Rendering into stored files: the audit entry, the author-only access, the clear errors."""

from __future__ import annotations

import pytest

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core.errors import NotFound, ValidationFailed
from gongsheng.documents import selectors, services
from gongsheng.documents.model import Document, Paragraph, Section
from gongsheng.documents.models import RenderedDocument

pytestmark = pytest.mark.django_db


def small() -> Document:
    return Document(title="小报告", sections=[Section("第一节", blocks=[Paragraph("正文内容")])])


def test_render_stores_both_files_and_writes_one_audit_entry(world):
    user = world.users["secretariat"]
    row = services.document_render(actor=user, document=small(), consortium_id=world.a.pk)
    row.refresh_from_db()
    assert row.formats == ["pdf", "docx"]
    assert row.pdf.read(5) == b"%PDF-"
    row.docx.open("rb")
    assert row.docx.read(2) == b"PK"
    assert row.created_by == user and row.title == "小报告" and row.render_ms > 0
    entries = AuditEntry.objects.filter(event_type=EventType.DOCUMENT_RENDERED)
    assert [(e.actor_id, e.object_id, e.consortium_id, e.action) for e in entries] == [
        (user.pk, row.pk, world.a.pk, "export")
    ]


def test_only_the_author_sees_and_downloads_a_document(world):
    author, other = world.users["secretariat"], world.users["supervisor"]
    row = services.document_render(actor=author, document=small(), formats=["pdf"])
    assert list(selectors.document_list(user=author)) == [row]
    assert list(selectors.document_list(user=other)) == []
    with pytest.raises(NotFound):
        selectors.document_get(user=other, document_id=row.pk)
    with pytest.raises(NotFound):
        selectors.document_file(user=other, document_id=row.pk, fmt="pdf")
    with pytest.raises(NotFound):  # not rendered in this format
        selectors.document_file(user=author, document_id=row.pk, fmt="docx")
    with pytest.raises(NotFound):
        selectors.document_file(user=author, document_id=row.pk, fmt="exe")
    # platform admins see everything
    assert list(selectors.document_list(user=world.users["admin"])) == [row]


@pytest.mark.parametrize("formats", [[], ["html"], ["pdf", "odt"]])
def test_bad_formats_are_refused_naming_the_field(world, formats):
    with pytest.raises(ValidationFailed) as exc:
        services.document_render(
            actor=world.users["secretariat"], document=small(), formats=formats
        )
    assert [e.field for e in exc.value.errors] == ["formats"]
    assert not RenderedDocument.objects.exists()


def test_delete_removes_row_and_files_and_is_audited(world, django_capture_on_commit_callbacks):
    author = world.users["secretariat"]
    row = services.document_render(actor=author, document=small())
    storage, names = row.pdf.storage, [row.pdf.name, row.docx.name]
    assert all(storage.exists(n) for n in names)
    with pytest.raises(NotFound):
        services.document_delete(actor=world.users["supervisor"], document_id=row.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(actor=author, document_id=row.pk)
    assert not RenderedDocument.objects.exists()
    assert not any(storage.exists(n) for n in names)
    assert AuditEntry.objects.filter(
        event_type=EventType.DOCUMENT_DELETED, object_id=row.pk, actor=author
    ).exists()


def _stored_files() -> set[str]:
    import os

    from django.conf import settings

    root = os.path.join(settings.MEDIA_ROOT, "documents")
    return {os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files}


def test_a_failed_save_leaves_no_files(world, monkeypatch):
    from gongsheng.documents import services as svc

    def boom(**kwargs):
        raise RuntimeError("audit failed")

    before = _stored_files()
    monkeypatch.setattr(svc, "audit_record", boom)
    with pytest.raises(RuntimeError):
        services.document_render(actor=world.users["secretariat"], document=small())
    assert not RenderedDocument.objects.exists()
    assert _stored_files() == before
