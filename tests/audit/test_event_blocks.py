"""Audit event numbers: each app owns a block of them, declared in its AppConfig, with its own
enum; the blocks never overlap and every number stays inside its app's block."""

from __future__ import annotations

import enum
import itertools

import pytest

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.core import registry

#: the blocks as declared (a new app adds its line here and its block in its AppConfig)
BLOCKS = {
    "consortia": (100, 200),
    "access": (200, 300),
    "transfer": (300, 400),
    "alerts": (400, 500),
    "ledger": (500, 600),
    "cooperation": (600, 700),
    "sharing": (700, 800),
    "diagnosis": (800, 900),
    "audit": (900, 1000),
    "environment": (1000, 1100),
    "distribution": (1100, 1200),
    "modelling": (1200, 1300),
    "notifications": (1300, 1400),
    "jobs": (1400, 1500),
    "attachments": (1500, 1600),
    "documents": (1600, 1700),
}


def test_the_declared_blocks():
    got = {c.label: (b.start, b.stop) for c, b, _enum in registry.event_blocks()}
    assert got == BLOCKS


def test_blocks_do_not_overlap():
    blocks = sorted((b.start, b.stop, c.label) for c, b, _e in registry.event_blocks())
    for (_s1, stop, a), (start, _s2, b) in itertools.pairwise(blocks):
        assert stop <= start, f"{a} and {b} overlap"


def test_every_event_number_stays_in_its_apps_block():
    seen: dict[int, str] = {}
    for config, block, events in registry.event_blocks():
        assert events is not None and issubclass(events, enum.IntEnum), config.label
        assert len(events) > 0, config.label
        for member in events:
            assert int(member) in block, f"{config.label}: {member.name}={int(member)}"
            assert int(member) not in seen, f"{member.name} repeats {seen[int(member)]}"
            seen[int(member)] = member.name


def test_old_spelling_members_keep_out_of_the_apps_blocks():
    """Members added to ``audit.models.EventType`` the old way (apps not yet moved) must not
    take a number from another app's block, nor a name another app's enum uses."""
    owned = [(c.label, b) for c, b, _e in registry.event_blocks()]
    for member in EventType:
        holders = [label for label, block in owned if int(member) in block]
        assert not holders, f"EventType.{member.name}={int(member)} is in {holders}'s block"
        assert registry.event_member(member.name) is None, member.name


def test_the_old_spelling_resolves_to_the_apps_enum():
    from gongsheng.consortia.events import ConsortiaEvent
    from gongsheng.cooperation.events import CooperationEvent

    assert EventType.UNIT_CREATED is ConsortiaEvent.UNIT_CREATED
    assert EventType.IP_OWNERS_CHANGED == 633
    assert EventType.IP_OWNERS_CHANGED is CooperationEvent.IP_OWNERS_CHANGED
    with pytest.raises(AttributeError, match="NO_SUCH_EVENT"):
        _ = EventType.NO_SUCH_EVENT


def test_an_entry_names_its_event_from_the_apps_enum():
    assert AuditEntry(event_type=633).event_name == "IP_OWNERS_CHANGED"
    assert AuditEntry(event_type=902).event_name == "AUDIT_PRUNED"
    assert AuditEntry(event_type=1105).event_name == "DISTRIBUTION_COMPUTED"
    assert AuditEntry(event_type=4242).event_name == "4242"  # unknown: the number itself
