"""One indicator of a tree and the result of evaluating a tree (frozen dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._common import check_choice

__all__ = ["DIRECTIONS", "WEIGHT_METHODS", "Indicator", "TreeEvaluation"]

#: how the weights of one group of sibling indicators are obtained
WEIGHT_METHODS = ("entropy", "critic", "ahp", "equal", "given")
DIRECTIONS = ("benefit", "cost")


@dataclass(frozen=True)
class Indicator:
    """One node of an indicator system.

    Attributes
    ----------
    code : str
        Unique code (e.g. ``"A1.2"``).
    name : str
        Display name (e.g. ``"双师型教师比例"``).
    parent : str or None
        Code of the parent indicator; None for a top-level indicator.
    direction : {"benefit", "cost"}
        Larger is better (benefit) or smaller is better (cost); leaves only.
    veto : bool
        A veto (否定性) indicator: an entity failing ``threshold`` fails
        overall whatever its score. Leaves only.
    threshold : float or None
        Veto threshold on the raw value: pass when ``x >= threshold`` for a
        benefit and ``x <= threshold`` for a cost indicator.
    weight : float or None
        Given weight within its sibling group (used by method ``"given"``).
    method : str or None
        How the weights of this indicator's *children* are obtained: one of
        ``"entropy"``, ``"critic"``, ``"ahp"``, ``"equal"``, ``"given"``. None:
        ``"given"`` when every child has a weight, ``"equal"`` otherwise.
    pairwise : tuple of tuples or None
        AHP comparison matrix of the children (in their order of appearance)
        when ``method == "ahp"``.
    """

    code: str
    name: str = ""
    parent: str | None = None
    direction: str = "benefit"
    veto: bool = False
    threshold: float | None = None
    weight: float | None = None
    method: str | None = None
    pairwise: tuple[tuple[float, ...], ...] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not self.code.strip():
            raise ValueError(f"`code` must be a non-empty string; got {self.code!r}")
        check_choice(self.direction, "direction", DIRECTIONS)
        if self.method is not None:
            check_choice(self.method, "method", WEIGHT_METHODS)
        if self.veto and (self.threshold is None or not np.isfinite(self.threshold)):
            raise ValueError(f"indicator {self.code!r} is a veto indicator but has no threshold")
        if self.weight is not None and not (np.isfinite(self.weight) and self.weight >= 0):
            raise ValueError(
                f"indicator {self.code!r}: `weight` must be a non-negative number; "
                f"got {self.weight!r}"
            )
        if self.pairwise is not None:
            object.__setattr__(
                self, "pairwise", tuple(tuple(float(a) for a in row) for row in self.pairwise)
            )


@dataclass(frozen=True, eq=False)
class TreeEvaluation:
    """Result of :meth:`IndicatorTree.evaluate`.

    Attributes
    ----------
    codes : tuple of str
        Every indicator code, in the tree's order (columns of ``scores``).
    leaf_codes : tuple of str
        The leaf codes (columns of the input ``X``).
    scores : ndarray, shape (m, len(codes))
        Score of every entity at every indicator (leaves: normalised values).
    overall : ndarray, shape (m,)
        Overall score (weighted sum of the top-level scores).
    ranks : ndarray of int, shape (m,)
        1 = best; entities failing a veto rank after all that pass; ties share
        the smallest rank.
    passed : ndarray of bool, shape (m,)
        False where a veto indicator failed.
    veto_codes : tuple of str
        The veto indicators (columns of ``veto_failures``).
    veto_failures : ndarray of bool, shape (m, len(veto_codes))
        True where an entity fails a veto threshold.
    local_weights, global_weights : ndarray, shape (len(codes),)
        Weight of each indicator within its group, and its product along the
        path from the top (the global weights of the leaves sum to 1).
    group_methods : dict
        Weighting method used for each group (key: parent code, None = top).
    consistency : dict
        :class:`AHPResult` of every AHP group (key: parent code).
    entities : tuple of str or None
        Entity names, when given.
    normalization : str
        How the leaves were normalised.
    """

    codes: tuple[str, ...]
    leaf_codes: tuple[str, ...]
    scores: np.ndarray
    overall: np.ndarray
    ranks: np.ndarray
    passed: np.ndarray
    veto_codes: tuple[str, ...]
    veto_failures: np.ndarray
    local_weights: np.ndarray
    global_weights: np.ndarray
    group_methods: dict
    consistency: dict
    entities: tuple[str, ...] | None
    normalization: str

    def score(self, code: str) -> np.ndarray:
        """Scores of every entity at indicator ``code``."""
        if code not in self.codes:
            raise ValueError(f"`code` must be one of the tree's codes; got {code!r}")
        return self.scores[:, self.codes.index(code)]
