"""Symbiosis diagnosis of a consortium from its flows, episodes and quality parameters.

Framework-free (NumPy): the platform feeds it SQL aggregates of the ledger, ``gongsheng
analyze`` feeds it the rows of a workbook. One call, :func:`diagnose`, gives every pair's
behavioural and organisational mode, energy, degree and share with the reason for each
verdict, every unit's totals, the consortium's mode counts, energy by unit group, the group ×
group flow matrix, trends per year and the alerts. Conventions: ``MODELS.md`` ("Pair view",
"Behavioural mode of a pair"), ``docs/models.md`` ("Diagnosis") and decision 0701.

The parts, bottom up (no module imports one above it): ``_common`` (constants, the JSON
helper), ``_settings``, ``_rows`` (the pair view's matrices, one pair's row and reason line),
``_table`` (every pair as columns), ``_types`` (unit, alert, year and consortium results),
``_inputs`` (the input tables checked and turned into arrays), ``_measures`` (pair view,
modes, concentration, degree), ``_alerts`` and ``_engine`` (:func:`diagnose` in steps).

References
----------
.. [1] 袁纯清, 《共生理论——兼论小型经济》, 北京: 经济科学出版社, 1998.
"""

from gongsheng.analytics.diagnosis._common import ALERT_KINDS, OUTSIDE, UNIT_GROUPS
from gongsheng.analytics.diagnosis._engine import diagnose
from gongsheng.analytics.diagnosis._measures import (
    PairModes,
    concentration,
    pair_modes,
    pair_view,
)
from gongsheng.analytics.diagnosis._rows import (
    PAIR_FLOAT_COLUMNS,
    PairDiagnosis,
    PairView,
    pair_reason,
)
from gongsheng.analytics.diagnosis._settings import DiagnosisSettings
from gongsheng.analytics.diagnosis._table import PairTable
from gongsheng.analytics.diagnosis._types import (
    Alert,
    Concentration,
    ConsortiumDiagnosis,
    UnitDiagnosis,
    YearTrend,
)

__all__ = [
    "ALERT_KINDS",
    "OUTSIDE",
    "PAIR_FLOAT_COLUMNS",
    "UNIT_GROUPS",
    "Alert",
    "Concentration",
    "ConsortiumDiagnosis",
    "DiagnosisSettings",
    "PairDiagnosis",
    "PairModes",
    "PairTable",
    "PairView",
    "UnitDiagnosis",
    "YearTrend",
    "concentration",
    "diagnose",
    "pair_modes",
    "pair_reason",
    "pair_view",
]
