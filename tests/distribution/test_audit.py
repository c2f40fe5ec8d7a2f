"""Each distribution service writes exactly its audit entries."""

from __future__ import annotations

import pytest

from gongsheng.audit.models import AuditEntry, EventType
from gongsheng.distribution import services

pytestmark = pytest.mark.django_db


def test_audit_entries_of_a_study(world, study):
    sec = world.users["secretariat"]
    study = services.coalition_values_set(actor=sec, study_id=study.pk, version=study.version,
                                          values={5: "300", 6: "400"})  # fmt: skip
    # nothing changed: no entry
    study = services.coalition_values_set(actor=sec, study_id=study.pk, version=study.version,
                                          values={5: "300"})  # fmt: skip
    study = services.player_factors_set(actor=sec, study_id=study.pk, version=study.version,
                                        factors={0: {"risk": "1"}})  # fmt: skip
    study = services.study_update(actor=sec, study_id=study.pk, version=study.version,
                                  weight_method="entropy")  # fmt: skip
    study = services.study_update(actor=sec, study_id=study.pk, version=study.version,
                                  weight_method="entropy")  # fmt: skip
    study = services.study_total_set(actor=sec, study_id=study.pk, version=study.version,
                                     total="1500", basis="agreed")  # fmt: skip
    services.study_compute(actor=sec, study_id=study.pk)
    services.study_delete(actor=sec, study_id=study.pk)
    events = list(
        AuditEntry.objects.filter(event_type__gte=1100, event_type__lt=1200)
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert events == [
        EventType.DISTRIBUTION_STUDY_CREATED,
        EventType.DISTRIBUTION_VALUES_SET,
        EventType.DISTRIBUTION_FACTORS_SET,
        EventType.DISTRIBUTION_STUDY_CHANGED,
        EventType.DISTRIBUTION_STUDY_CHANGED,
        EventType.DISTRIBUTION_COMPUTED,
        EventType.DISTRIBUTION_STUDY_DELETED,
    ]
    total = (
        AuditEntry.objects.filter(event_type=EventType.DISTRIBUTION_STUDY_CHANGED)
        .order_by("id")
        .last()
    )
    assert (total.before["total"], total.after["total"]) == ("1200.00", "1500.00")
    assert total.after["total_source"] == "entered"
    assert all(e.actor_name == "secretariat" and e.consortium_id == world.a.pk
               for e in AuditEntry.objects.filter(event_type__gte=1100, event_type__lt=1200))  # fmt: skip
