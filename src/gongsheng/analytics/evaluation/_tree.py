"""Multi-level indicator systems: weights per group, scores at every level, vetoes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from scipy.stats import rankdata

from ._ahp import AHPResult, ahp
from ._common import as_matrix, check_choice
from ._indicators import WEIGHT_METHODS, Indicator, TreeEvaluation
from ._weights import critic_weights, entropy_weights

__all__ = ["WEIGHT_METHODS", "Indicator", "IndicatorTree", "TreeEvaluation"]


class IndicatorTree:
    r"""A multi-level indicator system applied to entities x leaf indicators.

    Parameters
    ----------
    indicators : iterable of Indicator
        Every node; parents may come before or after their children. The
        order of appearance fixes the order of siblings and of the leaves
        (the columns of ``X`` in :meth:`evaluate`).
    method : str or None, optional
        Weighting method of the top-level group (same choices and default as
        :attr:`Indicator.method`).
    pairwise : array_like, optional
        AHP matrix of the top-level group when ``method == "ahp"``.
    ahp_method : str, optional
        Passed to :func:`ahp` for every AHP group (default ``"eigenvector"``).
    ri : str or float, optional
        Passed to :func:`ahp` (default ``"saaty"``).

    Raises
    ------
    ValueError
        On duplicate codes, unknown parents, cycles, veto or direction set on
        an inner node, missing given weights, or a pairwise matrix that is
        missing, not reciprocal or of the wrong size for its group.

    Notes
    -----
    :meth:`evaluate` normalises each leaf column (min-max with direction by
    default), then works up the tree: the weights :math:`w_c` of a group of
    siblings come from its method, applied (for ``"entropy"`` and
    ``"critic"``) to the siblings' scores, and the parent's score is
    :math:`s_p = \sum_{c} w_c s_c`. The global weight of a leaf is the product
    of the local weights on its path. Veto (否定性) indicators are judged on the
    raw values.

    References
    ----------
    .. [1] Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill.

    Examples
    --------
    >>> from gongsheng.analytics.evaluation import Indicator, IndicatorTree
    >>> tree = IndicatorTree([
    ...     Indicator("A", "师资", weight=0.6),
    ...     Indicator("B", "安全", weight=0.4),
    ...     Indicator("A1", "双师比例", parent="A"),
    ...     Indicator("A2", "生师比", parent="A", direction="cost"),
    ...     Indicator("B1", "安全事故", parent="B", direction="cost", veto=True, threshold=0),
    ... ])
    >>> tree.leaf_codes
    ('A1', 'A2', 'B1')
    >>> r = tree.evaluate([[0.8, 15, 0], [0.6, 12, 0], [0.9, 14, 1]])
    >>> r.overall.round(3).tolist(), r.passed.tolist(), r.ranks.tolist()
    ([0.6, 0.7, 0.4], [True, True, False], [2, 1, 3])
    """

    def __init__(
        self,
        indicators: Iterable[Indicator],
        *,
        method: str | None = None,
        pairwise=None,
        ahp_method: str = "eigenvector",
        ri: str | float = "saaty",
    ) -> None:
        nodes = list(indicators)
        if not nodes:
            raise ValueError("`indicators` must not be empty")
        for node in nodes:
            if not isinstance(node, Indicator):
                raise ValueError(f"`indicators` must hold Indicator objects; got {node!r}")
        codes = [node.code for node in nodes]
        seen: set[str] = set()
        for code in codes:
            if code in seen:
                raise ValueError(f"`indicators` has duplicate code {code!r}")
            seen.add(code)
        by_code = {node.code: node for node in nodes}
        for node in nodes:
            if node.parent is not None and node.parent not in by_code:
                raise ValueError(f"indicator {node.code!r} has unknown parent {node.parent!r}")
        for node in nodes:  # walk up: a path longer than the tree is a cycle
            current, steps = node, 0
            while current.parent is not None:
                current, steps = by_code[current.parent], steps + 1
                if steps > len(nodes):
                    raise ValueError(f"`indicators` has a cycle through {node.code!r}")
        if method is not None:
            check_choice(method, "method", WEIGHT_METHODS)
        self.indicators: tuple[Indicator, ...] = tuple(nodes)
        self.codes: tuple[str, ...] = tuple(codes)
        self.groups: dict[str | None, tuple[str, ...]] = {}
        for node in nodes:
            self.groups.setdefault(node.parent, ())
            self.groups[node.parent] += (node.code,)
        self.leaf_codes: tuple[str, ...] = tuple(c for c in codes if c not in self.groups)
        for node in nodes:
            if node.code in self.groups and (node.veto or node.direction != "benefit"):
                raise ValueError(
                    f"indicator {node.code!r} has children: `veto` and `direction` apply to "
                    "leaves only"
                )
        self._by_code = by_code
        self.ahp_method, self.ri = ahp_method, ri
        self.group_methods: dict[str | None, str] = {}
        self.consistency: dict[str | None, AHPResult] = {}
        self._given: dict[str | None, np.ndarray] = {}
        for parent, children in self.groups.items():
            if parent is None:
                meth, matrix = method, pairwise
            else:
                meth, matrix = by_code[parent].method, by_code[parent].pairwise
            weights = [by_code[c].weight for c in children]
            if meth is None:
                meth = "given" if all(w is not None for w in weights) else "equal"
            label = "the top level" if parent is None else f"group {parent!r}"
            if meth == "given":
                if any(w is None for w in weights):
                    missing = [c for c, w in zip(children, weights) if w is None]
                    raise ValueError(f"{label} uses given weights, but {missing} have none")
                w = np.asarray(weights, dtype=np.float64)
                if not w.sum() > 0:
                    raise ValueError(f"{label}: given weights must have a positive sum")
                self._given[parent] = w / w.sum()
            elif meth == "ahp":
                if matrix is None:
                    raise ValueError(f"{label} uses AHP but has no pairwise matrix")
                A = np.asarray(matrix, dtype=np.float64)
                k = len(children)
                if A.shape != (k, k):
                    raise ValueError(
                        f"{label}: the pairwise matrix must be {k} x {k} (children "
                        f"{list(children)}); got {A.shape}"
                    )
                try:
                    self.consistency[parent] = ahp(A, method=ahp_method, ri=ri)
                except ValueError as exc:
                    raise ValueError(f"{label}: {exc}") from None
                self._given[parent] = self.consistency[parent].weights
            self.group_methods[parent] = meth
        # inner nodes, deepest first, so that children are scored before parents
        depth = {}
        for code in codes:
            d, current = 0, by_code[code]
            while current.parent is not None:
                d, current = d + 1, by_code[current.parent]
            depth[code] = d
        self._inner_bottom_up = sorted(
            (c for c in codes if c in self.groups), key=lambda c: -depth[c]
        )

    def __repr__(self) -> str:
        return (
            f"IndicatorTree({len(self.codes)} indicators, {len(self.leaf_codes)} leaves, "
            f"{len(self.groups)} groups)"
        )

    def _group_weights(self, parent: str | None, M: np.ndarray) -> np.ndarray:
        meth = self.group_methods[parent]
        if meth in ("given", "ahp"):
            return self._given[parent]
        if meth == "equal":
            return np.full(M.shape[1], 1.0 / M.shape[1])
        label = "the top level" if parent is None else f"group {parent!r}"
        if M.shape[0] < 2:
            raise ValueError(f"{label} uses {meth} weights, which need at least 2 entities")
        if M.shape[1] == 1:
            return np.ones(1)
        try:
            func = entropy_weights if meth == "entropy" else critic_weights
            return func(M)
        except ValueError as exc:
            raise ValueError(f"{label}: {exc}") from None

    def evaluate(self, X, *, normalization="minmax", entities: Sequence[str] | None = None):
        """Score a table of entities x leaf indicators.

        Parameters
        ----------
        X : array_like, shape (m, len(leaf_codes))
            Raw values, columns in the order of :attr:`leaf_codes`.
        normalization : {"minmax", "none"}, optional
            Min-max with direction (default; a constant column scores 1), or
            ``"none"`` when ``X`` already holds scores (then cost columns are
            still reversed as ``1 - x``).
        entities : sequence of str, optional
            Entity names, echoed in the result.

        Returns
        -------
        result : TreeEvaluation
            Scores at every level, overall scores, ranks, veto failures and the
            local and global weights (see :class:`TreeEvaluation`).

        Raises
        ------
        ValueError
            If ``X`` is not finite or has the wrong number of columns, if
            ``entities`` has the wrong length, or if an entropy/CRITIC group
            has fewer than two entities or no information.

        Examples
        --------
        >>> from gongsheng.analytics.evaluation import Indicator, IndicatorTree
        >>> tree = IndicatorTree([Indicator("a"), Indicator("b", direction="cost")])
        >>> r = tree.evaluate([[1.0, 5.0], [3.0, 1.0]], entities=["甲", "乙"])
        >>> r.overall.tolist(), r.ranks.tolist(), r.score("b").tolist()
        ([0.0, 1.0], [2, 1], [0.0, 1.0])
        """
        check_choice(normalization, "normalization", ("minmax", "none"))
        X = as_matrix(X)
        m, n = X.shape
        if n != len(self.leaf_codes):
            raise ValueError(
                f"`X` must have one column per leaf indicator ({len(self.leaf_codes)}: "
                f"{list(self.leaf_codes)}); got {n}"
            )
        if entities is not None:
            entities = tuple(str(e) for e in entities)
            if len(entities) != m:
                raise ValueError(f"`entities` must have {m} names; got {len(entities)}")
        cost = np.array([self._by_code[c].direction == "cost" for c in self.leaf_codes])
        if normalization == "minmax":
            lo, hi = X.min(axis=0), X.max(axis=0)
            span = hi - lo
            Z = np.divide(X - lo, span, out=np.ones_like(X), where=span > 0)
            Z[:, cost & (span > 0)] = 1.0 - Z[:, cost & (span > 0)]
        else:
            Z = X.copy()
            Z[:, cost] = 1.0 - Z[:, cost]
        index = {c: i for i, c in enumerate(self.codes)}
        scores = np.zeros((m, len(self.codes)))
        scores[:, [index[c] for c in self.leaf_codes]] = Z
        local = np.zeros(len(self.codes))
        for parent in [*self._inner_bottom_up, None]:
            cols = [index[c] for c in self.groups[parent]]
            M = scores[:, cols]
            w = self._group_weights(parent, M)
            local[cols] = w
            if parent is None:
                overall = M @ w
            else:
                scores[:, index[parent]] = M @ w
        glob = local.copy()
        for i, code in enumerate(self.codes):
            current = self._by_code[code]
            while current.parent is not None:
                glob[i] *= local[index[current.parent]]
                current = self._by_code[current.parent]
        veto_codes = tuple(c for c in self.leaf_codes if self._by_code[c].veto)
        leaf_pos = {c: j for j, c in enumerate(self.leaf_codes)}
        if veto_codes:
            raw = X[:, [leaf_pos[c] for c in veto_codes]]
            thr = np.array([self._by_code[c].threshold for c in veto_codes], dtype=np.float64)
            is_cost = np.array([self._by_code[c].direction == "cost" for c in veto_codes])
            failures = np.where(is_cost, raw > thr, raw < thr)
        else:
            failures = np.zeros((m, 0), dtype=bool)
        passed = ~failures.any(axis=1)
        spread = float(overall.max() - overall.min()) + 1.0
        key = np.where(passed, overall, overall - 2.0 * spread)
        ranks = rankdata(-key, method="min").astype(int)
        return TreeEvaluation(
            codes=self.codes,
            leaf_codes=self.leaf_codes,
            scores=scores,
            overall=overall,
            ranks=ranks,
            passed=passed,
            veto_codes=veto_codes,
            veto_failures=failures,
            local_weights=local,
            global_weights=glob,
            group_methods=dict(self.group_methods),
            consistency=dict(self.consistency),
            entities=entities,
            normalization=normalization,
        )
