"""Every write to shared resources, quotas and bookings (``resources``: the declared
models' writes under their names; ``bookings``: the booking request and its moves)."""

from gongsheng.sharing.services.bookings import (
    booking_approve,
    booking_cancel,
    booking_create,
    booking_hours,
    booking_reject,
    peak_use,
)
from gongsheng.sharing.services.resources import (
    quota_create,
    quota_delete,
    resource_create,
    resource_update,
)

__all__ = [
    "booking_approve", "booking_cancel", "booking_create", "booking_hours", "booking_reject",
    "peak_use", "quota_create", "quota_delete", "resource_create", "resource_update",
]  # fmt: skip
