"""The tamper-evident audit log (issue 14 point 10, decision 0803): every entry is chained to
the one before it by hash, one chain per consortium plus one for the platform;
``gongsheng audit verify`` names the first broken link; on PostgreSQL a trigger refuses UPDATE
and DELETE except through the prune, which leaves an anchor the chain is verified from."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone

from gongsheng.access.actors import SYSTEM
from gongsheng.audit.models import AuditChainHead, AuditEntry, EventType
from gongsheng.audit.services import audit_bulk, audit_record

on_postgresql = connection.vendor == "postgresql"
sqlite_only = pytest.mark.skipif(on_postgresql, reason="PostgreSQL refuses the raw change itself")
postgresql_only = pytest.mark.skipif(not on_postgresql, reason="the trigger exists on PostgreSQL")


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    """``gongsheng ARGS`` against the test database; (exit status, stdout, stderr). The command
    line parsed as the console script parses it, without the script's closing of the
    connections (which would end the test's transaction on PostgreSQL)."""
    import io

    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        err.write(str(exc))
        code = exc.returncode
    return code, out.getvalue(), err.getvalue()


def backdate(ids: list[int], *, days: int) -> None:
    """Age entries as time would: at the SQL level (on PostgreSQL past the trigger, as the
    superuser CI connects as may, by switching triggers off for the transaction)."""
    with transaction.atomic(), connection.cursor() as cur:
        if on_postgresql:
            cur.execute("SET LOCAL session_replication_role = replica")
        for pk in ids:
            cur.execute(
                "UPDATE audit_auditentry SET time = %s WHERE id = %s",
                [timezone.now() - dt.timedelta(days=days), pk],
            )


def _entry(consortium_id: int | None = None, message: str = "") -> AuditEntry:
    with transaction.atomic():
        return audit_record(
            actor=SYSTEM,
            event=EventType.UNIT_CHANGED,
            action="update",
            consortium_id=consortium_id,
            before={"city": "", "n": 1.0, "big": 1e16},
            after={"city": "滨江市", "n": 2.5},
            message=message,
        )


class TestChaining:
    def test_one_chain_per_consortium_and_one_for_the_platform(self, world, capsys):
        a1, b1, p1, a2 = _entry(world.a.pk), _entry(world.b.pk), _entry(None), _entry(world.a.pk)
        assert (a1.chain, b1.chain, p1.chain) == (world.a.pk, world.b.pk, 0)
        assert (a2.seq, a2.prev_hash) == (a1.seq + 1, a1.hash)
        assert b1.prev_hash != a1.hash and len(a2.hash) == 64
        head = AuditChainHead.objects.get(chain=world.a.pk)
        assert (head.seq, head.hash) == (a2.seq, a2.hash)
        code, out, err = run_cli(capsys, "audit", "verify")
        assert code == 0, err
        assert "audit chains intact" in out and f"chain {world.a.pk}: ok" in out

    def test_bulk_append_chains_in_order(self, world, capsys):
        entries = [
            AuditEntry(actor_name="system", request_id=a1.request_id, event_type=121,
                       action="create", consortium_id=c)
            for a1 in [_entry(world.a.pk)] for c in (world.a.pk, world.b.pk, world.a.pk)
        ]  # fmt: skip
        with transaction.atomic():
            audit_bulk(entries)
        stored = list(AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk"))
        a = [e for e in stored if e.chain == world.a.pk]
        assert a[1].seq == a[0].seq + 1 and a[1].prev_hash == a[0].hash
        assert run_cli(capsys, "audit", "verify")[0] == 0

    def test_unchained_writes_are_refused(self, world):
        with transaction.atomic(), pytest.raises(PermissionError):
            AuditEntry(actor_name="x", request_id=uuid.uuid4(), event_type=1).save()
        with transaction.atomic(), pytest.raises(PermissionError):
            AuditEntry.objects.bulk_create([AuditEntry(actor_name="x", event_type=1)])


@sqlite_only
class TestVerifyFindsTampering:
    def test_a_raw_update_is_named(self, world, capsys):
        first, victim, _after = _entry(world.a.pk), _entry(world.a.pk, "kept"), _entry(world.a.pk)
        with connection.cursor() as cur:
            cur.execute("UPDATE audit_auditentry SET message = 'forged' WHERE id = %s", [victim.pk])
        code, out, err = run_cli(capsys, "audit", "verify")
        assert code == 1
        assert f"entry {victim.pk}" in err and "contents do not match" in err
        assert f"chain {world.a.pk}" in err and f"chain {world.b.pk}: ok" in out
        assert first.pk != victim.pk

    def test_a_deleted_entry_and_a_cut_tail_are_named(self, world, capsys):
        _entry(world.a.pk)
        gone = _entry(world.a.pk)
        nxt = _entry(world.a.pk)
        tail = _entry(world.b.pk)
        with connection.cursor() as cur:
            cur.execute("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", [gone.pk, tail.pk])
        code, _out, err = run_cli(capsys, "audit", "verify")
        assert code == 1
        assert f"position {gone.seq} is missing" in err and f"entry {nxt.pk}" in err
        assert f"chain {world.b.pk}" in err and "entries at the end are missing" in err

    def test_a_rewritten_before_snapshot_is_named(self, world, capsys):
        victim = _entry(world.b.pk)
        with connection.cursor() as cur:
            cur.execute(
                'UPDATE audit_auditentry SET "before" = \'{"city": "x"}\' WHERE id = %s',
                [victim.pk],
            )
        code, _out, err = run_cli(capsys, "audit", "verify", "--chain", str(world.b.pk))
        assert code == 1 and f"entry {victim.pk}" in err


@postgresql_only
class TestTheDatabaseRefuses:
    def test_raw_update_and_delete_are_refused(self, world):
        from django.db import DatabaseError

        entry = _entry(world.a.pk)
        for sql in (
            "UPDATE audit_auditentry SET message = 'forged' WHERE id = %s",
            "DELETE FROM audit_auditentry WHERE id = %s",
        ):
            with (
                pytest.raises(DatabaseError, match="audit"),
                transaction.atomic(),
                connection.cursor() as cur,
            ):
                cur.execute(sql, [entry.pk])
        assert AuditEntry.objects.get(pk=entry.pk).message == ""

    def test_removing_a_user_only_clears_the_actor(self, world, capsys):
        from gongsheng.access.models import User

        user = User.objects.create_user("leaver", password="x-Long-pass-1")
        with transaction.atomic():
            entry = audit_record(actor=user, event=EventType.UNIT_CHANGED, action="update")
        user.delete()
        entry = AuditEntry.objects.get(pk=entry.pk)
        assert entry.actor_id is None and entry.actor_name == "leaver"
        assert run_cli(capsys, "audit", "verify")[0] == 0


class TestPruneKeepsTheChainVerifiable:
    def test_prune_then_verify_passes(self, world, capsys):
        old = _entry(world.a.pk)
        kept = _entry(world.a.pk)
        aged = list(
            AuditEntry.objects.filter(chain__in=[0, world.a.pk])
            .exclude(pk=kept.pk)
            .values_list("pk", flat=True)
        )
        backdate(aged, days=400)
        code, out, _ = run_cli(capsys, "audit", "prune", "--older-than-days", "365")
        assert code == 0 and f"pruned {len(aged)} audit entries" in out
        head = AuditChainHead.objects.get(chain=world.a.pk)
        assert (head.anchor_seq, head.anchor_hash) == (old.seq, old.hash)
        assert not AuditEntry.objects.filter(pk=old.pk).exists()
        code, out, err = run_cli(capsys, "audit", "verify")
        assert code == 0, err
        assert f"chain {world.a.pk}: ok, 1 entries (positions {kept.seq}–{kept.seq})" in out

    def test_prune_refuses_less_than_180_days(self, world, capsys):
        code, _out, err = run_cli(capsys, "audit", "prune", "--older-than-days", "30")
        assert code != 0 and "180" in err
