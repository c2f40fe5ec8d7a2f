"""Every read of the diagnosis, already scoped (decision 0702).

Who sees what:

* platform admins, the secretariat and supervisors: every pair, unit and alert of their
  consortia (``ACCESS_FULL``);
* a member unit's users: the pairs their unit is in, their own unit's row and the alerts that
  name it, plus the consortium totals (mode counts, energy, trends) (``ACCESS_UNIT``);
* observers: the consortium totals only (``ACCESS_TOTALS``);
* anyone else: ``NotFound`` (the same as a consortium that does not exist).

Aggregates come only from what the user may see (decision 0804): the secretariat and
supervisors (whom the policy lets read stored results) read the diagnosis computed from every
entry that counts, everyone else the one computed from the entries every member may see (not
the confidential ones); group aggregates made by fewer than ``GONGSHENG_MIN_GROUP_UNITS``
units are left out for those who may not see the units' records; and a unit does not see a
pair whose pool attribution would tell another unit's share of a pool it did not put into.

The numbers come from a stored :class:`~gongsheng.diagnosis.models.DiagnosisResult` when its
data stamp still matches; otherwise they are computed (and stored) by
``services.diagnosis_compute``. Reads never load ledger rows: the gathering is GROUP BYs.
"""

from gongsheng.diagnosis.selectors.access import (
    diagnosis_access,
    diagnosis_audience,
    pair_allowed,
    small_groups,
    window_check,
)
from gongsheng.diagnosis.selectors.consortium import (
    _unit,
    consortium_diagnosis,
    pair_diagnosis,
    pair_entries,
)
from gongsheng.diagnosis.selectors.wide import (
    COMPARISON_NOTE,
    diagnosis_series,
    province_diagnosis,
    settings_get,
    window_comparison,
)

__all__ = [
    "COMPARISON_NOTE",
    "_unit",
    "consortium_diagnosis",
    "diagnosis_access",
    "diagnosis_audience",
    "diagnosis_series",
    "pair_allowed",
    "pair_diagnosis",
    "pair_entries",
    "province_diagnosis",
    "settings_get",
    "small_groups",
    "window_check",
    "window_comparison",
]
