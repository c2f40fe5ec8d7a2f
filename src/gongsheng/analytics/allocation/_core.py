"""Is the core empty? The least core and the nucleolus by linear programming."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from ._games import as_game, coalition_sizes

__all__ = ["EXCESS_KINDS", "LP_MAX_PLAYERS", "LeastCoreResult", "least_core", "nucleolus"]

#: the linear programs have one row per coalition (2**n − 2): 16,382 rows at n = 14
LP_MAX_PLAYERS = 14

EXCESS_KINDS = ("absolute", "per_capita")


@dataclass(frozen=True, eq=False)
class LeastCoreResult:
    """Result of :func:`least_core`.

    Attributes
    ----------
    epsilon : float
        ε*, the least ε for which {x : x(N) = v(N), x(S) ≥ v(S) − ε·c(S)} is non-empty
        (c(S) = 1, or |S| per capita).
    core_empty : bool
        ε* > ``atol``: no allocation satisfies every coalition.
    allocation : ndarray, shape (n,)
        A point of the least core (the nucleolus if asked for, else the LP's vertex).
    excess : str
        ``"absolute"`` or ``"per_capita"``.
    nucleolus : bool
        Whether ``allocation`` is the nucleolus.
    """

    epsilon: float
    core_empty: bool
    allocation: np.ndarray
    excess: str
    nucleolus: bool


def _check(values, excess: str):
    if excess not in EXCESS_KINDS:
        raise ValueError(f"`excess` must be one of 'absolute', 'per_capita'; got {excess!r}")
    v, n = as_game(values, max_players=LP_MAX_PLAYERS)
    masks = np.arange(1, (1 << n) - 1)
    members = ((masks[:, None] >> np.arange(n)) & 1).astype(np.float64)  # one row per S
    weight = np.ones(masks.size)
    if excess == "per_capita":
        weight = coalition_sizes(n)[masks].astype(np.float64)
    return v, n, masks, members, weight


def _solve(v, n, members, weight, free, fixed_eps):
    """min ε s.t. x(S) + c(S)ε ≥ v(S) for free S, x(S) + c(S)ε_S = v(S) for fixed S."""
    c = np.zeros(n + 1)
    c[-1] = 1.0
    vs = v[1:-1]
    A_ub = -np.column_stack([members[free], weight[free]])
    b_ub = -vs[free]
    fixed = ~free
    A_eq = np.vstack(
        [np.append(np.ones(n), 0.0), np.column_stack([members[fixed], 0 * weight[fixed]])]
    )
    b_eq = np.concatenate([[v[-1]], vs[fixed] - weight[fixed] * fixed_eps[fixed]])
    res = linprog(
        c, A_ub=A_ub if free.any() else None, b_ub=b_ub if free.any() else None,
        A_eq=A_eq, b_eq=b_eq, bounds=[(None, None)] * (n + 1), method="highs",
    )  # fmt: skip
    if res.status != 0:  # bounded and feasible by construction; report rather than guess
        raise ValueError(f"the least-core linear program failed: {res.message}")
    return res


def least_core(values, *, excess="absolute", atol=1e-9):
    r"""Decide whether the core is empty and give the least core's ε* and a point of it.

    Parameters
    ----------
    values : array_like of length 2**n, or mapping
        The characteristic function, as for :func:`shapley` (n ≤ 14 here).
    excess : {"absolute", "per_capita"}, optional
        Relax every coalition by ε (default) or by ε·|S| (the per-capita least core).
    atol : float, optional
        ε* above ``atol`` means the core is empty.

    Returns
    -------
    result : LeastCoreResult
        ``epsilon``, ``core_empty``, ``allocation`` (a vertex of the least core),
        the options used.

    Raises
    ------
    ValueError
        As :func:`shapley` for ``values``; more than 14 players; an unknown ``excess``.

    Notes
    -----
    One linear program (``scipy.optimize.linprog``, HiGHS):

    .. math::

        \min_{x, \varepsilon} \varepsilon \quad \text{s.t.}\quad x(N) = v(N),\quad
        x(S) + c(S)\,\varepsilon \ge v(S)\ \ \forall S \ne \emptyset, N,

    with c(S) = 1 (or |S|). The core is non-empty iff ε* ≤ 0 (Bondareva–Shapley);
    for ε* ≤ 0 the least core is the part of the core farthest from the boundary.
    For n = 1 there is no proper coalition: ε* = −inf and x = (v(N),).

    References
    ----------
    .. [1] Maschler, M., Peleg, B., Shapley, L. S. (1979). Geometric properties of the
       kernel, nucleolus, and related solution concepts. Mathematics of Operations
       Research, 4(4), 303-338. https://doi.org/10.1287/moor.4.4.303
    .. [2] Grotte, J. H. (1970). Computation of and observations on the nucleolus, the
       normalized nucleolus and the central games. M.Sc. thesis, Cornell University
       (per-capita excess).

    Examples
    --------
    >>> from gongsheng.analytics.allocation import least_core
    >>> majority = [0, 0, 0, 1, 0, 1, 1, 1]     # any two of three players win 1
    >>> r = least_core(majority)
    >>> r.core_empty, round(r.epsilon, 12)
    (True, 0.333333333333)
    """
    v, n, _masks, members, weight = _check(values, excess)
    if n == 1:
        return LeastCoreResult(-np.inf, False, np.array([v[-1]]), excess, False)
    free = np.ones(members.shape[0], dtype=bool)
    res = _solve(v, n, members, weight, free, np.zeros(members.shape[0]))
    eps = float(res.x[-1])
    return LeastCoreResult(eps + 0.0, eps > atol, res.x[:n] + 0.0, excess, False)


def nucleolus(values, *, excess="absolute", atol=1e-9) -> LeastCoreResult:
    r"""The nucleolus (or per-capita nucleolus) by a sequence of linear programs.

    Parameters and result as :func:`least_core`; ``allocation`` is the nucleolus,
    ``epsilon`` the least-core value ε₁ of the first program.

    Notes
    -----
    The allocation that lexicographically minimises the excesses sorted from the largest
    down (Schmeidler 1969). Program k minimises ε over the coalitions not yet fixed, the
    fixed ones held at their earlier ε; a coalition with a non-zero dual multiplier is
    tight in every optimum (complementary slackness) and becomes fixed, and so does every
    coalition whose indicator lies in the span of the fixed ones and N (its excess is then
    determined). The rank grows each round, so at most n − 1 programs are solved.

    References
    ----------
    .. [1] Schmeidler, D. (1969). The nucleolus of a characteristic function game. SIAM
       Journal on Applied Mathematics, 17(6), 1163-1170. https://doi.org/10.1137/0117107
    .. [2] Maschler, M., Peleg, B., Shapley, L. S. (1979), see :func:`least_core`.

    Examples
    --------
    >>> from gongsheng.analytics.allocation import nucleolus
    >>> [round(float(x), 6) for x in nucleolus([0, 1, 1, 3]).allocation]
    [1.5, 1.5]
    """
    v, n, _masks, members, weight = _check(values, excess)
    if n == 1:
        return LeastCoreResult(-np.inf, False, np.array([v[-1]]), excess, True)
    k = members.shape[0]
    free = np.ones(k, dtype=bool)
    eps_of = np.zeros(k)
    first = None
    basis = np.ones((1, n))
    x = np.zeros(n)
    while True:
        res = _solve(v, n, members, weight, free, eps_of)
        eps, x = float(res.x[-1]), res.x[:n]
        first = eps if first is None else first
        duals = np.zeros(k)
        duals[free] = np.abs(res.ineqlin.marginals)
        tight = free & (duals > 1e-9)
        if not tight.any():  # degenerate duals: fix every coalition tight at this optimum
            slack = members @ x + weight * eps - v[1:-1]
            tight = free & (np.abs(slack) <= 1e-9 * max(1.0, float(np.abs(v).max())))
        eps_of[tight] = eps
        free &= ~tight
        basis = np.vstack([basis, members[tight]])
        _u, sv, vt = np.linalg.svd(basis, full_matrices=False)
        Q = vt[sv > 1e-9 * sv[0]]  # orthonormal rows spanning N and the fixed coalitions
        if Q.shape[0] >= n or not free.any():
            break
        # coalitions in the span of the fixed ones have a determined excess: fix them too
        rows = members[free]
        in_span = np.linalg.norm(rows - (rows @ Q.T) @ Q, axis=1) <= 1e-9
        idx = np.flatnonzero(free)[in_span]
        if idx.size:
            eps_of[idx] = (v[1:-1][idx] - members[idx] @ x) / weight[idx]
            free[idx] = False
        if not free.any():
            break
    return LeastCoreResult(first + 0.0, first > atol, x + 0.0, excess, True)
