"""Stored diagnosis results: a cache of the engine's output per consortium, window and
audience (decision 0702, 0804)."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongsheng.analytics import diagnosis as engine
from gongsheng.consortia.models import Consortium
from gongsheng.diagnosis import gather
from gongsheng.diagnosis.models import DiagnosisResult, DiagnosisSettings
from gongsheng.diagnosis.services.settings import engine_settings

#: the two audiences of a stored diagnosis (decision 0804): computed from every entry that
#: counts (the secretariat, supervisors, platform admins), or from the entries every member
#: may see, the ones that are not confidential (member units, observers)
ALL = "all"
MEMBERS = "members"
AUDIENCES = (ALL, MEMBERS)


def _check_audience(audience: str) -> None:
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {AUDIENCES}, got {audience!r}")


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
    *,
    consortium_id: int,
    year_from: int | None = None,
    year_to: int | None = None,
    audience: str = ALL,
) -> tuple[DiagnosisResult, bool]:
    """The stored diagnosis of one consortium, window and audience, recomputed if its stamp
    is stale or it was stored by a batch without the trends per year: (result, whether the
    stored one was used). No access check: selectors call it and pick the audience."""
    _check_audience(audience)
    settings_row = DiagnosisSettings.objects.filter(consortium_id=consortium_id).first()
    year_from, year_to = _window(settings_row, year_from, year_to)
    key = window_key(year_from, year_to)
    stamp = gather.stamps([consortium_id])[consortium_id]
    stored = DiagnosisResult.objects.filter(
        consortium_id=consortium_id, window_key=key, audience=audience
    ).first()
    if stored is not None and stored.stamp == stamp and stored.payload.get("by_year"):
        return stored, True
    # one consortium: with its trends per year (a batch of many leaves them out, 0702)
    computed = _compute(
        [consortium_id], {consortium_id: (year_from, year_to)}, by_year=True, audience=audience
    )
    return _store(consortium_id, key, stamp, *computed[consortium_id], audience=audience), False


def diagnosis_results(
    *,
    consortium_ids: Iterable[int],
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    audience: str = ALL,
) -> dict[int, DiagnosisResult]:
    """The stored default-window diagnosis of many consortia for one audience, recomputing
    the stale ones together (the gathering is one set of GROUP BYs over covering indexes for
    all of them, without trends per year: a single consortium's read adds them). ``force``
    recomputes all. ``progress(done, total)`` is called as consortia are stored."""
    _check_audience(audience)
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
            consortium_id__in=ids, window_key__in=set(keys.values()), audience=audience
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
        computed = _compute(
            group, dict.fromkeys(group, window), settings_rows=rows, audience=audience
        )
        for c in group:
            out[c] = _store(c, keys[c], stamps[c], *computed[c], audience=audience)
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
    audience: str = ALL,
) -> dict[int, tuple[dict[str, Any], bytes, float]]:
    """Gather and diagnose ``ids`` (all with the same window): {id: (payload, pairs, seconds)}.
    ``by_year`` adds the trends per year (reads the ledger rows' years: for one consortium).
    The ``MEMBERS`` audience reads only the entries that are not confidential."""
    started = time.perf_counter()
    window = windows[ids[0]]
    if settings_rows is None:
        settings_rows = {
            r.consortium_id: r for r in DiagnosisSettings.objects.filter(consortium_id__in=ids)
        }
    names = dict(Consortium.objects.filter(pk__in=ids).values_list("pk", "name"))
    # an open window reads everything (covering indexes); its years come from the data
    flow_tables, named = gather.flows(
        ids,
        None if window == (None, None) else window,
        by_year=by_year,
        confidential=audience == ALL,
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
            "audience": audience,
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
    *,
    audience: str = ALL,
) -> DiagnosisResult:
    """Insert or replace the stored result (a cache: no audit row; last writer wins)."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                n = DiagnosisResult.objects.filter(
                    consortium_id=consortium_id, window_key=key, audience=audience
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
                        audience=audience,
                        stamp=stamp,
                        payload=payload,
                        pairs=pairs,
                        duration=duration,
                    )
            break
        except IntegrityError:  # another process stored it first: replace theirs
            continue
    return DiagnosisResult.objects.get(
        consortium_id=consortium_id, window_key=key, audience=audience
    )
