"""A real project pool for ledger tests: manual entries may name only pools that exist, with
units that take part in them (decision 0804)."""

from __future__ import annotations

from gongsheng.access.actors import SYSTEM


def project_pool(world, keys=("ent", "school", "other"), consortium=None, name="Pool project"):
    """Create a project of consortium A (or ``consortium``) led by the first of ``keys`` with
    the others as participants; returns its pool name (``project:<id>``)."""
    from gongsheng.cooperation.services import participant_add, project_create

    consortium = consortium or world.a
    project = project_create(
        actor=SYSTEM, consortium_id=consortium.pk, name=name, type="other",
        lead_unit_id=world.units[keys[0]].pk,
    )  # fmt: skip
    for key in keys[1:]:
        participant_add(actor=SYSTEM, project_id=project.pk, unit_id=world.units[key].pk)
    return project.pool
