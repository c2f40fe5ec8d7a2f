"""The numbers of a study: builds the game from the coalition values and calls
``gongsheng.analytics.allocation`` and ``gongsheng.analytics.evaluation`` (no model is
re-implemented here; this module only arranges inputs and outputs).

Framework-free (NumPy only) so the tests can check it against hand-computed games.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gongsheng.analytics.allocation import (
    MAX_EXACT_PLAYERS,
    core_check,
    modified_shapley,
    nash_bargaining,
    shapley,
    shapley_monte_carlo,
)
from gongsheng.analytics.evaluation import ahp, entropy_weights
from gongsheng.analytics.reasons import Reason

#: a unit's benefit share differing from its input share by more than this is flagged
RECIPROCITY_TOLERANCE = 0.05
FACTORS = ("risk", "input", "effort")


@dataclass
class GameInput:
    """Everything the computation needs, in plain Python numbers."""

    labels: list[str]
    total: float
    values: dict[int, float]  # mask -> v(S); the grand coalition is ``total``
    pairwise: bool = False
    inputs: list[float] = field(default_factory=list)
    risk: list[float | None] = field(default_factory=list)
    effort: list[float | None] = field(default_factory=list)
    powers: list[float | None] = field(default_factory=list)
    weight_method: str = "equal"
    ahp_matrix: Sequence[Sequence[float]] | None = None
    samples: int = 2000
    seed: int = 1
    max_exact: int = MAX_EXACT_PLAYERS

    @property
    def n(self) -> int:
        return len(self.labels)


def pairwise_terms(n: int, values: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    r"""Singleton values and pair synergies of a pairwise (graph) game.

    Parameters
    ----------
    n : int
        Number of players.
    values : dict of int to float
        v(S) by bitmask; must hold every singleton and every pair.

    Returns
    -------
    a : ndarray, shape (n,)
        :math:`a_i = v(\{i\})`.
    e : ndarray, shape (n, n)
        Symmetric, zero diagonal: :math:`e_{ij} = v(\{i, j\}) - a_i - a_j`.

    Notes
    -----
    The pairwise game is :math:`v(S) = \sum_{i \in S} a_i + \sum_{i < j \in S} e_{ij}`,
    the second-order part of the game's Harsanyi decomposition (dividends of coalitions of
    three or more taken as 0).

    References
    ----------
    .. [1] Harsanyi, J. C. (1963). A simplified bargaining model for the n-person
       cooperative game. International Economic Review, 4(2), 194-220.
       https://doi.org/10.2307/2525487
    .. [2] Deng, X., & Papadimitriou, C. H. (1994). On the complexity of cooperative
       solution concepts. Mathematics of Operations Research, 19(2), 257-266.
       https://doi.org/10.1287/moor.19.2.257

    Examples
    --------
    >>> a, e = pairwise_terms(2, {1: 1.0, 2: 2.0, 3: 5.0})
    >>> a.tolist(), e.tolist()
    ([1.0, 2.0], [[0.0, 2.0], [2.0, 0.0]])
    """
    a = np.array([values[1 << i] for i in range(n)], dtype=np.float64)
    e = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            e[i, j] = e[j, i] = values[(1 << i) | (1 << j)] - a[i] - a[j]
    return a, e


def game_array(g: GameInput) -> np.ndarray:
    r"""The characteristic function as an array of length 2**n indexed by bitmask.

    Parameters
    ----------
    g : GameInput
        Every coalition's value (full game) or singletons and pairs (``g.pairwise``).

    Returns
    -------
    v : ndarray, shape (2**n,)
        :math:`v(\emptyset) = 0` and :math:`v(N)` = ``g.total``.

    Notes
    -----
    A pairwise game, :math:`v(S) = \sum_{i \in S} a_i + \sum_{i<j \in S} e_{ij}`
    (:func:`pairwise_terms`), is built by one vectorised doubling per player:
    :math:`v(S \cup \{i\}) = v(S) + a_i + \sum_{j \in S} e_{ij}` for every *S* within the
    players below *i*, so the cost is :math:`O(2^n)` without a loop over coalitions.

    References
    ----------
    .. [1] Harsanyi, J. C. (1963). A simplified bargaining model for the n-person
       cooperative game. International Economic Review, 4(2), 194-220.
       https://doi.org/10.2307/2525487

    Examples
    --------
    >>> g = GameInput(labels=["a", "b"], total=5.0, values={1: 1.0, 2: 2.0, 3: 4.0})
    >>> game_array(g).tolist()
    [0.0, 1.0, 2.0, 5.0]
    """
    n = g.n
    if not g.pairwise:
        v = np.zeros(1 << n)
        for mask, val in g.values.items():
            v[mask] = val
    else:
        a, e = pairwise_terms(n, g.values)
        v = np.zeros(1 << n)
        for i in range(n):
            low = np.zeros(1 << i)  # Σ_{j∈S} e_ij for S within the first i players
            for j in range(i):
                np.add(low[: 1 << j], e[i, j], out=low[1 << j : 2 << j])
            v[1 << i : 2 << i] = v[: 1 << i] + a[i] + low
    v[-1] = g.total
    return v


def game_callable(g: GameInput):  # type: ignore[no-untyped-def]
    r"""The pairwise game as a batch function for Monte Carlo sampling.

    Parameters
    ----------
    g : GameInput
        A pairwise game (singletons and pairs).

    Returns
    -------
    v : callable
        ``v(coalitions)`` for a boolean array of shape (k, n): the k values
        :math:`c^\top a + \tfrac12 c^\top E c` (row *c* a coalition's indicator), with
        :math:`v(N)` = ``g.total``; as :func:`shapley_monte_carlo` expects.

    References
    ----------
    .. [1] Castro, J., Gómez, D., & Tejada, J. (2009). Polynomial calculation of the Shapley
       value based on sampling. Computers & Operations Research, 36(5), 1726-1730.
       https://doi.org/10.1016/j.cor.2008.04.004

    Examples
    --------
    >>> import numpy as np
    >>> g = GameInput(labels=list("abc"), total=9.0,
    ...               values={1: 1.0, 2: 1.0, 4: 1.0, 3: 3.0, 5: 2.0, 6: 2.0})
    >>> game_callable(g)(np.array([[1, 1, 0], [1, 1, 1]], dtype=bool)).tolist()
    [3.0, 9.0]
    """
    a, e = pairwise_terms(g.n, g.values)
    half = 0.5 * e

    def v(coalitions: np.ndarray) -> np.ndarray:
        c = coalitions.astype(np.float64)
        out = c @ a + np.einsum("ki,ij,kj->k", c, half, c)
        out[coalitions.all(axis=1)] = g.total
        return out

    return v


def _method_row(values: np.ndarray, total: float, input_shares: np.ndarray | None) -> dict:
    shares = values / total if total else np.full_like(values, np.nan)
    row: dict[str, Any] = {"values": values.tolist(), "shares": shares.tolist()}
    if input_shares is not None:
        gaps = shares - input_shares
        row["gaps"] = gaps.tolist()
        row["flags"] = (np.abs(gaps) > RECIPROCITY_TOLERANCE).tolist()
    return row


def _core(v: np.ndarray | None, x: np.ndarray) -> dict | None:
    if v is None:
        return None
    r = core_check(v, x, atol=1e-6 * max(1.0, float(np.abs(v).max())))
    return {
        "in_core": r.in_core,
        "individually_rational": r.individually_rational,
        "blocking": sorted(r.most_violated) if not r.in_core and r.max_excess > r.atol else [],
        "excess": None if not np.isfinite(r.max_excess) else r.max_excess,
    }


def compute(g: GameInput) -> dict[str, Any]:
    r"""Every sharing rule side by side, with its core check and reciprocity gaps.

    Parameters
    ----------
    g : GameInput
        The game, the total, the factors, the weights and the Monte Carlo settings.

    Returns
    -------
    results : dict
        ``labels``, ``total``, ``exact``, ``samples``, ``inputs``, ``input_shares``,
        ``tolerance`` and ``methods``: for ``shapley``, ``modified``, ``nash`` and ``input``
        either ``values``, ``shares`` (value / total), ``gaps`` (share − input share),
        ``flags`` (|gap| > tolerance), ``core`` (``in_core``, ``blocking`` coalition and its
        ``excess``; None beyond the exact limit) and the method's own details (standard
        errors, weights with AHP's CR, disagreement points and powers), or ``error``: why it
        could not be computed (factors not entered, Σ d > V ...). The others are still given.

    Notes
    -----
    Shapley :math:`\phi` by :func:`~gongsheng.analytics.allocation.shapley` up to
    ``max_exact`` players, else :func:`~gongsheng.analytics.allocation.shapley_monte_carlo`;
    modified Shapley :math:`\phi'_i = \phi_i + (K_i - 1/n)V` with
    :math:`K_i = \sum_k \lambda_k f_{ik}/\sum_j f_{jk}` over risk, input and effort and
    :math:`\lambda` equal, by AHP or by entropy weights; Nash
    :math:`u_i = d_i + \beta_i/\sum\beta\,(V - \sum d)` with :math:`d_i = v(\{i\})`; the
    input rule :math:`x_i = V\,\text{in}_i/\sum \text{in}`. Symmetric reciprocity compares
    each unit's share of benefit with its share of input.

    References
    ----------
    .. [1] Shapley, L. S. (1953). A value for n-person games. Contributions to the Theory of
       Games II, 307-317. https://doi.org/10.1515/9781400881970-018
    .. [2] 戴建华, 薛恒新. 基于Shapley值法的动态联盟伙伴企业利益分配策略. 中国管理科学, 2004,
       12(4): 33-36.
    .. [3] Nash, J. F. (1950). The bargaining problem. Econometrica, 18(2), 155-162.
       https://doi.org/10.2307/1907266

    Examples
    --------
    >>> glove = GameInput(labels=["L", "R1", "R2"], total=1.0,
    ...                   values={1: 0, 2: 0, 4: 0, 3: 1, 5: 1, 6: 0, 7: 1})
    >>> r = compute(glove)
    >>> [round(x * 6, 9) for x in r["methods"]["shapley"]["values"]]
    [4.0, 1.0, 1.0]
    >>> r["methods"]["shapley"]["core"]["blocking"]
    [0, 1]
    """
    n, total = g.n, float(g.total)
    exact = n <= g.max_exact
    v = game_array(g) if exact else None
    inputs = np.asarray(g.inputs, dtype=np.float64) if g.inputs else np.zeros(n)
    input_shares = inputs / inputs.sum() if inputs.sum() > 0 else None
    out: dict[str, Any] = {
        "labels": list(g.labels),
        "total": total,
        "exact": exact,
        "samples": None if exact else g.samples,
        "inputs": inputs.tolist(),
        "input_shares": None if input_shares is None else input_shares.tolist(),
        "tolerance": RECIPROCITY_TOLERANCE,
        "methods": {},
    }
    methods = out["methods"]

    # Shapley
    if exact:
        phi = shapley(v)
        se = None
    else:
        samples = g.samples + (g.samples % 2)
        mc = shapley_monte_carlo(game_callable(g), n, samples=samples, seed=g.seed)
        phi, se = mc.values, mc.standard_errors.tolist()
    row = _method_row(phi, total, input_shares)
    row["standard_errors"] = se
    row["core"] = _core(v, phi)
    methods["shapley"] = row

    # modified Shapley: risk (entered), input (ledger), effort (entered)
    missing = [
        Reason(f"allocation.missing_{name}", player=g.labels[i])
        for name, col in (("risk", g.risk), ("effort", g.effort))
        for i in range(n)
        if i >= len(col) or col[i] is None
    ]
    if missing:
        methods["modified"] = _error(Reason("allocation.not_entered", missing=missing))
    else:
        F = np.column_stack([np.asarray(g.risk, float), inputs, np.asarray(g.effort, float)])
        try:
            weights_info: dict[str, Any] = {"method": g.weight_method}
            if g.weight_method == "ahp":
                if g.ahp_matrix is None:
                    raise ValueError("the AHP pairwise matrix is not entered")
                r = ahp(np.asarray(g.ahp_matrix, dtype=np.float64))
                lam = r.weights
                weights_info.update(
                    cr=r.cr, ci=r.ci, lambda_max=r.lambda_max, consistent=r.consistent
                )
            elif g.weight_method == "entropy":
                lam = entropy_weights(F)
            else:
                lam = np.full(3, 1 / 3)
            weights_info["weights"] = dict(zip(FACTORS, np.asarray(lam).tolist(), strict=True))
            mod = modified_shapley(phi, total, F, factor_weights=lam)
            row = _method_row(mod, total, input_shares)
            row["weights"] = weights_info
            row["core"] = _core(v, mod)
            methods["modified"] = row
        except ValueError as exc:
            methods["modified"] = _error(exc)

    # Nash bargaining: disagreement = singleton values
    d = np.array([g.values[1 << i] for i in range(n)], dtype=np.float64)
    entered = [p for p in g.powers if p is not None]
    try:
        if entered and len(entered) != n:
            names = [g.labels[i] for i, p in enumerate(g.powers) if p is None]
            raise ValueError(Reason("allocation.powers_partial", players=", ".join(names)))
        powers = np.asarray(g.powers, dtype=np.float64) if entered else None
        nb = nash_bargaining(total, d, powers=powers)
        row = _method_row(nb, total, input_shares)
        row["disagreement"] = d.tolist()
        row["powers"] = None if powers is None else powers.tolist()
        row["core"] = _core(v, nb)
        methods["nash"] = row
    except ValueError as exc:
        methods["nash"] = _error(exc)

    # share of input (the symmetric-reciprocity reference itself)
    if input_shares is not None:
        row = _method_row(input_shares * total, total, input_shares)
        row["core"] = _core(v, input_shares * total)
        methods["input"] = row
    else:
        methods["input"] = _error(Reason("allocation.no_inputs"))
    return out


def _error(why: Any) -> dict[str, Any]:
    """A method's row without a result: ``error``, the English line (as the API always gave
    it), and ``error_code``, the reason's code and parameters that pages and the API render in
    the reader's language (decision 0808); an analytics error without a code keeps its line."""
    reason = why.args[0] if isinstance(why, Exception) and why.args else why
    if isinstance(reason, Reason):
        return {"error": str(reason), "error_code": reason.as_dict()}
    return {"error": str(why)}
