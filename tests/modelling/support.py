"""Helpers for the modelling tests: series posted to the ledger from a known Logistic system."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

from gongsheng.access.actors import SYSTEM
from gongsheng.analytics.dynamics import LogisticSystem
from gongsheng.ledger.services import Party, entry_create

#: the known system the synthetic series come from (school, enterprise)
TRUE = LogisticSystem([0.5, 0.35], [600_000, 400_000], [[0, 0.4], [0.3, 0]])
FIRST_YEAR = 2012


def synthetic_series(years: int = 14, noise: float = 0.005, seed: int = 7) -> np.ndarray:
    """(years, 2) values of the known system from (50 000, 40 000), with seeded noise, in CNY."""
    X = TRUE.simulate([50_000, 40_000], np.arange(float(years))).x
    rng = np.random.default_rng(seed)
    return np.round(X * (1 + noise * rng.standard_normal(X.shape)), 2)


def post_outputs(world: Any, X: np.ndarray, *, first_year: int = FIRST_YEAR) -> None:
    """Each year, outside → school X[:, 0] and outside → ent X[:, 1] (the groups' outputs)."""
    for k, row in enumerate(X):
        for unit, value in (("school", row[0]), ("ent", row[1])):
            entry_create(
                actor=SYSTEM, consortium_id=world.a.pk, date=dt.date(first_year + k, 6, 30),
                category="money", quantity=Decimal(f"{value:.2f}"),
                giver=Party.outside(), receiver=Party.unit(world.units[unit].pk),
            )  # fmt: skip
