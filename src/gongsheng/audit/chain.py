"""The hash chain over the audit log (decision 0803).

Every entry is chained to the one before it in its chain: one chain per consortium (the
entry's ``consortium_id``) and chain ``0`` for platform-wide entries, so that writes of
different consortia never wait on each other. An entry stores its position ``seq``, the
previous entry's hash ``prev_hash`` and its own ``hash``:

    hash = SHA-256( canonical(entry) )

where :func:`canonical` is stable JSON (sorted keys, no spaces, UTF-8) of the format version,
the chain, ``seq``, ``prev_hash`` and every field of the entry that says what happened
(``before``/``after`` included). The actor's id is left out: it becomes NULL when the user is
removed (``actor_name`` keeps the name and is hashed).

A per-chain head row (:class:`AuditChainHead`) holds the last ``seq`` and ``hash`` and the
anchor the pruning leaves behind; appending locks it (``select_for_update``; SQLite's
IMMEDIATE transactions serialise writers anyway), so two writers in one consortium take turns
and the chain has no fork and no gap.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from gongsheng.audit.models import GENESIS, AuditChainHead, AuditEntry

FORMAT_VERSION = 1

#: the entry's fields that enter the hash besides chain, seq and prev_hash
HASHED_FIELDS = (
    "time",
    "actor_name",
    "request_id",
    "event_type",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "related_content_type_id",
    "related_object_id",
    "consortium_id",
    "unit_id",
    "confidential",
    "before",
    "after",
    "message",
)


def chain_of(consortium_id: int | None) -> int:
    """The chain an entry belongs to: its consortium's id, or 0 for platform-wide entries."""
    return int(consortium_id or 0)


def _numbers(value: Any) -> Any:
    """JSON values as both databases give them back: a float with an integral value is the
    integer (PostgreSQL's jsonb keeps numbers as decimals and may return ``1e+16`` as an
    integer: 1e16 comes back as 10000000000000000), lists and objects recursively."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        if value.is_integer():  # by its shortest decimal form, as jsonb stores it
            return int(decimal.Decimal(repr(value)))
        return value
    if isinstance(value, dict):
        return {str(k): _numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_numbers(v) for v in value]
    return value


def _json_value(value: Any) -> Any:
    """A JSON field's value as it reads back from the database."""
    if value is None:
        return None
    return _numbers(json.loads(json.dumps(value, cls=DjangoJSONEncoder)))


def _time(value: dt.datetime) -> str:
    if timezone.is_naive(value):  # USE_TZ is on; a naive value is UTC by Django's convention
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(entry: AuditEntry) -> bytes:
    """The bytes an entry's hash is taken over (format version 1, decision 0803)."""
    doc: dict[str, Any] = {
        "v": FORMAT_VERSION,
        "chain": int(entry.chain),
        "seq": int(entry.seq),
        "prev": entry.prev_hash,
    }
    for name in HASHED_FIELDS:
        value = getattr(entry, name)
        if name == "time":
            value = _time(value)
        elif name == "request_id":
            value = str(value) if value is not None else None
        elif name in ("before", "after"):
            value = _json_value(value)
        doc[name] = value
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def _lock_head(chain: int) -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        # two first writers of a new chain: one inserts, the other's insert does nothing
        AuditChainHead.objects.bulk_create([AuditChainHead(chain=chain)], ignore_conflicts=True)
        head = AuditChainHead.objects.select_for_update().get(chain=chain)
    return head


def link(entries: list[AuditEntry]) -> list[AuditChainHead]:
    """Give each prepared entry its chain, position, time and hashes (not saved).

    Locks the head row of every chain involved, in ascending order of chain (so two writers
    touching the same chains cannot deadlock), and returns the heads advanced past the
    entries; the caller saves the entries, then :func:`save_heads`, in the same transaction.
    """
    by_chain: dict[int, list[AuditEntry]] = {}
    for entry in entries:
        entry.chain = chain_of(entry.consortium_id)
        by_chain.setdefault(entry.chain, []).append(entry)
    heads = [_lock_head(chain) for chain in sorted(by_chain)]
    now = timezone.now()  # taken under the lock: time never runs backwards along a chain
    for head in heads:
        for entry in by_chain[head.chain]:
            entry.time = now
            entry.seq = head.seq + 1
            entry.prev_hash = head.hash
            entry.hash = entry_hash(entry)
            head.seq, head.hash = entry.seq, entry.hash
    return heads


def save_heads(heads: Iterable[AuditChainHead]) -> None:
    for head in heads:
        AuditChainHead.objects.filter(pk=head.pk).update(seq=head.seq, hash=head.hash)


# --- verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first broken link of a chain."""

    chain: int
    seq: int
    entry_id: int | None
    reason: str

    def describe(self) -> str:
        where = "platform" if self.chain == 0 else f"consortium {self.chain}"
        entry = f"entry {self.entry_id}" if self.entry_id is not None else "no entry"
        return f"chain {self.chain} ({where}), position {self.seq}, {entry}: {self.reason}"


@dataclass(frozen=True)
class ChainState:
    chain: int
    entries: int
    first_seq: int
    last_seq: int
    last_hash: str
    broken: Break | None


@dataclass(frozen=True)
class VerifyResult:
    chains: tuple[ChainState, ...]

    @property
    def ok(self) -> bool:
        return all(c.broken is None for c in self.chains)

    @property
    def entries(self) -> int:
        return sum(c.entries for c in self.chains)

    @property
    def first_break(self) -> Break | None:
        return next((c.broken for c in self.chains if c.broken is not None), None)


def _walk(chain: int, head: AuditChainHead | None, rows: Iterator[AuditEntry]) -> ChainState:
    anchor_seq = head.anchor_seq if head else 0
    expect_seq, expect_prev = anchor_seq + 1, (head.anchor_hash if head else GENESIS)
    count, last_hash = 0, expect_prev

    def state(broken: Break | None) -> ChainState:
        return ChainState(chain, count, anchor_seq + 1, expect_seq - 1, last_hash, broken)

    for entry in rows:
        count += 1
        if entry.seq != expect_seq:
            reason = (
                f"position {expect_seq} is missing (next present is {entry.seq})"
                if entry.seq > expect_seq
                else f"position {entry.seq} appears where {expect_seq} was expected"
            )
            return state(Break(chain, expect_seq, entry.pk, reason))
        if entry.prev_hash != expect_prev:
            return state(
                Break(
                    chain,
                    entry.seq,
                    entry.pk,
                    "its previous hash does not match the entry before it",
                )
            )
        if entry_hash(entry) != entry.hash:
            return state(Break(chain, entry.seq, entry.pk, "its contents do not match its hash"))
        last_hash, expect_prev, expect_seq = entry.hash, entry.hash, expect_seq + 1
    if head is None:
        return state(Break(chain, anchor_seq + 1, None, "the chain has no head row"))
    if head.seq != expect_seq - 1 or head.hash != last_hash:
        missing = f"the head says position {head.seq}; the last entry present is {expect_seq - 1}"
        return state(Break(chain, expect_seq, None, f"entries at the end are missing ({missing})"))
    return state(None)


def verify(chains: Iterable[int] | None = None, *, progress: Any = None) -> VerifyResult:
    """Walk every chain (or the given ones) from its anchor and report the first broken link
    of each: a missing position, a previous hash that does not match, contents that do not
    match the hash, or entries missing at the end (the head row knows the last position).

    ``progress(done, total)`` is called as entries are read.
    """
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    known = set(heads) | set(AuditEntry.objects.values_list("chain", flat=True).distinct())
    wanted = sorted(known if chains is None else set(chains))
    total = AuditEntry.objects.filter(chain__in=wanted).count()
    done = 0
    states = []
    for chain in wanted:
        qs = AuditEntry.objects.filter(chain=chain).order_by("seq")

        def rows(qs: Any = qs) -> Iterator[AuditEntry]:
            nonlocal done
            for entry in qs.iterator(chunk_size=2000):
                done += 1
                if progress is not None and done % 500 == 0:
                    progress(done, total)
                yield entry

        states.append(_walk(chain, heads.get(chain), rows()))
    if progress is not None:
        progress(total, total)
    return VerifyResult(tuple(states))


def heads_snapshot() -> dict[str, dict[str, Any]]:
    """Every chain's last position and hash (the backup's manifest records them)."""
    return {
        str(h.chain): {"seq": h.seq, "hash": h.hash, "anchor_seq": h.anchor_seq}
        for h in AuditChainHead.objects.order_by("chain")
    }
