"""Vectorised parameter sweeps and the cooperation threshold."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from gongsheng.analytics.games._kernels import (
    _corner_eigenvalues,
    _corners,
    _grid_points,
    _run_basins,
)
from gongsheng.analytics.games._models import MODELS, _check_params
from gongsheng.analytics.reasons import Reason


# ---------------------------------------------------------------------------------------
# sweeps
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SweepChange:
    """The set of ESS from ``value`` on (until the next change)."""

    value: float
    ess: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class SweepResult:
    """Result of :func:`sweep`.

    Attributes
    ----------
    model, param : str
        Echo of the inputs.
    values : ndarray, shape (V,)
        Parameter values swept.
    params : dict
        The other parameters, held fixed.
    corners : ndarray, shape (2^k, k)
        Corner states (1 = cooperate / active), in ``itertools.product`` order.
    eigenvalues : ndarray, shape (V, 2^k, k)
        Corner eigenvalues for every value (closed form).
    ess : ndarray of bool, shape (V, 2^k)
        Which corners are ESS at each value.
    n_ess : ndarray of int, shape (V,)
    target : ndarray, shape (k,)
        The cooperative corner asked about.
    target_only : ndarray of bool, shape (V,)
        Whether ``target`` is the only ESS.
    threshold : float
        Smallest parameter value at which ``target`` is the only ESS (refined by bisection
        between the last value where it is not and the first where it is); NaN if never.
    threshold_message : str
    basin_shares : ndarray, shape (V, 2^k), or None
        Share of a coarse grid of starts reaching each corner (with ``basins=True``).
    basin_unassigned : ndarray, shape (V,), or None
    """

    model: str
    param: str
    values: np.ndarray
    params: dict
    corners: np.ndarray
    eigenvalues: np.ndarray = field(repr=False)
    ess: np.ndarray = field(repr=False)
    n_ess: np.ndarray = field(repr=False)
    target: np.ndarray = field(repr=False)
    target_only: np.ndarray = field(repr=False)
    threshold: float = float("nan")
    threshold_message: str = ""
    basin_shares: np.ndarray | None = field(default=None, repr=False)
    basin_unassigned: np.ndarray | None = field(default=None, repr=False)

    def changes(self) -> list[SweepChange]:
        """The values (in increasing order) at which the set of ESS changes, with the new set."""
        order = np.argsort(self.values, kind="stable")
        out: list[SweepChange] = []
        prev = None
        for i in order:
            cur = tuple(tuple(int(v) for v in c) for c in self.corners[self.ess[i]])
            if cur != prev:
                out.append(SweepChange(float(self.values[i]), cur))
                prev = cur
        return out


def _target_only(builder, params, param, values, target_idx, tol):
    p = dict(params)
    p[param] = values
    P = builder(**p)
    eig = _corner_eigenvalues(P)
    ess = np.all(eig < -tol, axis=2)
    only = ess[:, target_idx] & (ess.sum(axis=1) == 1)
    return eig, ess, only


def sweep(
    model: str,
    param: str,
    values,
    *,
    params: Mapping[str, float],
    target=None,
    basins: bool = False,
    grid: int = 5,
    t_max: float | None = None,
    tol: float = 1e-12,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SweepResult:
    r"""How the ESS and their basins change as one parameter of a standard model varies.

    The corner eigenvalues λ_p = U_p(p deviates) − U_p(corner) are computed in closed form for
    all values at once (vectorised); a corner is an ESS where all λ_p < 0. The policy question
    "how large must the subsidy be?" is answered by ``threshold``: the smallest value at which
    the cooperative corner (all cooperate[, government active]) is the only ESS, refined by
    bisection on the closed form between the bracketing values swept.

    Parameters
    ----------
    model : {"school_enterprise", "government_school_enterprise"}
    param : str
        The parameter varied (one of the model's keyword arguments).
    values : array_like, shape (V,)
        Its values.
    params : mapping
        All the other parameters of the model (fixed).
    target : sequence of {0, 1}, optional
        The corner asked about in the threshold; default all ones (cooperate[, active]).
    basins : bool, optional
        Also simulate a ``grid``^k grid of starting points for every value (one vectorised ODE
        system per chunk) and report basin shares. Costs far more than the closed form.
    grid : int, optional
        Points per axis for ``basins`` (default 5).
    t_max : float, optional
        Integration time for ``basins`` (default: from the slowest ESS rate).
    tol : float, optional
        λ < −tol counts as negative.
    chunk_size : int, optional
        Process values in chunks of this size (for progress reports); default all at once
        (basins: 200).
    progress : callable, optional
        ``progress(done, total)`` called after each chunk.

    Returns
    -------
    SweepResult

    Raises
    ------
    ValueError
        For an unknown model (listing the allowed ones), an unknown or missing parameter, a
        ``param`` also given in ``params``, values that are not finite or not 1-D, a bad
        ``target``.

    References
    ----------
    .. [1] Friedman, D. Econometrica 59(3) (1991) 637-666, doi:10.2307/2938222.

    Examples
    --------
    >>> import numpy as np
    >>> from gongsheng.analytics.games import DEFAULT_PARAMETERS, sweep
    >>> base = dict(DEFAULT_PARAMETERS["school_enterprise"])
    >>> del base["g_e"]
    >>> res = sweep("school_enterprise", "g_e", np.arange(0, 3.1, 0.2), params=base)
    >>> round(res.threshold, 6)   # (0, 0) stops being an ESS once G_e + T + F > C_e
    2.5
    >>> [(c.value, c.ess) for c in res.changes()]
    [(0.0, ((0, 0), (1, 1))), (2.6, ((1, 1),))]
    """
    if model not in MODELS:
        raise ValueError(f"`model` must be one of {tuple(MODELS)}; got {model!r}")
    builder, names, _, _ = MODELS[model]
    k = len(MODELS[model][2])
    if param not in names:
        raise ValueError(f"`param` must be one of {names}; got {param!r}")
    if param in params:
        raise ValueError(f"`params` must not contain the swept parameter {param!r}")
    fixed = _check_params(model, {**params, param: 0.5 if param == "alpha" else 0.0})
    fixed.pop(param)
    vals = np.asarray(values, dtype=float)
    if vals.ndim != 1 or vals.size == 0:
        raise ValueError(f"`values` must be a non-empty 1-D array; got shape {vals.shape}")
    if not np.all(np.isfinite(vals)):
        raise ValueError("`values` must be finite; got NaN or inf")
    if param == "alpha" and (vals.min() < 0 or vals.max() > 1):
        raise ValueError("`values` of `alpha` must be in [0, 1]")
    corners = _corners(k)
    tgt = np.ones(k) if target is None else np.asarray(target, dtype=float)
    if tgt.shape != (k,) or not np.all(np.isin(tgt, (0, 1))):
        raise ValueError(f"`target` must be {k} values in {{0, 1}}; got {target!r}")
    t_idx = int(np.flatnonzero(np.all(corners == tgt, axis=1))[0])
    V = vals.size
    step = chunk_size or (200 if basins else V)
    if step < 1:
        raise ValueError(f"`chunk_size` must be >= 1; got {chunk_size!r}")
    eig = np.empty((V, len(corners), k))
    shares = np.empty((V, len(corners))) if basins else None
    unassigned = np.empty(V) if basins else None
    starts = _grid_points(grid, k) if basins else None
    for lo in range(0, V, step):
        hi = min(lo + step, V)
        p = dict(fixed)
        p[param] = vals[lo:hi]
        P = builder(**p)
        eig[lo:hi] = _corner_eigenvalues(P)
        if shares is not None and unassigned is not None:
            _, labels, _, _, _ = _run_basins(
                P, starts, t_max=t_max, tol=0.02, max_nfev=50_000, ess_tol=tol
            )
            for c in range(len(corners)):
                shares[lo:hi, c] = np.mean(labels == c, axis=1)
            unassigned[lo:hi] = np.mean(labels < 0, axis=1)
        if progress is not None:
            progress(hi, V)
    ess = np.all(eig < -tol, axis=2)
    only = ess[:, t_idx] & (ess.sum(axis=1) == 1)
    threshold, msg = _threshold(builder, fixed, param, vals, only, t_idx, tol)
    return SweepResult(
        model,
        param,
        vals,
        {n: float(v) for n, v in fixed.items()},
        corners,
        eig,
        ess,
        ess.sum(axis=1),
        tgt,
        only,
        threshold,
        msg,
        shares,
        unassigned,
    )


def _threshold(builder, fixed, param, vals, only, t_idx, tol):
    order = np.argsort(vals, kind="stable")
    sv, so = vals[order], only[order]
    hits = np.flatnonzero(so)
    if hits.size == 0:
        return float("nan"), Reason(
            "game.no_threshold", param=param, low=float(sv[0]), high=float(sv[-1])
        )
    i = int(hits[0])
    if i == 0:
        return float(sv[0]), Reason("game.threshold_at_start", param=param, value=float(sv[0]))
    a, b = float(sv[i - 1]), float(sv[i])
    for _ in range(200):
        mid = 0.5 * (a + b)
        if mid in (a, b):
            break
        if _target_only(builder, fixed, param, np.array([mid]), t_idx, tol)[2][0]:
            b = mid
        else:
            a = mid
    code = "game.threshold" if np.all(so[i:]) else "game.threshold_not_after"
    return b, Reason(code, param=param, value=b)


def cooperation_threshold(
    model: str,
    param: str,
    *,
    params: Mapping[str, float],
    bracket: tuple[float, float],
    target=None,
    num: int = 1001,
) -> float:
    r"""Smallest value of ``param`` in ``bracket`` at which the cooperative corner is the only ESS.

    The policy designer's question ("how large must the subsidy / penalty be?"), answered by a
    vectorised :func:`sweep` over ``num`` values in ``bracket`` followed by bisection on the
    closed-form corner eigenvalues between the bracketing values.

    Parameters
    ----------
    model, param, params, target
        As in :func:`sweep`.
    bracket : (float, float)
        Range searched, lo < hi.
    num : int, optional
        Grid values before bisection (default 1001).

    Returns
    -------
    float
        The threshold, NaN if the corner is never the only ESS in ``bracket``; ``bracket[0]``
        if it already is at the lower end.

    Examples
    --------
    >>> from gongsheng.analytics.games import DEFAULT_PARAMETERS, cooperation_threshold
    >>> base = {k: v for k, v in DEFAULT_PARAMETERS["government_school_enterprise"].items()
    ...         if k != "p_e"}
    >>> round(cooperation_threshold("government_school_enterprise", "p_e", params=base,
    ...                             bracket=(0, 10)), 9)   # C_e − G_e − T
    2.5
    """
    try:
        lo, hi = (float(v) for v in bracket)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"`bracket` must be a pair (lo, hi); got {bracket!r}") from exc
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"`bracket` must be finite with lo < hi; got {bracket!r}")
    if int(num) < 2:
        raise ValueError(f"`num` must be >= 2; got {num!r}")
    return sweep(
        model, param, np.linspace(lo, hi, int(num)), params=params, target=target
    ).threshold
