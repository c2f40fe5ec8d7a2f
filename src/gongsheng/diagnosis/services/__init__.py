"""Every write of the diagnosis: settings, stored results (a cache) and refreshes with alerts.

Stored results are derived data (decision 0702): :func:`diagnosis_result` and
:func:`diagnosis_results` store what they compute without an audit row (a cache fill changes
nothing anyone entered); :func:`diagnosis_refresh`, asked for by a person or the ``diagnose``
command, is audited and raises the alerts.
"""

from gongsheng.analytics import diagnosis as engine
from gongsheng.diagnosis.services.refresh import (
    ALERT_SOURCE,
    ALERT_TITLES,
    diagnosis_refresh,
    diagnosis_refresh_all,
    raise_alerts,
    refresh_check,
)
from gongsheng.diagnosis.services.results import (
    ALL,
    AUDIENCES,
    MEMBERS,
    diagnosis_result,
    diagnosis_results,
    output_series,
    pack_pairs,
    stored_pairs,
    window_key,
)
from gongsheng.diagnosis.services.settings import engine_settings, settings_update

__all__ = [
    "ALERT_SOURCE",
    "ALERT_TITLES",
    "ALL",
    "AUDIENCES",
    "MEMBERS",
    "diagnosis_refresh",
    "diagnosis_refresh_all",
    "diagnosis_result",
    "diagnosis_results",
    "engine",
    "engine_settings",
    "output_series",
    "pack_pairs",
    "raise_alerts",
    "refresh_check",
    "settings_update",
    "stored_pairs",
    "window_key",
]
