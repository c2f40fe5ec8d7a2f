"""Organisational modes from dated cooperation episodes."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gongsheng.analytics.reasons import Reason
from gongsheng.analytics.symbiosis._modes import OrganisationMode


# --------------------------------------------------------------------------------------
# organisational modes
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Episode:
    """One dated cooperation episode of a pair of units.

    Attributes
    ----------
    start, end : datetime.date or numpy.datetime64
        First and last day (inclusive). ``end=None`` means still running.
    dimension : str
        What the cooperation is about (e.g. "training", "research", "posts").
    creates_joint_body : bool
        Whether it creates a lasting joint body (an industrial college, a joint lab, a
        through-train programme).
    """

    start: _dt.date | np.datetime64
    end: _dt.date | np.datetime64 | None
    dimension: str = ""
    creates_joint_body: bool = False


@dataclass(frozen=True)
class OrganisationResult:
    """Result of :func:`describe_organisation`.

    Attributes
    ----------
    mode : OrganisationMode or None
        The mode, None when no episode overlaps the window.
    n_episodes : int
        Episodes overlapping the window.
    n_blocks : int
        Separate blocks of cooperation after merging overlapping/adjacent episodes.
    coverage : float
        Share of the window's days covered by some episode.
    max_gap_days : int
        Longest gap between blocks inside the window (0 with one block).
    joint_body_share : float
        Largest share of the window covered by one joint-body episode.
    dimensions : tuple of str
        Distinct dimensions of the episodes in the window.
    reason : Reason
        Which rule decided the mode.
    """

    mode: OrganisationMode | None
    n_episodes: int
    n_blocks: int
    coverage: float
    max_gap_days: int
    joint_body_share: float
    dimensions: tuple[str, ...]
    reason: str


def _day(value, name: str) -> int:
    if isinstance(value, np.datetime64):
        d = value.astype("datetime64[D]")
    elif isinstance(value, _dt.datetime):
        d = np.datetime64(value.date(), "D")
    elif isinstance(value, _dt.date):
        d = np.datetime64(value, "D")
    elif isinstance(value, str):
        try:
            d = np.datetime64(value, "D")
        except ValueError as exc:
            raise ValueError(f"`{name}` must be a date; got {value!r}") from exc
    else:
        raise ValueError(f"`{name}` must be a datetime.date or numpy.datetime64; got {value!r}")
    if np.isnat(d):
        raise ValueError(f"`{name}` must be a date; got NaT")
    return int(d.astype(np.int64))


def _episode(rec, i: int) -> Episode:
    if isinstance(rec, Episode):
        return rec
    if isinstance(rec, Mapping):
        if "start" not in rec or "end" not in rec:
            raise ValueError(f"`episodes[{i}]` must have keys 'start' and 'end'; got {rec!r}")
        joint = rec.get("creates_joint_body", rec.get("joint_body", False))
        return Episode(rec["start"], rec["end"], str(rec.get("dimension", "") or ""), bool(joint))
    if isinstance(rec, Sequence) and not isinstance(rec, str) and 2 <= len(rec) <= 4:
        rec = list(rec) + [""] * (3 - len(rec)) if len(rec) < 3 else list(rec)
        joint = bool(rec[3]) if len(rec) > 3 else False
        return Episode(rec[0], rec[1], str(rec[2] or ""), joint)
    raise ValueError(
        f"`episodes[{i}]` must be an Episode, a mapping or a tuple "
        f"(start, end[, dimension[, creates_joint_body]]); got {rec!r}"
    )


def describe_organisation(
    episodes: Iterable,
    *,
    window,
    joint_body_share: float = 0.5,
    continuous_share: float = 0.6,
    max_gap_days: int = 90,
    min_dimensions: int = 3,
) -> OrganisationResult:
    r"""Organisational mode of a pair with the statistics behind it.

    See :func:`classify_organisation` for the rule and the parameters; this returns an
    :class:`OrganisationResult` (the mode plus coverage, gaps, blocks and the rule that
    decided it), for reports that must say why.

    Examples
    --------
    >>> from gongsheng.analytics.symbiosis import describe_organisation
    >>> res = describe_organisation(
    ...     [("2024-01-01", "2024-05-31", "posts"), ("2024-07-01", "2024-12-31", "posts")],
    ...     window=("2024-01-01", "2024-12-31"),
    ... )
    >>> res.mode.value, res.n_blocks, res.max_gap_days, round(res.coverage, 3)
    ('continuous', 2, 30, 0.918)
    >>> res.reason
    'sustained cooperation without long gaps'
    """
    if not isinstance(window, Sequence) or isinstance(window, str) or len(window) != 2:
        raise ValueError(f"`window` must be a pair (start, end) of dates; got {window!r}")
    w0, w1 = _day(window[0], "window[0]"), _day(window[1], "window[1]")
    if w1 < w0:
        raise ValueError(f"`window` must end on or after its start; got {window!r}")
    for name, v in (("joint_body_share", joint_body_share), ("continuous_share", continuous_share)):
        if not (0 < v <= 1):
            raise ValueError(f"`{name}` must be in (0, 1]; got {v!r}")
    if max_gap_days < 0:
        raise ValueError(f"`max_gap_days` must be >= 0; got {max_gap_days!r}")
    if min_dimensions < 1:
        raise ValueError(f"`min_dimensions` must be >= 1; got {min_dimensions!r}")
    length = w1 - w0 + 1
    spans: list[tuple[int, int]] = []
    dims: set[str] = set()
    joint = 0.0
    for i, rec in enumerate(episodes):
        ep = _episode(rec, i)
        s = _day(ep.start, f"episodes[{i}].start")
        e = w1 if ep.end is None else _day(ep.end, f"episodes[{i}].end")
        if e < s:
            raise ValueError(f"`episodes[{i}]` ends before it starts: {ep.start} > {ep.end}")
        s, e = max(s, w0), min(e, w1)
        if e < s:
            continue  # outside the window
        spans.append((s, e))
        if ep.dimension:
            dims.add(ep.dimension)
        if ep.creates_joint_body:
            joint = max(joint, (e - s + 1) / length)
    if not spans:
        return OrganisationResult(None, 0, 0, 0.0, 0, 0.0, (), Reason("organisation.none"))
    spans.sort()
    blocks = [list(spans[0])]
    for s, e in spans[1:]:
        if s <= blocks[-1][1] + 1:
            blocks[-1][1] = max(blocks[-1][1], e)
        else:
            blocks.append([s, e])
    covered = sum(e - s + 1 for s, e in blocks)
    coverage = covered / length
    gaps = [blocks[k + 1][0] - blocks[k][1] - 1 for k in range(len(blocks) - 1)]
    gap = max(gaps, default=0)
    sustained = coverage >= continuous_share and gap <= max_gap_days
    if joint >= joint_body_share:
        mode, reason = OrganisationMode.INTEGRATED, Reason("organisation.joint_body")
    elif sustained and len(dims) >= min_dimensions:
        mode, reason = OrganisationMode.INTEGRATED, Reason("organisation.dimensions")
    elif sustained:
        mode, reason = OrganisationMode.CONTINUOUS, Reason("organisation.sustained")
    elif len(blocks) >= 2:
        mode, reason = OrganisationMode.INTERMITTENT, Reason("organisation.repeated")
    else:
        mode, reason = OrganisationMode.POINT, Reason("organisation.single")
    return OrganisationResult(
        mode, len(spans), len(blocks), coverage, gap, joint, tuple(sorted(dims)), reason
    )


def classify_organisation(
    episodes: Iterable,
    *,
    window,
    joint_body_share: float = 0.5,
    continuous_share: float = 0.6,
    max_gap_days: int = 90,
    min_dimensions: int = 3,
) -> OrganisationMode | None:
    r"""Organisational symbiosis mode (组织共生模式) of a pair from its cooperation episodes.

    The literature defines the modes in words only (point: one task, then over; intermittent:
    repeated separate tasks; continuous: sustained over time; integrated: a lasting joint body).
    Gongsheng's operational rule, over the window [w0, w1] (days inclusive; episodes clipped to
    it, overlapping or adjacent episodes merged into blocks; coverage = covered days / window
    days; gap = days between consecutive blocks), checked in this order:

    1. **integrated** (一体化共生): one episode that creates a lasting joint body covers
       ≥ ``joint_body_share`` of the window, *or* cooperation is sustained (rule 2) in
       ≥ ``min_dimensions`` distinct dimensions;
    2. **continuous** (连续共生): coverage ≥ ``continuous_share`` and no gap longer than
       ``max_gap_days``;
    3. **intermittent** (间歇共生): ≥ 2 separate blocks;
    4. **point** (点共生): a single block.

    Parameters
    ----------
    episodes : iterable
        :class:`Episode` records, tuples ``(start, end[, dimension[, creates_joint_body]])``
        or mappings with those keys; dates as ``datetime.date``, ``numpy.datetime64`` or ISO
        strings; ``end=None`` = still running.
    window : (date, date)
        The period assessed, e.g. a calendar year.
    joint_body_share : float, optional
        Default 0.5.
    continuous_share : float, optional
        Default 0.6.
    max_gap_days : int, optional
        Default 90.
    min_dimensions : int, optional
        Default 3.

    Returns
    -------
    OrganisationMode or None
        None when no episode overlaps the window.

    Raises
    ------
    ValueError
        For a malformed episode (naming its index), an episode ending before it starts, a bad
        window or thresholds out of range.

    References
    ----------
    .. [1] 袁纯清, 《共生理论——兼论小型经济》, 经济科学出版社, 1998 (组织模式).
    .. [2] 市域产教联合体共生系统 (seed paper 004), §4.2.1.

    Examples
    --------
    >>> import datetime as dt
    >>> from gongsheng.analytics.symbiosis import classify_organisation
    >>> year = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    >>> classify_organisation([(dt.date(2024, 3, 1), dt.date(2024, 4, 30))], window=year).value
    'point'
    >>> classify_organisation(
    ...     [("2024-01-01", "2024-12-31", "training", True)], window=year
    ... ).label
    '一体化共生'
    """
    return describe_organisation(
        episodes,
        window=window,
        joint_body_share=joint_body_share,
        continuous_share=continuous_share,
        max_gap_days=max_gap_days,
        min_dimensions=min_dimensions,
    ).mode
