"""The settings of a diagnosis: tolerance and alert thresholds."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class DiagnosisSettings:
    """Tolerance and thresholds of a diagnosis (the platform keeps one set per consortium).

    Attributes
    ----------
    tolerance : float
        Net gains with |g| ≤ ``tolerance``·(in_a + in_b + out_a + out_b) count as 0; relative
        gains within ``tolerance`` of each other (relative to the larger) are equal. 0.05.
    joint_body_share, continuous_share, max_gap_days, min_dimensions
        Organisation thresholds, passed to
        :func:`gongsheng.analytics.symbiosis.describe_organisation` (0.5, 0.6, 90, 3).
    inactive_months : int
        A member with no joint activity in the last ``inactive_months`` before the window end
        is inactive (联而不合). 12.
    cold_ratio : float
        Enterprise inputs / school inputs below this raise 校热企冷. 0.5.
    hhi_max : float
        Herfindahl–Hirschman index of unit inputs above this raises a concentration alert. 0.25.
    top_share_max : float
        The largest unit's share of inputs above this raises a concentration alert. 0.5.
    max_pair_alerts : int
        At most this many ``parasitic_pair`` alerts, the largest losses first (every parasitic
        pair stays in the pair table). 20.
    """

    tolerance: float = 0.05
    joint_body_share: float = 0.5
    continuous_share: float = 0.6
    max_gap_days: int = 90
    min_dimensions: int = 3
    inactive_months: int = 12
    cold_ratio: float = 0.5
    hhi_max: float = 0.25
    top_share_max: float = 0.5
    max_pair_alerts: int = 20

    def __post_init__(self) -> None:
        checks = (
            ("tolerance", 0.0 <= self.tolerance < 1, "in [0, 1)"),
            ("joint_body_share", 0 < self.joint_body_share <= 1, "in (0, 1]"),
            ("continuous_share", 0 < self.continuous_share <= 1, "in (0, 1]"),
            ("max_gap_days", self.max_gap_days >= 0, ">= 0"),
            ("min_dimensions", self.min_dimensions >= 1, ">= 1"),
            ("inactive_months", self.inactive_months >= 1, ">= 1"),
            ("cold_ratio", self.cold_ratio >= 0, ">= 0"),
            ("hhi_max", 0 < self.hhi_max <= 1, "in (0, 1]"),
            ("top_share_max", 0 < self.top_share_max <= 1, "in (0, 1]"),
            ("max_pair_alerts", self.max_pair_alerts >= 0, ">= 0"),
        )
        for name, ok, what in checks:
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and ok):
                raise ValueError(f"`{name}` must be {what}; got {value!r}")

    def organisation_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of ``describe_organisation``."""
        return {
            "joint_body_share": self.joint_body_share,
            "continuous_share": self.continuous_share,
            "max_gap_days": self.max_gap_days,
            "min_dimensions": self.min_dimensions,
        }

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
