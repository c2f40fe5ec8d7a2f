"""The policy's evidence file moves onto the platform's attachments (as the ledger's did).

Every ``PublicPolicy`` with an evidence file gets an ``attachments.Attachment`` with purpose
``evidence``, keeping the stored file (same path: nothing is copied) and its name; the size
and SHA-256 are read from the file (a missing file keeps size 0 and an empty checksum, which
``attachments.integrity.verify`` reports). Then the two fields go. Reversible: going back
puts the newest evidence attachment back on the policy.
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
    PublicPolicy = apps.get_model("environment", "PublicPolicy")
    Attachment = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    rows = PublicPolicy.objects.using(db).exclude(evidence="").order_by("pk")
    if not rows.exists():
        return
    ct, _ = ContentType.objects.using(db).get_or_create(
        app_label="environment", model="publicpolicy"
    )
    batch = []
    for policy in rows.iterator(chunk_size=500):
        stored = policy.evidence.name
        size, sha = _measure(stored)
        name = policy.evidence_name or stored.rsplit("/", 1)[-1]
        ext = ("." + stored.rsplit(".", 1)[-1].lower()) if "." in stored else ""
        batch.append(
            Attachment(
                content_type_id=ct.pk,
                object_id=policy.pk,
                purpose="evidence",
                file=stored,
                name=name[:200],
                size=size,
                mime_type=_TYPES.get(ext)
                or mimetypes.guess_type(name)[0]
                or "application/octet-stream",
                sha256=sha,
                uploaded_at=policy.updated_at,
            )
        )
        if len(batch) >= 500:
            Attachment.objects.using(db).bulk_create(batch)
            batch = []
    Attachment.objects.using(db).bulk_create(batch)


def backwards(apps, schema_editor):
    PublicPolicy = apps.get_model("environment", "PublicPolicy")
    Attachment = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ct = ContentType.objects.using(db).filter(app_label="environment", model="publicpolicy").first()
    if ct is None:
        return
    moved = Attachment.objects.using(db).filter(
        content_type_id=ct.pk, purpose="evidence", removed_at__isnull=True
    )
    for a in moved.order_by("object_id", "uploaded_at", "pk"):  # the newest wins
        PublicPolicy.objects.using(db).filter(pk=a.object_id).update(
            evidence=a.file.name, evidence_name=a.name[:200]
        )
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("environment", "0001_initial"),
        ("attachments", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="publicpolicy", name="evidence"),
        migrations.RemoveField(model_name="publicpolicy", name="evidence_name"),
    ]
