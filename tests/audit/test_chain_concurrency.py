"""Appending to the audit chain from concurrent connections (PostgreSQL): writers in one
consortium take turns on the chain's head row, so the chain has no fork and no gap; writers
in different consortia do not wait on each other."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.chain import verify
from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.audit.services import audit_record

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent connections (SQLite's in-memory test database shares one cache)",
)


def _write(consortium_id: int, message: str) -> AuditEntry:
    return audit_record(
        actor=SYSTEM,
        event=EventType.UNIT_CHANGED,
        action="update",
        consortium_id=consortium_id,
        message=message,
    )


@pytest.mark.django_db(transaction=True)
def test_two_writers_in_one_consortium_make_one_unbroken_chain():
    from tests.support.world import build_world

    world = build_world()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            for i in range(15):
                with transaction.atomic():
                    _write(world.a.pk, f"{name}{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in "xy"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    seqs = list(
        AuditEntry.objects.filter(chain=world.a.pk).order_by("seq").values_list("seq", flat=True)
    )
    assert seqs == list(range(1, len(seqs) + 1))
    assert AuditEntry.objects.filter(chain=world.a.pk, message__regex=r"^[xy]\d+$").count() == 30
    result = verify([world.a.pk])
    assert result.ok, result.first_break


@pytest.mark.django_db(transaction=True)
def test_different_consortia_do_not_share_a_lock():
    from tests.support.world import build_world

    world = build_world()
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def long_writer() -> None:  # writes in consortium a and keeps its transaction open
        try:
            with transaction.atomic():
                _write(world.a.pk, "held")
                holding.set()
                release.wait(timeout=30)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    t = threading.Thread(target=long_writer)
    t.start()
    try:
        assert holding.wait(timeout=20)
        # consortium b: goes straight through while a's chain is held
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '5s'")
            _write(world.b.pk, "free")
        # consortium a: waits for the holder (the lock is real), here until the timeout
        with pytest.raises(OperationalError, match="lock"), transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("SET LOCAL lock_timeout = '300ms'")
            _write(world.a.pk, "blocked")
    finally:
        release.set()
        t.join(timeout=30)
    assert not errors, errors
    assert AuditEntry.objects.filter(message="free").exists()
    assert not AuditEntry.objects.filter(message="blocked").exists()
    assert verify().ok
