"""Every write to benefit-distribution studies: one transaction each, audited, version-checked.

Coalition values are measured from the ledger when a study is created (or re-measured on
request), entered by people where the ledger has no history, and every value keeps its source
(docs/decisions/0705-coalition-values-from-the-ledger.md). Computing refuses while a required
value is missing and names the coalitions.

The modules: ``studies`` (the study and what it measures from the ledger), ``entered``
(factors and values people enter), ``results`` (compute, write into a contract), ``writes``
(the steps they share: lock, touch, audit).
"""

from gongsheng.distribution.services.entered import coalition_values_set, player_factors_set
from gongsheng.distribution.services.results import (
    SHARE_PLACES,
    contract_shares,
    game_input,
    study_compute,
    study_save_to_contract,
)
from gongsheng.distribution.services.studies import (
    STUDY_FIELDS,
    study_create,
    study_delete,
    study_remeasure,
    study_total_set,
    study_update,
)
from gongsheng.distribution.services.writes import coalition_label, study_masks

__all__ = [
    "SHARE_PLACES",
    "STUDY_FIELDS",
    "coalition_label",
    "coalition_values_set",
    "contract_shares",
    "game_input",
    "player_factors_set",
    "study_compute",
    "study_create",
    "study_delete",
    "study_masks",
    "study_remeasure",
    "study_save_to_contract",
    "study_total_set",
    "study_update",
]
