"""What a model declares once, and the registry of declarations.

A declaration is a small class (NetBox's ``register_model_view`` + ``NetBoxModelViewSet`` in
one place): the model, its editable fields and form, one filter set (django-filter) used by the
list page, the API and the export, one column list (``transfer.Column``) used by the list page
and the export, its audit events, its lifecycle moves, its personal-data fields and a
``check()`` hook for rules across fields. The access policy stays in ``<app>/rules.py``
(``access.policies.register``); the declaration finds it through the policy registry.

From a declaration come, with no per-model code: the create / update / delete services
(:mod:`gongsheng.declare.services`), the scoped reads (:mod:`~gongsheng.declare.selectors`), the
pages and their URLs (:mod:`~gongsheng.declare.views`), the API router
(:mod:`~gongsheng.declare.api`) and the import/export resource
(:mod:`~gongsheng.declare.transfer`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy

from gongsheng.audit.models import EventType
from gongsheng.core.errors import FieldError


@dataclass(frozen=True)
class Events:
    """The audit event of each standard write (a model that is not ``deletable`` may name no
    delete event)."""

    created: EventType
    changed: EventType
    deleted: EventType | None = None


@dataclass(frozen=True)
class Move:
    """A named lifecycle move (withdraw, approve, admit …): an explicit service of the app.

    ``name`` is the action asked of the access policy (``can(user, name, obj)``; the policy
    declares it in ``moves``), the URL segment (``/policies/7/withdraw/``, URL name
    ``<namespace>:<name>``) and the API path (``POST /api/policies/7/withdraw``).
    ``service`` (a callable or its dotted path, resolved when first called, so an app's
    services module may import its declarations) is called as
    ``service(actor=..., <id_name>=pk, version=..., **fields of the form or schema)``.
    """

    name: str
    service: str | Callable[..., Any]
    label: Any
    form: Any = None  # a django Form with a hidden ``version`` field
    schema: Any = None  # a ninja Schema with ``version: int | None``
    event: EventType | None = None
    done: Any = ""  # the page's success message, or ``done(record)`` -> the message
    invalid: Any = ""  # the page's message when the move's form is not filled in
    #: ``when(record) -> bool``: the record's state lets the service take the move (a refused
    #: membership cannot be admitted); the page offers the move only then (issue 13.7)
    when: Any = None

    def initial(self, obj: Model) -> dict[str, Any]:
        """The move form's first values: the version the page shows (and a date's today)."""
        from django.utils import timezone

        initial: dict[str, Any] = {"version": obj.version}
        for name, field in getattr(self.form, "base_fields", {}).items():
            if field.__class__.__name__ == "DateField" and field.required:
                initial[name] = timezone.localdate()
        return initial

    def call(self, **kwargs: Any) -> Any:
        service = self.service
        if isinstance(service, str):
            service = import_string(service)
        return service(**kwargs)


class Declaration:
    """One model's declaration; subclass it and decorate the subclass with :func:`register`.

    Required: ``model``, ``name`` (URL and API segment, transfer resource name), ``namespace``
    (the app's URL namespace), ``fields``, ``events``. Everything else has a default.
    """

    model: ClassVar[type[Model]]
    name: ClassVar[str]  # "policies": /consortia/<id>/policies/, /api/policies, resource name
    namespace: ClassVar[str]  # URL namespace of the app's pages
    #: the API's and the import/export table's names where they are not ``name`` (IP assets:
    #: pages ``/ip/7/``, API ``/api/ip-assets/7``, table ``ip_assets``; an existing table's
    #: name that files and links already use: "shared_resources")
    api_name: ClassVar[str] = ""
    table_name: ClassVar[str] = ""
    fields: ClassVar[tuple[str, ...]]  # what the services let people set
    events: ClassVar[Events]
    label: ClassVar[Any] = ""  # the list's title and the resource's sheet name
    url_prefix: ClassVar[str] = ""  # URL names <namespace>:<prefix>list, …detail …
    url_names: ClassVar[dict[str, str]] = {}  # a page's own URL name: {"list": "quotas"}
    add_on_list: ClassVar[bool] = False  # the list page carries the add form (small records)
    table_id: ClassVar[str] = "declared-table"  # the htmx target and template partial
    id_name: ClassVar[str] = "pk"  # the keyword the app's services take the record id by
    consortium_field: ClassVar[str | None] = "consortium"
    #: the record a list and a new record belong to, when not the consortium (a unit's
    #: contacts): its foreign key, model and URL segment (``/units/<id>/contacts``)
    parent_field: ClassVar[str | None] = None
    parent_model: ClassVar[str] = "consortia.Consortium"
    parent_url: ClassVar[str] = "consortia"
    pages: ClassVar[bool] = True  # False: API (and services) only
    #: pages the app serves itself under the same URL name (a resource's detail with its
    #: calendar): ``urlpatterns()`` leaves them out, e.g. ``("detail",)``
    own_pages: ClassVar[tuple[str, ...]] = ()
    transfer: ClassVar[bool] = True  # False: no import/export table (personal data)
    audit_confidential: ClassVar[bool] = False  # audit entries hidden like the contents
    unit_field: ClassVar[str | None] = None  # copied into the audit entry's unit
    form: ClassVar[Any] = None  # ModelForm; default: modelform_factory(model, fields)
    filterset: ClassVar[Any] = None  # django_filters.FilterSet; default: none
    columns: ClassVar[list[Any]] = []  # transfer.Column: export, import and the list page
    list_columns: ClassVar[tuple[str, ...]] = ()  # the list page's subset (default: all)
    moves: ClassVar[tuple[Move, ...]] = ()
    personal: ClassVar[tuple[str, ...]] = ()  # personal-data fields (masking, export rules)
    deletable: ClassVar[bool] = True
    importable: ClassVar[bool] = True
    resource: ClassVar[Any] = None  # a DeclaredResource subclass; default: the plain one
    schema_out: ClassVar[Any] = None  # ninja schemas; default: built from ``fields``
    schema_in: ClassVar[Any] = None
    schema_patch: ClassVar[Any] = None
    schema_list: ClassVar[Any] = None  # the list endpoint's items (default: ``schema_out``)
    #: the detail endpoint's schema, when it shows more than ``schema_out`` (a project with
    #: its parts); its body comes from :meth:`api_detail`
    schema_detail: ClassVar[Any] = None
    #: what the API's create calls instead of ``services.create`` (a callable or its dotted
    #: path), for a model whose save does more than the standard write (a run repeated)
    create_service: ClassVar[Any] = None
    #: what the edit page, the API's PATCH and the import call instead of ``services.update``
    #: (a callable or its dotted path, called as ``service(actor=, <id_name>=pk, version=,
    #: **fields)``), for a model whose change does more than the standard write (an IP
    #: asset's change of owners is a transfer; a membership's change records its events)
    update_service: ClassVar[Any] = None
    api_tags: ClassVar[list[str] | None] = None
    list_template: ClassVar[str] = "declare/list.html"
    detail_template: ClassVar[str] = "declare/detail.html"
    form_template: ClassVar[str] = "declare/form.html"
    context_name: ClassVar[str] = "object"  # the record's name in the templates
    nav: ClassVar[str] = ""
    select_related: ClassVar[tuple[str, ...]] = ("consortium",)
    prefetch_related: ClassVar[tuple[Any, ...]] = ()
    validate_constraints: ClassVar[bool] = True
    clean_exclude: ClassVar[tuple[str, ...]] = ("consortium",)
    #: messages (lazy texts) the pages and services show
    invalid_message: ClassVar[Any] = "The record could not be saved."
    add_forbidden: ClassVar[Any] = gettext_lazy("You may not do this.")

    # --- hooks a model may override -------------------------------------------------------
    def base_queryset(self) -> QuerySet:
        """Every row with what the pages and the API show (scoping comes on top)."""
        qs = self.model._default_manager.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def for_viewer(self, qs: QuerySet, user: Any) -> QuerySet:
        """What a read adds for the user who reads (whether the record's confidential contents
        are visible to them); the list, the detail and the API's answers go through it."""
        return qs

    def in_consortium(self, qs: QuerySet, consortium_id: int, params: Any) -> QuerySet:
        """``qs`` narrowed to one consortium's records (default: by ``consortium_field``); a
        model reached through other rows (units, through their memberships) overrides it, and
        may apply there the filters that only mean something within a consortium."""
        if not self.consortium_field:
            return qs
        return qs.filter(**{f"{self.consortium_field}_id": consortium_id})

    def may_add(self, user: Any, consortium_id: int | None) -> bool:
        """Whether the list offers, and the new page opens, the form of a new record here
        (default: the policy's ``add`` rule; the services decide again when it is saved)."""
        from gongsheng.access.scope import can

        return can(user, "add", self.model, consortium_id=consortium_id)

    def consortium_of(self, obj: Model) -> int | None:
        """The consortium an audit entry of ``obj`` is filed under (the consortium itself for
        a consortium; default: ``consortium_field``)."""
        if not self.consortium_field:
            return None
        return getattr(obj, f"{self.consortium_field}_id", None)

    def split(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """Input -> (model fields, extra inputs such as related ids). Default: all fields."""
        return dict(data), {}

    def prepare(self, data: dict[str, Any]) -> dict[str, Any]:
        """Normalise input before it is applied (raise ``ValidationFailed`` naming a field)."""
        return data

    def prepare_extra(self, obj: Model, extra: dict[str, Any]) -> dict[str, Any]:
        """Check and normalise the extra inputs (once ``obj`` knows its consortium)."""
        return extra

    def check(self, obj: Model, extra: dict[str, Any]) -> list[FieldError]:
        """Rules across fields, after the field checks: one ``FieldError`` per bad field."""
        return []

    def snapshot(self, obj: Model) -> dict[str, Any]:
        """What the audit entry records before and after a write."""
        from gongsheng.audit.services import snapshot

        return snapshot(obj)

    def extra_changed(self, obj: Model, extra: dict[str, Any], before: dict[str, Any]) -> bool:
        """Whether the extra inputs change the record (an update of only these is a change)."""
        return False

    def save_extra(self, obj: Model, extra: dict[str, Any]) -> None:
        """Write what the extra inputs say (many-to-many rows) after the record is saved."""

    def after_save(self, obj: Model, extra: dict[str, Any], *, actor: Any, created: bool) -> None:
        """Inside the write's transaction, after the record (version bumped) and its extra rows
        are saved and before the audit entry: rows that keep the record's history (a contract's
        numbered versions). Not called for an update that changes nothing."""

    def related(self, obj: Model) -> Model | None:
        """The record whose history also shows this one's audit entries (a contact's unit)."""
        return None

    def before_delete(self, obj: Model) -> None:
        """Clear what goes with the record (files through ``transaction.on_commit``)."""

    def page_context(self, request: Any, obj: Model | None) -> dict[str, Any]:
        """More names for a page's template (the detail's forms, the list's choices)."""
        return {}

    def form_kwargs(self, request: Any, consortium: Model) -> dict[str, Any]:
        """Extra keyword arguments of the edit form (a scoped choice of units)."""
        return {}

    def service_data(self, form: Any) -> dict[str, Any]:
        """The edit form's cleaned data as the service's input."""
        if hasattr(form, "service_data"):
            return form.service_data()
        return {k: form.cleaned_data[k] for k in self.fields if k in form.cleaned_data}

    def api_detail(self, user: Any, obj: Model) -> Any:
        """What ``GET /<name>/{id}`` answers (read by ``schema_detail``): by default the record;
        a declaration with a richer detail (parts the user may see) returns it here."""
        return obj

    def saved_message(self, obj: Model, form: Any = None, *, created: bool) -> str:
        """What the new and edit pages (and the list's add form) say after a save: what
        changed, where the model knows it (``form.changed_data``, or what ``after_save``
        noted); default "Saved."."""
        from django.utils.translation import gettext

        return gettext("Saved.")

    def page_field(self, field: str) -> str:
        """The form field that shows a service's field error (default: the same name)."""
        return field

    # --- derived -------------------------------------------------------------------------
    @property
    def api_segment(self) -> str:
        return self.api_name or self.name

    @property
    def table(self) -> str:
        return self.table_name or self.name

    def move(self, name: str) -> Move:
        return next(m for m in self.moves if m.name == name)

    def get_form(self) -> Any:
        if self.form is not None:
            return self.form
        from django import forms

        return forms.modelform_factory(self.model, fields=list(self.fields))

    def shown_columns(self) -> list[Any]:
        if not self.list_columns:
            return list(self.columns)
        by_name = {c.name: c for c in self.columns}
        return [by_name[n] for n in self.list_columns]

    @property
    def parent(self) -> str:
        """The foreign key a list and a new record belong to."""
        return self.parent_field or self.consortium_field or "consortium"

    def policy(self) -> Any:
        from gongsheng.access.policies import policy_for

        return policy_for(self.model)


_REGISTRY: dict[type[Model], Declaration] = {}


def register(cls: type[Declaration]) -> type[Declaration]:
    """Class decorator: ``@register class PolicyDeclaration(Declaration): ...``; registers
    its import/export resource with ``transfer`` as well."""
    declaration = cls()
    _REGISTRY[cls.model] = declaration
    from gongsheng.declare.transfer import register_resource

    if declaration.transfer:
        register_resource(declaration)
    return cls


def declaration_for(model: type[Model]) -> Declaration:
    return _REGISTRY[model]


def declarations() -> list[Declaration]:
    """Every declared model's declaration, in registration order."""
    return list(_REGISTRY.values())
