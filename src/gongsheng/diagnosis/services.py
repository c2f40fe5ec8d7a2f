"""Every write of the diagnosis: settings, stored results (a cache) and refreshes with alerts.

Stored results are derived data (decision 0702): :func:`diagnosis_result` and
:func:`diagnosis_results` store what they compute without an audit row (a cache fill changes
nothing anyone entered); :func:`diagnosis_refresh`, asked for by a person or the ``diagnose``
command, is audited and raises the alerts.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, can, check_saved, require
from gongsheng.alerts.models import Alert as AlertRow
from gongsheng.alerts.services import alert_raise
from gongsheng.analytics import diagnosis as engine
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record, snapshot
from gongsheng.consortia.models import Consortium
from gongsheng.core.errors import Conflict, Forbidden
from gongsheng.core.services import (
    apply_changes,
    check_version,
    full_clean_or_raise,
    save_versioned,
)
from gongsheng.diagnosis import gather
from gongsheng.diagnosis.models import DiagnosisResult, DiagnosisSettings
from gongsheng.notifications import recipients as notified
from gongsheng.notifications.services import notify

#: alert titles per kind (English; translated when shown)
ALERT_TITLES = {
    "free_rider": "Free rider: {units}",
    "parasitic_pair": "Parasitic pair: {units}",
    "inactive_member": "No joint activity: {units}",
    "school_hot_enterprise_cold": "Schools hot, enterprises cold",
    "concentration": "Inputs concentrated on {units}",
}
ALERT_SOURCE = "diagnosis"


# --- settings -------------------------------------------------------------------------------
def engine_settings(row: DiagnosisSettings | None) -> engine.DiagnosisSettings:
    """The engine's settings from a consortium's row (defaults without one)."""
    if row is None:
        return engine.DiagnosisSettings()
    return engine.DiagnosisSettings(
        tolerance=row.tolerance,
        joint_body_share=row.joint_body_share,
        continuous_share=row.continuous_share,
        max_gap_days=row.max_gap_days,
        min_dimensions=row.min_dimensions,
        inactive_months=row.inactive_months,
        cold_ratio=row.cold_ratio,
        hhi_max=row.hhi_max,
        top_share_max=row.top_share_max,
    )


@transaction.atomic
def settings_update(
    *, actor: Actor, consortium_id: int, version: int | None = None, **changes: Any
) -> DiagnosisSettings:
    """Change a consortium's tolerance, thresholds or default window (secretariat, platform
    admins; ``actor=SYSTEM`` is the system). Creates the row on first use; ``version`` guards
    against concurrent edits."""
    if is_system(actor):  # the system (demo loader, migrations)
        consortium = Consortium.objects.get(pk=consortium_id)
    else:
        consortium = access_object(actor, Consortium.objects.all(), consortium_id, "view")
        require(
            actor,
            "change",
            DiagnosisSettings,
            consortium_id=consortium.pk,
            message=_("Only the secretariat changes the diagnosis settings."),
        )
    row = DiagnosisSettings.objects.select_for_update().filter(consortium=consortium).first()
    created = row is None
    if created:
        row = DiagnosisSettings(consortium=consortium)
        if version not in (None, 0, 1):
            check_version(row, version)
    else:
        check_version(row, version)
    before = {} if created else snapshot(row)
    diff = apply_changes(row, changes, set(DiagnosisSettings.EDITABLE))
    if not diff and not created:
        return row
    full_clean_or_raise(row, message=_("The diagnosis settings are not valid."))
    try:
        engine_settings(row)
    except ValueError as exc:
        from gongsheng.core.errors import ValidationFailed

        raise ValidationFailed(str(exc)) from exc
    if created:
        # the defaults a reader saw were version 1; storing them changed is version 2, so a
        # second editor who also read version 1 is told instead of overwriting silently
        row.version = 2
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:  # another editor stored the first change meanwhile
            raise Conflict(
                _("Someone else changed the diagnosis settings meanwhile; reload and try again.")
            ) from exc
        if not is_system(actor):
            check_saved(actor, [row], "change")
    else:
        save_versioned(row, sorted(diff))
    audit_record(
        actor=actor,
        event=EventType.DIAGNOSIS_SETTINGS_CHANGED,
        action=Action.CREATE if created else Action.UPDATE,
        obj=row,
        before=before,
        after=snapshot(row),
        consortium_id=consortium.pk,
    )
    return row


# --- stored results -------------------------------------------------------------------------
def _window(
    settings_row: DiagnosisSettings | None, year_from: int | None, year_to: int | None
) -> tuple[int | None, int | None]:
    if year_from is None and year_to is None and settings_row is not None:
        return settings_row.year_from, settings_row.year_to
    return year_from, year_to


def window_key(year_from: int | None, year_to: int | None) -> str:
    """``"all"`` or ``"2023-2025"`` (an open end is empty: ``"2024-"``)."""
    if year_from is None and year_to is None:
        return "all"
    return f"{year_from or ''}-{year_to or ''}"


def diagnosis_result(
    *, consortium_id: int, year_from: int | None = None, year_to: int | None = None
) -> tuple[DiagnosisResult, bool]:
    """The stored diagnosis of one consortium and window, recomputed if its stamp is stale
    or it was stored by a batch without the trends per year: (result, whether the stored one
    was used). No access check: selectors call it."""
    settings_row = DiagnosisSettings.objects.filter(consortium_id=consortium_id).first()
    year_from, year_to = _window(settings_row, year_from, year_to)
    key = window_key(year_from, year_to)
    stamp = gather.stamps([consortium_id])[consortium_id]
    stored = DiagnosisResult.objects.filter(consortium_id=consortium_id, window_key=key).first()
    if stored is not None and stored.stamp == stamp and stored.payload.get("by_year"):
        return stored, True
    # one consortium: with its trends per year (a batch of many leaves them out, 0702)
    computed = _compute([consortium_id], {consortium_id: (year_from, year_to)}, by_year=True)
    return _store(consortium_id, key, stamp, *computed[consortium_id]), False


def diagnosis_results(
    *,
    consortium_ids: Iterable[int],
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[int, DiagnosisResult]:
    """The stored default-window diagnosis of many consortia, recomputing the stale ones
    together (the gathering is one set of GROUP BYs over covering indexes for all of them,
    without trends per year: a single consortium's read adds them). ``force`` recomputes all.
    ``progress(done, total)`` is called as consortia are stored."""
    ids = sorted(set(consortium_ids))
    if not ids:
        return {}
    rows = {r.consortium_id: r for r in DiagnosisSettings.objects.filter(consortium_id__in=ids)}
    windows = {c: _window(rows.get(c), None, None) for c in ids}
    keys = {c: window_key(*windows[c]) for c in ids}
    stamps = gather.stamps(ids)
    stored = {
        r.consortium_id: r
        for r in DiagnosisResult.objects.filter(
            consortium_id__in=ids, window_key__in=set(keys.values())
        )
        if r.window_key == keys[r.consortium_id]
    }
    stale = [c for c in ids if force or c not in stored or stored[c].stamp != stamps[c]]
    out = {c: stored[c] for c in ids if c not in stale}
    done = len(out)
    if progress:
        progress(done, len(ids))
    by_window: dict[tuple[int | None, int | None], list[int]] = {}
    for c in stale:
        by_window.setdefault(windows[c], []).append(c)
    for window, group in by_window.items():
        computed = _compute(group, dict.fromkeys(group, window), settings_rows=rows)
        for c in group:
            out[c] = _store(c, keys[c], stamps[c], *computed[c])
            done += 1
            if progress:
                progress(done, len(ids))
    return out


def _compute(
    ids: list[int],
    windows: dict[int, tuple[int | None, int | None]],
    settings_rows: dict[int, DiagnosisSettings] | None = None,
    *,
    by_year: bool = False,
) -> dict[int, tuple[dict[str, Any], bytes, float]]:
    """Gather and diagnose ``ids`` (all with the same window): {id: (payload, pairs, seconds)}.
    ``by_year`` adds the trends per year (reads the ledger rows' years: for one consortium)."""
    started = time.perf_counter()
    window = windows[ids[0]]
    if settings_rows is None:
        settings_rows = {
            r.consortium_id: r for r in DiagnosisSettings.objects.filter(consortium_id__in=ids)
        }
    names = dict(Consortium.objects.filter(pk__in=ids).values_list("pk", "name"))
    # an open window reads everything (covering indexes); its years come from the data
    flow_tables, named = gather.flows(
        ids, None if window == (None, None) else window, by_year=by_year
    )
    unit_tables = gather.units(ids, extra=named)
    episode_tables = gather.episodes(ids)
    spans: dict[int, tuple[int, int]] = {}
    if window[0] is None or window[1] is None:
        spans = gather.data_years(ids)
    shared = time.perf_counter() - started
    out: dict[int, tuple[dict[str, Any], bytes, float]] = {}
    for c in ids:
        t0 = time.perf_counter()
        lo, hi = spans.get(c, (None, None))
        y0 = window[0] if window[0] is not None else lo
        y1 = window[1] if window[1] is not None else hi
        years = (y0, y1) if y0 is not None and y1 is not None and y0 <= y1 else None
        units = unit_tables[c]
        if not units["id"]:
            units = {"id": [], "name": [], "group": [], "lead": [], "member": []}
        payload: dict[str, Any] = {
            "consortium_name": names.get(c, str(c)),
            "window": list(window),
            "by_year": by_year,
        }
        if units["id"]:
            result = engine.diagnose(
                units,
                **flow_tables[c],
                episodes=episode_tables[c],
                series=output_series(flow_tables[c]) if by_year else None,
                years=years,
                settings=engine_settings(settings_rows.get(c)),
            )
            payload["diagnosis"] = result.as_dict(pairs=False)
            table = result.pairs
        else:
            payload["diagnosis"], table = _empty(engine_settings(settings_rows.get(c)))
        blob, payload["diagnosis"]["pair_extras"] = pack_pairs(table)
        out[c] = (payload, blob, shared / len(ids) + time.perf_counter() - t0)
    return out


def output_series(tables: dict[str, Any]) -> dict[str, np.ndarray]:
    """The platform's main quality parameter (主质参量) of each unit: the value it received in
    each year — directly from other units and out of project pools — from the ``by_year``
    flow columns of :func:`gather.flows` (arithmetic on the aggregates, no query). The engine
    turns it into the symbiosis degree and share of every pair with ≥ 2 such years
    (docs/models.md, "Diagnosis")."""
    d, po = tables["direct"], tables["pool_outputs"]
    unit = np.concatenate([np.asarray(d["receiver"]), np.asarray(po["unit"])]).astype(np.int64)
    period = np.concatenate([np.asarray(d["period"]), np.asarray(po["period"])]).astype(np.int64)
    value = np.concatenate([np.asarray(d["value"]), np.asarray(po["value"])]).astype(float)
    keep = unit >= 0
    unit, period, value = unit[keep], period[keep], value[keep]
    if not unit.size:
        return {"unit": unit, "period": period, "value": value}
    keys, inverse = np.unique(np.stack([unit, period]), axis=1, return_inverse=True)
    sums = np.bincount(inverse.ravel(), value, minlength=keys.shape[1])
    return {"unit": keys[0], "period": keys[1], "value": sums}


def _empty(settings: engine.DiagnosisSettings) -> tuple[dict[str, Any], Any]:
    """The payload and pair table of a consortium without units."""
    result = engine.diagnose(
        {"id": [0], "name": [""], "group": ["other"], "member": [False]}, settings=settings
    )
    return result.as_dict(pairs=False) | {"units": []}, result.pairs


def pack_pairs(table: engine.PairTable) -> tuple[bytes, dict[str, Any]]:
    """A pair table as .npz bytes and its JSON extras (organisation statistics, notes)."""
    arrays, extras = table.as_arrays()
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue(), extras


def stored_pairs(stored: DiagnosisResult) -> engine.PairTable:
    """The pair table of a stored result, with the unit names for its rows."""
    d = stored.payload["diagnosis"]
    with np.load(io.BytesIO(bytes(stored.pairs)), allow_pickle=False) as arrays:
        return engine.PairTable.from_arrays(
            arrays,
            d["pair_extras"],
            unit_ids=tuple(u["id"] for u in d["units"]),
            unit_names=tuple(u["name"] for u in d["units"]),
            unit_groups=tuple(u["group"] for u in d["units"]),
            tolerance=d["settings"]["tolerance"],
        )


def _store(
    consortium_id: int,
    key: str,
    stamp: str,
    payload: dict[str, Any],
    pairs: bytes,
    duration: float,
) -> DiagnosisResult:
    """Insert or replace the stored result (a cache: no audit row; last writer wins)."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                n = DiagnosisResult.objects.filter(
                    consortium_id=consortium_id, window_key=key
                ).update(
                    stamp=stamp,
                    payload=payload,
                    pairs=pairs,
                    duration=duration,
                    computed_at=timezone.now(),
                )
                if not n:
                    DiagnosisResult.objects.create(
                        consortium_id=consortium_id,
                        window_key=key,
                        stamp=stamp,
                        payload=payload,
                        pairs=pairs,
                        duration=duration,
                    )
            break
        except IntegrityError:  # another process stored it first: replace theirs
            continue
    return DiagnosisResult.objects.get(consortium_id=consortium_id, window_key=key)


# --- refresh and alerts ---------------------------------------------------------------------
@transaction.atomic
def diagnosis_refresh(*, actor: Actor, consortium_id: int) -> DiagnosisResult:
    """Recompute a consortium's default-window diagnosis now and raise its alerts (kinds
    ``free_rider``, ``parasitic_pair``, ``inactive_member``, ``school_hot_enterprise_cold``,
    ``concentration``), never a second open alert for the same kind and units. Secretariat
    and platform admins (``actor=SYSTEM``: the system, e.g. the ``diagnose`` command)."""
    if not is_system(actor):
        access_object(actor, Consortium.objects.all(), consortium_id, "view")
        require(
            actor,
            "refresh",
            DiagnosisResult,
            consortium_id=consortium_id,
            message=_("Only the secretariat refreshes the diagnosis."),
        )
    result = diagnosis_results(consortium_ids=[consortium_id], force=True)[consortium_id]
    raised = raise_alerts(actor=actor, consortium_id=consortium_id, result=result)
    audit_record(
        actor=actor,
        event=EventType.DIAGNOSIS_REFRESHED,
        action=Action.UPDATE,
        consortium_id=consortium_id,
        object_repr=result.payload.get("consortium_name", str(consortium_id)),
        message=f"diagnosis refreshed ({result.window_key}): {raised} new alert(s)",
    )
    return result


def raise_alerts(*, actor: Actor, consortium_id: int, result: DiagnosisResult) -> int:
    """Raise the result's alerts that are not already open (same kind, first unit and second
    unit); returns how many were raised."""
    d = result.payload["diagnosis"]
    names = {u["id"]: u["name"] for u in d["units"]}
    open_keys = set(
        AlertRow.objects.filter(
            consortium_id=consortium_id,
            source_type=ALERT_SOURCE,
            acknowledged_at__isnull=True,
        ).values_list("kind", "unit_id", "source_id")
    )
    raised = 0
    counts: dict[str, int] = {}
    for a in d["alerts"]:
        units = a["units"]
        first = units[0] if a["kind"] != "school_hot_enterprise_cold" and units else None
        second = units[1] if a["kind"] == "parasitic_pair" and len(units) > 1 else None
        key = (a["kind"], first, second)
        if key in open_keys:
            continue
        open_keys.add(key)
        label = " / ".join(names.get(u, str(u)) for u in units[:2])
        alert_raise(
            actor=actor,
            consortium_id=consortium_id,
            kind=a["kind"],
            title=ALERT_TITLES.get(a["kind"], a["kind"]).format(units=label)[:200],
            reason=a["reason"],
            unit_id=first,
            severity="critical" if a["kind"] == "parasitic_pair" else "warning",
            source_type=ALERT_SOURCE,
            source_id=second,
        )
        raised += 1
        counts[a["kind"]] = counts.get(a["kind"], 0) + 1
    if counts:  # one digest per consortium and recompute, never a message per alert
        consortium = Consortium.objects.get(pk=consortium_id)
        people = notified.secretariat(consortium_id)
        notify(people, "diagnosis.digest", consortium, actor=actor, context={"counts": counts})
    return raised


def diagnosis_refresh_all(
    *,
    actor: Actor,
    consortium_ids: Iterable[int],
    force: bool = True,
    alerts: bool = True,
    progress: Callable[[int, int], None] | None = None,
    alert_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Recompute many consortia together (one gathering), then raise each one's alerts in its
    own transaction with an audit entry. For the ``diagnose`` command (``actor=SYSTEM``) and
    platform admins. Returns counts for the command's summary line."""
    ids = sorted(set(consortium_ids))
    if not all(can(actor, "refresh", DiagnosisResult, consortium_id=c) for c in ids):
        raise Forbidden(_("Only the secretariat refreshes the diagnosis."))
    started = time.perf_counter()
    before = {
        r.consortium_id: r.computed_at
        for r in DiagnosisResult.objects.filter(consortium_id__in=ids).only(
            "consortium_id", "computed_at"
        )
    }
    results = diagnosis_results(consortium_ids=ids, force=force, progress=progress)
    recomputed = sum(1 for c, r in results.items() if before.get(c) != r.computed_at)
    raised = 0
    for k, c in enumerate(ids, start=1):
        if alerts:
            with transaction.atomic():
                n = raise_alerts(actor=actor, consortium_id=c, result=results[c])
                audit_record(
                    actor=actor,
                    event=EventType.DIAGNOSIS_REFRESHED,
                    action=Action.UPDATE,
                    consortium_id=c,
                    object_repr=results[c].payload.get("consortium_name", str(c)),
                    message=f"diagnosis refreshed ({results[c].window_key}): {n} new alert(s)",
                )
            raised += n
        if alert_progress:
            alert_progress(k, len(ids))
    return {
        "consortia": len(ids),
        "recomputed": recomputed,
        "pairs": sum(r.payload["diagnosis"]["pair_count"] for r in results.values()),
        "alerts": raised,
        "seconds": time.perf_counter() - started,
    }
