"""Import and export of projects, contracts, IP assets and licences (registered with the
generic transfer app). Every row goes through the same service as the pages, so the same checks
apply and the same audit entries (and IP-rule alerts) are written.

- Projects are keyed by their code within the consortium; the lead unit by its credit code. The
  status is exported but not imported: a project moves only through its lifecycle service.
- Contracts are keyed by their number; the parties cell lists ``credit code = role``, with an
  optional fixed share in per cent: ``91350100M000100Y43=commissioning party 60%;
  12350100M000200Y1X=developer 40%`` (roles by code, Chinese or English name).
- IP assets are keyed by their number; the owners cell lists ``credit code = share %`` adding
  up to 100 %. A changed row changes the owners through ``ip_owners_set`` (a transfer, checked
  against the IP rules).
- Licences are keyed by their number (``#`` on the IP page); a row without one records a new
  licence through ``licence_grant``, which checks it and alerts the secretariat on a breach.
  A recorded licence is a fact: a row whose number exists is skipped when it matches and
  refused when it does not.
"""

from gongsheng.cooperation.transfers.contracts import (
    ContractResource,
    format_parties,
    parse_parties,
)
from gongsheng.cooperation.transfers.ip import (
    IPAssetResource,
    LicenceResource,
    format_owners,
    parse_owners,
)
from gongsheng.cooperation.transfers.projects import ProjectResource

__all__ = [
    "ContractResource",
    "IPAssetResource",
    "LicenceResource",
    "ProjectResource",
    "format_owners",
    "format_parties",
    "parse_owners",
    "parse_parties",
]
