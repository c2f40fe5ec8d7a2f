"""The contact's declaration: the API (``/units/{id}/contacts``, ``/contacts/{id}``) and the
create / update / delete services come from it (``gongsheng.declare``).

What does not fit, and why: contacts belong to a unit, not a consortium (``parent_field``);
they have no pages of their own (the unit's page lists them, ``selectors.unit_detail``) and
no import/export table — they are personal data (``personal``), which the platform does not
hand out in spreadsheets; their audit entries are confidential and shown in the unit's
history (``related``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy

from gongsheng.audit.models import EventType
from gongsheng.consortia.models import Contact
from gongsheng.consortia.schemas import ContactIn, ContactOut, ContactPatch
from gongsheng.declare.declaration import Declaration, Events, register


@register
class ContactDeclaration(Declaration):
    model = Contact
    name = "contacts"
    namespace = "consortia"
    label = gettext_lazy("Contacts")
    id_name = "contact_id"
    fields = ("name", "title", "phone", "email", "is_primary")
    personal = ("name", "phone", "email")
    events = Events(EventType.CONTACT_CREATED, EventType.CONTACT_CHANGED, EventType.CONTACT_DELETED)
    consortium_field = None
    parent_field = "unit"
    parent_model = "consortia.Unit"
    parent_url = "units"
    unit_field = "unit"
    pages = False
    transfer = False
    audit_confidential = True
    schema_out, schema_in, schema_patch = ContactOut, ContactIn, ContactPatch
    api_tags = ["consortia"]
    select_related = ("unit",)
    clean_exclude = ("unit",)
    invalid_message = gettext_lazy("The contact could not be saved.")

    def related(self, obj: Model) -> Any:
        return obj.unit
