"""Chain the entries written before the hash chain existed (decision 0803): per chain (the
consortium, 0 for platform-wide entries) in the order they were written."""

from django.db import migrations

BATCH = 1000


def chain_existing(apps, schema_editor):
    from gongsheng.audit.chain import chain_of, entry_hash
    from gongsheng.audit.models import GENESIS

    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditChainHead")
    heads: dict[int, tuple[int, str]] = {}  # chain -> (seq, hash)
    pending = []
    for entry in Entry.objects.order_by("time", "id").iterator(chunk_size=BATCH):
        entry.chain = chain_of(entry.consortium_id)
        seq, prev = heads.get(entry.chain, (0, GENESIS))
        entry.seq, entry.prev_hash = seq + 1, prev
        entry.hash = entry_hash(entry)
        heads[entry.chain] = (entry.seq, entry.hash)
        pending.append(entry)
        if len(pending) >= BATCH:
            Entry.objects.bulk_update(pending, ["chain", "seq", "prev_hash", "hash"])
            pending = []
    if pending:
        Entry.objects.bulk_update(pending, ["chain", "seq", "prev_hash", "hash"])
    Head.objects.bulk_create(
        [Head(chain=c, seq=seq, hash=h) for c, (seq, h) in sorted(heads.items())]
    )


def unchain(apps, schema_editor):
    apps.get_model("audit", "AuditChainHead").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain")]

    operations = [migrations.RunPython(chain_existing, unchain)]
