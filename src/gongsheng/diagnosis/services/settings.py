"""The diagnosis settings of a consortium (tolerance, thresholds, default window)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongsheng.access.actors import Actor, is_system
from gongsheng.access.scope import access_object, check_saved, require
from gongsheng.analytics import diagnosis as engine
from gongsheng.audit.models import Action, EventType
from gongsheng.audit.services import audit_record, snapshot
from gongsheng.consortia.models import Consortium
from gongsheng.core.errors import Conflict
from gongsheng.core.services import (
    apply_changes,
    check_version,
    full_clean_or_raise,
    save_versioned,
)
from gongsheng.diagnosis.models import DiagnosisSettings


# --- settings -------------------------------------------------------------------------------
def engine_settings(row: DiagnosisSettings | None) -> engine.DiagnosisSettings:
    """The engine's settings from a consortium's row (defaults without one)."""
    if row is None:
        return engine.DiagnosisSettings()
    return engine.DiagnosisSettings(
        tolerance=row.tolerance,
        joint_body_share=row.joint_body_share,
        continuous_share=row.continuous_share,
        max_gap_days=row.max_gap_days,
        min_dimensions=row.min_dimensions,
        inactive_months=row.inactive_months,
        cold_ratio=row.cold_ratio,
        hhi_max=row.hhi_max,
        top_share_max=row.top_share_max,
    )


@transaction.atomic
def settings_update(
    *, actor: Actor, consortium_id: int, version: int | None = None, **changes: Any
) -> DiagnosisSettings:
    """Change a consortium's tolerance, thresholds or default window (secretariat, platform
    admins; ``actor=SYSTEM`` is the system). Creates the row on first use; ``version`` guards
    against concurrent edits."""
    if is_system(actor):  # the system (demo loader, migrations)
        consortium = Consortium.objects.get(pk=consortium_id)
    else:
        consortium = access_object(actor, Consortium.objects.all(), consortium_id, "view")
        require(
            actor,
            "change",
            DiagnosisSettings,
            consortium_id=consortium.pk,
            message=_("Only the secretariat changes the diagnosis settings."),
        )
    row = DiagnosisSettings.objects.select_for_update().filter(consortium=consortium).first()
    created = row is None
    if created:
        row = DiagnosisSettings(consortium=consortium)
        if version not in (None, 0, 1):
            check_version(row, version)
    else:
        check_version(row, version)
    before = {} if created else snapshot(row)
    diff = apply_changes(row, changes, set(DiagnosisSettings.EDITABLE))
    if not diff and not created:
        return row
    full_clean_or_raise(row, message=_("The diagnosis settings are not valid."))
    try:
        engine_settings(row)
    except ValueError as exc:
        from gongsheng.core.errors import ValidationFailed

        raise ValidationFailed(str(exc)) from exc
    if created:
        # the defaults a reader saw were version 1; storing them changed is version 2, so a
        # second editor who also read version 1 is told instead of overwriting silently
        row.version = 2
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:  # another editor stored the first change meanwhile
            raise Conflict(
                _("Someone else changed the diagnosis settings meanwhile; reload and try again.")
            ) from exc
        if not is_system(actor):
            check_saved(actor, [row], "change")
    else:
        save_versioned(row, sorted(diff))
    audit_record(
        actor=actor,
        event=EventType.DIAGNOSIS_SETTINGS_CHANGED,
        action=Action.CREATE if created else Action.UPDATE,
        obj=row,
        before=before,
        after=snapshot(row),
        consortium_id=consortium.pk,
    )
    return row
