"""Ledger entries, categories and valuation rules as the user may see them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from gongsheng.access.scope import access_object, scope, visible_contents
from gongsheng.attachments.selectors import files_on
from gongsheng.core.errors import FieldError, ValidationFailed
from gongsheng.ledger.choices import Decision
from gongsheng.ledger.models import Category, EntryConfirmation, LedgerEntry, ValuationRule
from gongsheng.ledger.pools import with_pool_names

ZERO = Decimal("0")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class LedgerFilter:
    """The entry list's and the summaries' filters; pages and the API build it alike."""

    unit: int | None = None  # as giver or receiver
    category: str = ""  # category code
    year_from: int | None = None
    year_to: int | None = None
    source: str = ""  # "cooperation.project" or "cooperation.project:12" or "manual"
    pool: str = ""
    manual: bool | None = None
    q: str = ""
    #: "pending" (waiting for the giver), "confirmed", "declined", "counted" (all that count:
    #: not pending, or confirmed), "" (all) — decision 0804
    confirmation: str = ""

    @classmethod
    def from_params(cls, params: Any) -> LedgerFilter:
        def num(name: str) -> int | None:
            raw = str(params.get(name) or "").strip()
            return int(raw) if raw.lstrip("-").isdigit() else None

        manual_raw = str(params.get("manual") or "").strip().lower()
        manual = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}
        return cls(
            unit=num("unit"),
            category=str(params.get("category") or "").strip(),
            year_from=num("year_from"),
            year_to=num("year_to"),
            source=str(params.get("source") or "").strip(),
            pool=str(params.get("pool") or "").strip(),
            manual=manual.get(manual_raw),
            q=str(params.get("q") or "").strip(),
            confirmation=str(params.get("confirmation") or "").strip(),
        )

    def apply(self, qs: QuerySet) -> QuerySet:
        if self.unit:
            qs = qs.filter(Q(giver_unit_id=self.unit) | Q(receiver_unit_id=self.unit))
        if self.category:
            qs = qs.filter(category__code=self.category)
        if self.year_from:
            qs = qs.filter(year__gte=self.year_from)
        if self.year_to:
            qs = qs.filter(year__lte=self.year_to)
        if self.source == "manual":
            qs = qs.filter(source_type="")
        elif self.source:
            label, _, pk = self.source.partition(":")
            qs = qs.filter(source_type=label)
            if pk.isdigit():
                qs = qs.filter(source_id=int(pk))
        if self.pool:
            qs = qs.filter(Q(giver_pool=self.pool) | Q(receiver_pool=self.pool))
        if self.manual is not None:
            qs = qs.filter(manual=self.manual)
        if self.confirmation:
            qs = qs.filter(confirmation_q(self.confirmation))
        if self.q:
            qs = qs.filter(
                Q(note__icontains=self.q)
                | Q(giver_unit__name__icontains=self.q)
                | Q(receiver_unit__name__icontains=self.q)
                | Q(category__name__icontains=self.q)
            )
        return qs


CONFIRMATION_STATES = ("pending", "confirmed", "declined", "counted")


def confirmation_q(state: str) -> Q:
    """Entries in a confirmation state (a reversal follows the entry it reverses)."""
    if state not in CONFIRMATION_STATES:
        raise ValidationFailed(
            _("Unknown confirmation state %(s)s; one of %(all)s.")
            % {"s": state, "all": ", ".join(CONFIRMATION_STATES)},
            [FieldError("confirmation", _("unknown state"))],
        )
    decided = {
        d: Q(confirmation__decision=d) | Q(reverses__confirmation__decision=d)
        for d in Decision.values
    }
    if state == "pending":
        return Q(pending=True) & ~decided[Decision.CONFIRMED] & ~decided[Decision.DECLINED]
    if state == "counted":
        return Q(pending=False) | decided[Decision.CONFIRMED]
    return Q(pending=True) & decided[state]


def confirmation_state(entry: LedgerEntry) -> str:
    """ "" (counts at once), "pending", "confirmed" or "declined" of an entry from
    :func:`entry_list` (its ``decision`` annotation)."""
    if not entry.pending:
        return ""
    return getattr(entry, "decision", None) or "pending"


# --- entries -------------------------------------------------------------------------------
def entry_list(
    *, user: Any, consortium_id: int | None = None, filters: LedgerFilter | None = None
) -> QuerySet:
    """Entries the user may see, newest first, with what a row shows (constant queries)."""
    qs = scope(user, LedgerEntry.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(consortium_id=consortium_id)
    if filters:
        qs = filters.apply(qs)
    decisions = EntryConfirmation.objects.all()
    return (
        with_pool_names(qs)
        .select_related("giver_unit", "receiver_unit", "category", "rule", "consortium")
        .annotate(
            is_reversed=Exists(LedgerEntry.objects.filter(reverses=OuterRef("pk"))),
            show_contents=Exists(
                scope(user, LedgerEntry.objects.filter(pk=OuterRef("pk")), "view_contents")
            ),
            decision=Coalesce(
                Subquery(decisions.filter(entry_id=OuterRef("pk")).values("decision")[:1]),
                Subquery(decisions.filter(entry_id=OuterRef("reverses_id")).values("decision")[:1]),
            ),
        )
        .order_by("-date", "-id")
    )


def pending_entries(*, user: Any, consortium_id: int) -> QuerySet:
    """The flows of the consortium the user may see that wait for their giver's confirmation,
    oldest first, each marked ``may_confirm`` (the giver's unit admin, the secretariat)."""
    qs = entry_list(
        user=user, consortium_id=consortium_id, filters=LedgerFilter(confirmation="pending")
    )
    mine = scope(user, LedgerEntry.objects.filter(pk=OuterRef("pk")), "confirm")
    return qs.annotate(may_confirm=Exists(mine)).order_by("date", "id")


def contents_visible(*, user: Any, entries: list[LedgerEntry]) -> set[int]:
    """Pks among ``entries`` whose note and source the user may read (one query)."""
    confidential = [e.pk for e in entries if e.confidential]
    if not confidential:
        return {e.pk for e in entries}
    seen = visible_contents(user, LedgerEntry.objects.filter(pk__in=confidential))
    return {e.pk for e in entries if not e.confidential} | seen


def entry_get(*, user: Any, entry_id: int, action: str = "view") -> LedgerEntry:
    qs = with_pool_names(LedgerEntry.objects.all()).select_related(
        "giver_unit", "receiver_unit", "category", "rule", "consortium", "created_by", "reverses"
    )
    return access_object(user, qs, entry_id, action)


@dataclass(frozen=True)
class EntryDetail:
    entry: LedgerEntry
    chain: list[LedgerEntry]  # the original and its reversal, oldest first
    root: LedgerEntry  # the original: its evidence is the chain's evidence
    evidence: list[Any]  # attachments.Attachment (purpose evidence) of the original
    contents: bool  # may read note, source and evidence
    can_reverse: bool
    confirmation: str = ""  # "", "pending", "confirmed", "declined" (decision 0804)
    answer: Any = None  # the EntryConfirmation of the original, if any
    can_confirm: bool = False


def entry_detail(*, user: Any, entry_id: int) -> EntryDetail:
    from gongsheng.access.scope import can

    entry = entry_get(user=user, entry_id=entry_id)
    root_id = entry.reverses_id or entry.pk
    chain = list(
        scope(user, LedgerEntry.objects.filter(Q(pk=root_id) | Q(reverses_id=root_id)), "view")
        .select_related("created_by")
        .order_by("id")
    )
    contents = (
        not entry.confidential
        or scope(user, LedgerEntry.objects.filter(pk=entry.pk), "view_contents").exists()
    )
    root = next((e for e in chain if e.pk == root_id), entry)
    evidence = files_on(root) if contents else []
    can_reverse = entry.reverses_id is None and len(chain) == 1 and can(user, "reverse", entry)
    answer = EntryConfirmation.objects.filter(entry_id=root_id).select_related("unit").first()
    state = "" if not entry.pending else (answer.decision if answer else "pending")
    return EntryDetail(
        entry=entry,
        root=root,
        chain=chain,
        evidence=evidence,
        contents=contents,
        can_reverse=can_reverse,
        confirmation=state,
        answer=answer,
        can_confirm=state == "pending"
        and entry.reverses_id is None
        and len(chain) == 1
        and can(user, "confirm", entry),
    )


def category_list(*, user: Any, consortium_id: int | None, active_only: bool = False) -> QuerySet:
    qs = scope(user, Category.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(Q(consortium__isnull=True) | Q(consortium_id=consortium_id))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by(F("consortium_id").asc(nulls_first=True), "code")


def rule_list(*, user: Any, consortium_id: int | None) -> QuerySet:
    qs = scope(user, ValuationRule.objects.all(), "view")
    if consortium_id is not None:
        qs = qs.filter(Q(consortium__isnull=True) | Q(consortium_id=consortium_id))
    return qs.select_related("category", "created_by").order_by(
        "category__code", F("consortium_id").asc(nulls_first=True), "-effective_from"
    )
