"""Cooperation projects, contracts and IP assets with their licences."""

from gongsheng.cooperation.models.contracts import (
    Contract,
    ContractParty,
    ContractVersion,
    IPClause,
    Obligation,
)
from gongsheng.cooperation.models.ip import IPAsset, IPOwner, IPRecordedAction, Licence
from gongsheng.cooperation.models.projects import (
    BudgetLine,
    Milestone,
    Participant,
    Project,
    ProjectInput,
    ProjectOutput,
    ProjectTransition,
)

__all__ = [
    "BudgetLine", "Contract", "ContractParty", "ContractVersion", "IPAsset", "IPClause",
    "IPOwner", "IPRecordedAction", "Licence", "Milestone", "Obligation", "Participant", "Project",
    "ProjectInput", "ProjectOutput", "ProjectTransition",
]  # fmt: skip
