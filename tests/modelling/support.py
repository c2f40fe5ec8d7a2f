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


def corner_ess(p: dict[str, float]) -> list[str]:
    """The ESS of the government–school–enterprise game, worked out here from its payoffs
    (shared/docs/MODELS.md), independently of ``analytics.games``: a corner (x, y, z) is
    evolutionarily stable when each population's advantage of its first strategy,
    Δ_s = −C_s + z(G_s + P_s) + y(αΔR − S_s), Δ_e = −C_e + z(G_e + T + P_e) + x((1−α)ΔR − S_e),
    Δ_g = L − C_g − xG_s − y(G_e + T) + (1−x)P_s + (1−y)P_e, is positive where it plays it and
    negative where it does not."""
    found = []
    for x in (0, 1):
        for y in (0, 1):
            for z in (0, 1):
                ds = (
                    -p["c_s"]
                    + z * (p["g_s"] + p["p_s"])
                    + y * (p["alpha"] * p["delta_r"] - p["s_s"])
                )
                de = (
                    -p["c_e"] + z * (p["g_e"] + p["t"] + p["p_e"])
                    + x * ((1 - p["alpha"]) * p["delta_r"] - p["s_e"])
                )  # fmt: skip
                dg = (
                    p["l"] - p["c_g"] - x * p["g_s"] - y * (p["g_e"] + p["t"])
                    + (1 - x) * p["p_s"] + (1 - y) * p["p_e"]
                )  # fmt: skip
                if all((d > 0) if s else (d < 0) for s, d in ((x, ds), (y, de), (z, dg))):
                    found.append(f"({x}, {y}, {z})")
    return found
