"""Demo data of the diagnosis: the demo consortium's settings and its diagnosis with alerts.

The app registry loads it last (``DiagnosisConfig.demo_order``; it reads
what the ledger, cooperation and sharing demos wrote).
"""

from __future__ import annotations

import random

from django.db import transaction
from django.db.models import Q

from gongsheng.access.actors import SYSTEM
from gongsheng.consortia.models import Consortium, Unit
from gongsheng.diagnosis.models import DiagnosisResult, DiagnosisSettings


def load_demo_data(*, consortium: Consortium, units: dict[str, Unit], rng: random.Random) -> dict:
    """Default settings (window 2023–2026) for ``consortium``, then its diagnosis and alerts."""
    from gongsheng.diagnosis.services import diagnosis_refresh, settings_update

    settings_update(actor=SYSTEM, consortium_id=consortium.pk, year_from=2023, year_to=2026)
    result = diagnosis_refresh(actor=SYSTEM, consortium_id=consortium.pk)
    d = result.payload["diagnosis"]
    return {"diagnosed pairs": d["pair_count"], "diagnosis alerts": len(d["alerts"])}


def remove_demo_data() -> None:
    """Delete the demo consortia's settings, stored results and diagnosis alerts."""
    from gongsheng.alerts.models import Alert

    demo = Q(consortium__is_demo=True)
    with transaction.atomic():
        Alert.objects.filter(demo, source_type="diagnosis").delete()
        DiagnosisResult.objects.filter(demo).delete()
        DiagnosisSettings.objects.filter(demo).delete()


__all__ = ["load_demo_data", "remove_demo_data"]
