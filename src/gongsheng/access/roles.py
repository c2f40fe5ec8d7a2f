from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("platform administrator")
    SUPERVISOR = "supervisor", _("supervisor")
    SECRETARIAT = "secretariat", _("secretariat")
    UNIT_ADMIN = "unit_admin", _("unit administrator")
    UNIT_MEMBER = "unit_member", _("unit member")
    OBSERVER = "observer", _("observer")


#: roles tied to the user's own unit
UNIT_ROLES = frozenset({Role.UNIT_ADMIN, Role.UNIT_MEMBER})
