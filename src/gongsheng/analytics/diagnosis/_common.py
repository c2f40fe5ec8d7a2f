"""Constants and the JSON helper shared by every part of the diagnosis."""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import fields
from typing import Any

import numpy as np

from gongsheng.analytics.symbiosis import BehaviourMode, OrganisationMode, Side

#: the unit groups the diagnosis speaks of (the platform maps its unit types onto them)
UNIT_GROUPS: tuple[str, ...] = ("government", "school", "enterprise", "research", "other")
#: a giver or receiver outside the consortium (or ``None``) in flow columns
OUTSIDE = -1
#: the modes and sides in code order (``PairTable.as_arrays`` keeps the codes)
BEHAVIOURS: tuple[BehaviourMode, ...] = tuple(BehaviourMode)
SIDES: tuple[Side, ...] = tuple(Side)
ORGANISATIONS: tuple[OrganisationMode, ...] = tuple(OrganisationMode)
_BEHAVIOUR_OBJECTS = np.asarray(BEHAVIOURS, dtype=object)
_SIDE_OBJECTS = np.asarray(SIDES, dtype=object)
# position −1 (no episode) → None
_ORGANISATION_OBJECTS = np.asarray([*ORGANISATIONS, None], dtype=object)
_CODE: dict[object, int] = {
    **{m: i for i, m in enumerate(BEHAVIOURS)},
    **{x: i for i, x in enumerate(SIDES)},
    **{m: i for i, m in enumerate(ORGANISATIONS)},
    None: -1,
}
#: the alert kinds, in the order reports list them
ALERT_KINDS: tuple[str, ...] = (
    "free_rider",
    "parasitic_pair",
    "inactive_member",
    "school_hot_enterprise_cold",
    "concentration",
)


def _plain(value: Any) -> Any:
    """A JSON-ready version of ``value`` (NaN → None, enums → their key, dates → ISO)."""
    if isinstance(value, (BehaviourMode, OrganisationMode, Side)):
        return value.value
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "as_dict"):
        return value.as_dict()
    return value


class PlainFields:
    """Mixin for result dataclasses: ``as_dict()`` gives every field JSON-ready (:func:`_plain`)."""

    def as_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]
