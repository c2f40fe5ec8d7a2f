"""The engine's inputs from the database: GROUP BYs of the ledger, the episodes, the stamps.

Nothing here loads ledger entries one by one: each function is a fixed number of aggregate
queries for any number of consortia, units and pairs (rows are grouped by consortium first, so
the ledger's covering indexes serve them), read without Django's per-row converters. These are
internal reads for the diagnosis services; the selectors apply access on top.
"""

from gongsheng.diagnosis.gather._base import _fetch, _years_q, entries
from gongsheng.diagnosis.gather.episodes import (
    CONTRACT_STATUSES,
    JOINT_BODY_PROJECTS,
    _episode_rows,
    episodes,
    pair_episodes,
)
from gongsheng.diagnosis.gather.ledger import (
    data_years,
    flows,
    group_series,
    pool_exposure,
    shared_pools,
    stamps,
)
from gongsheng.diagnosis.gather.units import unit_group, units

__all__ = [
    "CONTRACT_STATUSES",
    "JOINT_BODY_PROJECTS",
    "_episode_rows",
    "_fetch",
    "_years_q",
    "data_years",
    "entries",
    "episodes",
    "flows",
    "group_series",
    "pair_episodes",
    "pool_exposure",
    "shared_pools",
    "stamps",
    "unit_group",
    "units",
]
