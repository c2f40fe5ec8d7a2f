"""Steps of the restore drill that run inside the platform (a separate process, the
installation's own settings): ``write`` makes a change through HTTP as a person would;
``snapshot PATH`` writes what must survive a backup and restore to a JSON file.

    python tests/cli/_drill.py write
    python tests/cli/_drill.py snapshot before.json
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongsheng.settings")
    django.setup()


def write() -> None:
    """A ledger entry and its evidence file, through the API as the demo secretariat."""
    from django.test import Client

    from gongsheng.access.models import User
    from gongsheng.consortia.models import Membership

    client = Client()
    client.force_login(User.objects.get(username="secretariat"))
    membership = Membership.objects.filter(status="admitted").order_by("pk").first()
    assert membership is not None, "the demo has no admitted membership"
    units = list(
        Membership.objects.filter(consortium_id=membership.consortium_id, status="admitted")
        .order_by("pk")
        .values_list("unit_id", flat=True)[:2]
    )
    response = client.post(
        "/api/ledger/entries",
        {
            "consortium_id": membership.consortium_id,
            "date": "2025-06-30",
            "category": "money",
            "quantity": "12345.67",
            "giver": {"kind": "unit", "unit": units[0]},
            "receiver": {"kind": "unit", "unit": units[1]},
            "note": "restore drill",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    entry = response.json()["id"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("演练凭证.txt", "恢复演练的凭证 drill evidence\n".encode())
    response = client.post(f"/api/ledger/entries/{entry}/evidence", {"file": upload})
    assert response.status_code == 201, response.content
    print(f"wrote ledger entry {entry} with evidence {response.json()['id']}")


def _files() -> dict[str, str]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    out = {}
    for path in sorted(root.rglob("*")) if root.exists() else []:
        if path.is_file():
            out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _ledger_totals() -> list[list[str]]:
    """Every ledger total: per consortium, unit (giving and receiving side), category, year."""
    from django.db.models import Count, Sum

    from gongsheng.ledger.models import LedgerEntry

    rows = []
    for side in ("giver_unit", "receiver_unit"):
        qs = (
            LedgerEntry.objects.values("consortium_id", side, "category__code", "year")
            .annotate(n=Count("id"), quantity=Sum("quantity"), value=Sum("value"))
            .order_by("consortium_id", side, "category__code", "year")
        )
        for r in qs:
            rows.append(
                [side, *(str(r[k]) for k in ("consortium_id", side, "category__code", "year")),
                 str(r["n"]), format(r["quantity"].normalize(), "f"),
                 format(r["value"].normalize(), "f")]
            )  # fmt: skip
    return rows


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy
    }


def snapshot(path: str) -> None:
    from gongsheng.audit.models import AuditEntry

    data = {
        "ledger": _ledger_totals(),
        "files": _files(),
        "rows": _row_counts(),
        "audit": [
            [c, s, h]
            for c, s, h in AuditEntry.objects.order_by("chain", "seq").values_list(
                "chain", "seq", "hash"
            )
        ],
    }
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1))
    print(f"{len(data['ledger'])} ledger totals, {len(data['files'])} files, "
          f"{len(data['audit'])} audit entries")  # fmt: skip


if __name__ == "__main__":
    _setup()
    {"write": lambda: write(), "snapshot": lambda: snapshot(sys.argv[2])}[sys.argv[1]]()
