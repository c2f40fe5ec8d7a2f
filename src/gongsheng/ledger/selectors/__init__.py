"""Every read of the ledger, already scoped: entry lists and aggregate summaries.

Summaries are GROUP BY queries over the scoped entries (reversals carry negative values, so they
net out by themselves); Python only merges the aggregated rows and looks up names. Nothing here
loads entries one by one, so a summary over a million entries costs what its SQL costs.

Who sees what (decision 0301):

* the secretariat and supervisors: every entry of their consortia, so every summary;
* a member unit: the entries it gives or receives (and entries shared with it), so its
  summaries are those of its own flows;
* an observer: no entry, only consortium-wide totals per category, period and unit type, over
  the entries that are not confidential; unit types of fewer than ``GONGSHENG_MIN_GROUP_UNITS``
  units in a year are left out (decision 0804).

Every summary counts only what counts: flows still waiting for their giver's confirmation,
or declined by it, are left out (``models.counted``, decision 0804).
"""

from gongsheng.ledger.selectors.base import (
    DIMENSIONS,
    WIDE_DIMENSIONS,
    summary_base,
)
from gongsheng.ledger.selectors.entries import (
    CENT,
    ZERO,
    EntryDetail,
    LedgerFilter,
    category_list,
    confirmation_state,
    contents_visible,
    entry_detail,
    entry_get,
    entry_list,
    pending_entries,
    rule_list,
)
from gongsheng.ledger.selectors.pairs import (
    PairRow,
    pool_inputs,
    split_pools,
    summary_by_pair,
)
from gongsheng.ledger.selectors.summaries import (
    CategoryRow,
    PeriodRow,
    PoolRow,
    SourceRow,
    Summaries,
    UnitRow,
    UnitTypeYear,
    summaries,
    summary_by_category,
    summary_by_period,
    summary_by_pool,
    summary_by_source,
    summary_by_unit,
    summary_by_unit_type,
)

__all__ = [
    "CENT",
    "DIMENSIONS",
    "WIDE_DIMENSIONS",
    "ZERO",
    "CategoryRow",
    "EntryDetail",
    "LedgerFilter",
    "PairRow",
    "PeriodRow",
    "PoolRow",
    "SourceRow",
    "Summaries",
    "UnitRow",
    "UnitTypeYear",
    "category_list",
    "confirmation_state",
    "contents_visible",
    "entry_detail",
    "entry_get",
    "entry_list",
    "pending_entries",
    "pool_inputs",
    "rule_list",
    "split_pools",
    "summaries",
    "summary_base",
    "summary_by_category",
    "summary_by_pair",
    "summary_by_period",
    "summary_by_pool",
    "summary_by_source",
    "summary_by_unit",
    "summary_by_unit_type",
]
