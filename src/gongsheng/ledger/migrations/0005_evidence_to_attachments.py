"""The ledger's evidence files move onto the platform's attachments.

Every ``ledger.Evidence`` row becomes an ``attachments.Attachment`` on its entry with purpose
``evidence``, keeping the stored file (same path: nothing is copied), the name, the uploader
and the time; the size and SHA-256 are read from the file (a missing file keeps size 0 and an
empty checksum, which ``attachments.integrity.verify`` reports). Then the model goes.
Reversible: going back recreates the Evidence rows from the attachments.
"""

import hashlib
import mimetypes

from django.core.files.storage import default_storage
from django.db import migrations

_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ofd": "application/ofd",
}


def _measure(name):
    try:
        digest, size = hashlib.sha256(), 0
        with default_storage.open(name, "rb") as fh:
            while chunk := fh.read(1024 * 1024):
                digest.update(chunk)
                size += len(chunk)
        return size, digest.hexdigest()
    except (FileNotFoundError, OSError):
        return 0, ""


def forwards(apps, schema_editor):
    Evidence = apps.get_model("ledger", "Evidence")
    Attachment = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    rows = Evidence.objects.using(db).order_by("pk")
    if not rows.exists():
        return
    ct, _ = ContentType.objects.using(db).get_or_create(app_label="ledger", model="ledgerentry")
    batch = []
    for ev in rows.iterator(chunk_size=500):
        size, sha = _measure(ev.file.name)
        ext = ("." + ev.file.name.rsplit(".", 1)[-1].lower()) if "." in ev.file.name else ""
        batch.append(
            Attachment(
                content_type_id=ct.pk,
                object_id=ev.entry_id,
                purpose="evidence",
                file=ev.file.name,
                name=ev.name[:200],
                size=size,
                mime_type=_TYPES.get(ext)
                or mimetypes.guess_type(ev.name)[0]
                or "application/octet-stream",
                sha256=sha,
                uploaded_at=ev.uploaded_at,
                uploaded_by_id=ev.uploaded_by_id,
            )
        )
        if len(batch) >= 500:
            Attachment.objects.using(db).bulk_create(batch)
            batch = []
    Attachment.objects.using(db).bulk_create(batch)


def backwards(apps, schema_editor):
    Evidence = apps.get_model("ledger", "Evidence")
    Attachment = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ct = ContentType.objects.using(db).filter(app_label="ledger", model="ledgerentry").first()
    if ct is None:
        return
    moved = Attachment.objects.using(db).filter(
        content_type_id=ct.pk, purpose="evidence", removed_at__isnull=True
    )
    Evidence.objects.using(db).bulk_create(
        [
            Evidence(
                entry_id=a.object_id,
                file=a.file.name,
                name=a.name,
                uploaded_at=a.uploaded_at,
                uploaded_by_id=a.uploaded_by_id,
            )
            for a in moved.order_by("pk")
        ]
    )
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_hour_categories"),
        ("attachments", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="Evidence"),
    ]
