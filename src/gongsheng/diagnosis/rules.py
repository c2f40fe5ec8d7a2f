"""Who sees and changes diagnosis settings and stored results.

- Settings: every role of the consortium sees them (they explain the verdicts); the
  secretariat changes them (platform admins too).
- Refreshing (recomputing and raising alerts, the ``refresh`` move on ``DiagnosisResult``):
  the secretariat (platform admins and the system too).
- Stored results hold every pair of the consortium, so only the secretariat and supervisors
  read the rows themselves; unit users and observers get their share through the selectors,
  which filter the payload (own pairs, consortium totals).
"""

from __future__ import annotations

from gongsheng.access.policies import Policy, register
from gongsheng.diagnosis.models import DiagnosisResult, DiagnosisSettings


@register(DiagnosisSettings)
class DiagnosisSettingsPolicy(Policy):
    consortium = "consortium"
    public = True


@register(DiagnosisResult)
class DiagnosisResultPolicy(Policy):
    consortium = "consortium"
    public = False
    moves = {"refresh": "add"}
