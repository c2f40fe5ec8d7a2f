"""Who sees and changes projects, contracts and IP.

Projects are public within their consortium (name, type, status, lead, milestones, outputs);
participants' inputs and the budget are for the participants and the secretariat (supervisors
see them as values). Contracts, IP assets, licences and recorded IP actions are confidential:
their parties' units and the secretariat see everything, supervisors see that they exist with
their parties and values, and a party may share one with a named unit (``share_grant``).
"""

from __future__ import annotations

from django.db.models import Q

from gongsheng.access.policies import AccessContext, Policy, register
from gongsheng.access.roles import Role
from gongsheng.attachments.registry import attachable
from gongsheng.cooperation.models import (
    BudgetLine,
    Contract,
    ContractParty,
    ContractVersion,
    IPAsset,
    IPClause,
    IPOwner,
    IPRecordedAction,
    Licence,
    Milestone,
    Obligation,
    Participant,
    Project,
    ProjectInput,
    ProjectOutput,
    ProjectTransition,
)


@register(Project)
class ProjectPolicy(Policy):
    """Public in the consortium; the secretariat adds, changes and moves projects."""

    consortium = "consortium"
    owners = ("lead_unit",)
    moves = {"move": "change"}


# project files (proposals, acceptance reports, meeting materials): seen by whoever sees the
# project, added and removed by whoever may change it
attachable(Project, purposes=("attachment", "material", "evidence"))


class _ProjectPart(Policy):
    consortium = "project__consortium"
    owners = ("project__participants__unit",)
    multi_valued = True


for _model in (ProjectTransition, Milestone, Participant, ProjectOutput):
    register(_model)(type(f"{_model.__name__}Policy", (_ProjectPart,), {}))


@register(ProjectInput)
class ProjectInputPolicy(_ProjectPart):
    """Participants' committed and actual inputs: participants and the secretariat."""

    public = False


@register(BudgetLine)
class BudgetLinePolicy(_ProjectPart):
    public = False


@register(Contract)
class ContractPolicy(Policy):
    consortium = "consortium"
    owners = ("parties__unit",)
    confidential = True
    public = False
    multi_valued = True
    summary_fields = ("code", "type", "status", "value", "signed_on")


class _ContractPart(Policy):
    consortium = "contract__consortium"
    owners = ("contract__parties__unit",)
    confidential = True
    public = False
    multi_valued = True


@register(ContractParty)
class ContractPartyPolicy(_ContractPart):
    """Who the parties are is visible to those who see the contract exists."""

    confidential = False


for _model in (Obligation, IPClause, ContractVersion):
    register(_model)(type(f"{_model.__name__}Policy", (_ContractPart,), {}))


@register(IPAsset)
class IPAssetPolicy(Policy):
    """IP assets; ``license`` and ``record_action`` (licensing it, recording a transfer, filing,
    publication or use) are writes: the secretariat for any owner or licensee, a unit admin
    only for its own unit's share or licence (the services also make the unit acted for the
    actor's own), never supervisors, observers or unit members."""

    consortium = "consortium"
    owners = ("owners__unit", "licences__licensee")
    confidential = True
    public = False
    multi_valued = True
    summary_fields = ("kind", "number", "value")
    moves = {"license": "change", "record_action": "change"}

    def move_q(self, ctx: AccessContext, move: str) -> Q | None:
        secretariat = self.in_consortia(ctx.consortia(Role.SECRETARIAT))
        holders = self.own_in_member_consortia(ctx, (Role.UNIT_ADMIN,))
        parts = [p for p in (secretariat, holders) if p is not None]
        if not parts:
            return None
        out = parts[0]
        for part in parts[1:]:
            out |= part
        return out


@register(IPOwner)
class IPOwnerPolicy(Policy):
    consortium = "asset__consortium"
    owners = ("asset__owners__unit", "asset__licences__licensee")
    public = False
    multi_valued = True


@register(Licence)
class LicencePolicy(Policy):
    consortium = "asset__consortium"
    owners = ("licensor", "licensee", "asset__owners__unit")
    confidential = True
    public = False
    multi_valued = True
    summary_fields = ("kind", "licensor_id", "licensee_id", "fee")


@register(IPRecordedAction)
class IPRecordedActionPolicy(Policy):
    consortium = "asset__consortium"
    owners = ("unit", "counterparty", "asset__owners__unit")
    confidential = True
    public = False
    multi_valued = True
