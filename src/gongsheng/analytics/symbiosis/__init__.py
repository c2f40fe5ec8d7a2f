"""Symbiosis theory: degree, share, behavioural and organisational modes, energy.

The vocabulary is Yuan Chunqing's symbiosis theory (共生理论) as used for industry-education
consortia: symbiotic units (共生单元) with quality parameters (质参量) Z, the symbiosis degree
δ (共生度), the symbiosis share θ, behavioural modes (行为共生模式) and organisational modes
(组织共生模式), and symbiotic energy (共生能量). Conventions: ``../shared/docs/MODELS.md``.

References
----------
.. [1] 袁纯清, 《共生理论——兼论小型经济》, 北京: 经济科学出版社, 1998.
.. [2] 袁纯清, 共生理论及其对小型经济的应用研究(上), 《改革》, 1998(2): 100-104.
"""

from gongsheng.analytics.symbiosis._degree import (
    DEGREE_METHODS,
    SymbiosisDegreeResult,
    symbiosis_degree,
    symbiosis_share,
)
from gongsheng.analytics.symbiosis._energy import (
    energy_surplus,
    relative_gains,
    symmetric_allocation,
)
from gongsheng.analytics.symbiosis._modes import (
    BehaviourMode,
    OrganisationMode,
    Side,
    classify_behaviour,
    gaining_side,
)
from gongsheng.analytics.symbiosis._organisation import (
    Episode,
    OrganisationResult,
    classify_organisation,
    describe_organisation,
)

__all__ = [
    "DEGREE_METHODS",
    "BehaviourMode",
    "Episode",
    "OrganisationMode",
    "OrganisationResult",
    "Side",
    "SymbiosisDegreeResult",
    "classify_behaviour",
    "classify_organisation",
    "describe_organisation",
    "energy_surplus",
    "gaining_side",
    "relative_gains",
    "symbiosis_degree",
    "symbiosis_share",
    "symmetric_allocation",
]
