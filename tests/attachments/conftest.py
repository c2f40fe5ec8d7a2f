from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest

from gongsheng.access.actors import SYSTEM
from gongsheng.cooperation import services as coop
from gongsheng.ledger.services import Party, entry_create


def make_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


DOCX = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = make_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
PDF = "%PDF-1.7\n佐证材料\n%%EOF".encode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def records(world, media):
    """A project of unit ent (public), an entry ent -> school (not confidential) and a
    confidential entry ent -> other, all in consortium A."""
    sec = world.users["secretariat"]
    u = {k: v.pk for k, v in world.units.items()}
    project = coop.project_create(
        actor=sec, consortium_id=world.a.pk, name="Order class", type="other", lead_unit_id=u["ent"]
    )

    def post(giver, receiver, consortium, **kw):
        return entry_create(
            actor=SYSTEM, consortium_id=consortium.pk, date=dt.date(2025, 3, 1), category="money",
            quantity=Decimal("100"), giver=Party.unit(u[giver]), receiver=Party.unit(u[receiver]), **kw,
        )  # fmt: skip

    return {
        "project": project,
        "entry": post("ent", "school", world.a),
        "secret": post("ent", "other", world.a, confidential=True),
    }
