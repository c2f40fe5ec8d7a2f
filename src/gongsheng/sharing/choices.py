from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    TRAINING_BASE = "training_base", _("training base")
    LABORATORY = "laboratory", _("laboratory")
    EQUIPMENT = "equipment", _("equipment")
    SERVICE_PLATFORM = "service_platform", _("public technical-service platform")
    TEACHING = "teaching", _("teaching resources")
    EXPERT_POOL = "expert_pool", _("expert pool")


#: the ledger category a booked hour of each kind of resource is posted in
KIND_CATEGORY: dict[str, str] = {
    ResourceKind.TRAINING_BASE: "facility_use",
    ResourceKind.LABORATORY: "facility_use",
    ResourceKind.EQUIPMENT: "equipment_use",
    ResourceKind.SERVICE_PLATFORM: "equipment_use",
    ResourceKind.TEACHING: "facility_use",
    ResourceKind.EXPERT_POOL: "expert_hours",
}


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("pending approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


#: statuses that hold capacity (count in conflict and quota checks)
HOLDING = (BookingStatus.PENDING, BookingStatus.APPROVED)


class QuotaPeriod(models.TextChoices):
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


#: default weekly opening hours: ISO weekday (1 = Monday) -> [[start, end], ...]
DEFAULT_OPENING_HOURS: dict[str, list[list[str]]] = {
    str(day): [["08:00", "12:00"], ["13:30", "17:30"]] for day in range(1, 6)
}
