"""The ledger's evidence files move onto attachments (migration ledger 0005): every row made
the old way becomes an attachment on its entry, keeping the file, name, uploader and time."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongsheng.access.actors import SYSTEM
from tests.support.migrations import latest_schema_after  # noqa: F401 (autouse)

BEFORE = [("ledger", "0004_hour_categories"), ("attachments", "0001_initial")]
AFTER = [("ledger", "0005_evidence_to_attachments")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_evidence_rows_become_attachments(world, settings, tmp_path):
    from tests.support.ledger_seed import ensure_default_categories

    settings.MEDIA_ROOT = str(tmp_path)
    ensure_default_categories()
    from gongsheng.ledger.services import Party, entry_create

    u = world.units
    entry = entry_create(
        actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(2025, 3, 1), category="money",
        quantity=1, giver=Party.unit(u["ent"].pk), receiver=Party.unit(u["school"].pk),
    )  # fmt: skip
    try:
        old = _migrate(BEFORE)
        Evidence = old.get_model("ledger", "Evidence")
        # rows made the old way: a file under evidence/ and one whose file is gone
        (tmp_path / "evidence/2024/05").mkdir(parents=True)
        (tmp_path / "evidence/2024/05/entry-1.pdf").write_bytes(b"%PDF-1.4 old")
        when = dt.datetime(2024, 5, 6, 7, 8, tzinfo=dt.UTC)
        kept = Evidence.objects.create(
            entry_id=entry.pk, file="evidence/2024/05/entry-1.pdf", name="旧合同.pdf",
            uploaded_by_id=world.users["unit_admin"].pk,
        )  # fmt: skip
        Evidence.objects.filter(pk=kept.pk).update(uploaded_at=when)
        Evidence.objects.create(entry_id=entry.pk, file="evidence/gone.png", name="gone.png")

        new = _migrate(AFTER)
        Attachment = new.get_model("attachments", "Attachment")
        rows = list(Attachment.objects.order_by("pk"))
        assert len(rows) == 2
        a, gone = rows
        assert (a.object_id, a.purpose, a.name, a.file.name) == (
            entry.pk, "evidence", "旧合同.pdf", "evidence/2024/05/entry-1.pdf"
        )  # fmt: skip
        assert a.uploaded_by_id == world.users["unit_admin"].pk and a.uploaded_at == when
        assert (a.size, a.sha256, a.mime_type) == (
            12, hashlib.sha256(b"%PDF-1.4 old").hexdigest(), "application/pdf"
        )  # fmt: skip
        assert (gone.size, gone.sha256, gone.mime_type) == (0, "", "image/png")
        ct = new.get_model("contenttypes", "ContentType").objects.get(pk=a.content_type_id)
        assert (ct.app_label, ct.model) == ("ledger", "ledgerentry")
        assert Path(tmp_path / a.file.name).read_bytes() == b"%PDF-1.4 old"  # not copied

        # and the platform sees it: the restore drill flags only the file that is gone
        from gongsheng.attachments.integrity import verify

        report = verify()
        assert report.missing == [gone.pk] and report.mismatched == []
        # going back recreates the rows
        old = _migrate(BEFORE)
        names = sorted(old.get_model("ledger", "Evidence").objects.values_list("name", flat=True))
        assert names == ["gone.png", "旧合同.pdf"]
    finally:
        _migrate(AFTER)
