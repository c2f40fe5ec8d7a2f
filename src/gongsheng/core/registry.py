"""The app registry: every Gongsheng app declares in its ``AppConfig`` what the central files
used to list by hand, and they read it from here.

An app subclasses :class:`GongshengAppConfig` in its ``apps.py`` and sets (all optional):

``navigation``
    :class:`NavEntry` items for the main navigation (``web/templates/web/base.html`` renders
    them through the ``main_navigation`` tag), each in a menu (``group``, a key of
    :data:`NAV_GROUPS`) or at the top level (``group=""``).
``urls`` / ``url_prefix``
    the app's URLconf module, included by ``gongsheng.urls`` at ``url_prefix``.
``api_router`` / ``api_prefix``
    ``"module:attribute"`` of its django-ninja ``Router``, mounted by ``gongsheng.api``.
``demo`` / ``demo_order``
    the module with ``load_demo_data(*, consortium, units, rng)`` and ``remove_demo_data()``;
    ``web.demo`` loads them by ascending ``demo_order`` and removes them in reverse.
``events`` / ``event_block``
    ``"module:Enum"`` of the app's audit event types (an ``IntEnum``) and the ``range`` of
    numbers it owns; ``AuditEntry.event_name`` resolves any number through it, and a test
    keeps every number inside its block and the blocks apart.
``personal_data``
    ``{"ModelName": ("field", ...)}``: personal data, masked by ``access.personal`` for users
    without the right to see it (the ``view_personal`` action of the model's policy).

Adding an app then touches ``INSTALLED_APPS`` and the import contracts, nothing else central.
Subclass it as ``registry.GongshengAppConfig`` (``from gongsheng.core import registry``): a
base class imported by name into ``apps.py`` would be a second candidate for Django's default
``AppConfig``. This module is the bottom layer: it imports Django, nothing of ours.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    """One link of the main navigation.

    ``url_name`` is reversed with the current consortium's pk when ``per_consortium`` (the
    link then shows only on a consortium's pages). ``nav`` holds the ``nav`` keys that pages
    pass to mark the link active. ``requires`` is an optional ``(action, "app_label.Model")``:
    the link shows only when ``access.can(user, action, Model, consortium_id=…)`` says yes.
    ``query`` is appended to the URL (``{consortium}`` is replaced by the consortium's pk).
    """

    label: Any
    url_name: str
    nav: tuple[str, ...] = ()
    group: str = ""
    order: int = 50
    per_consortium: bool = True
    requires: tuple[str, str] | None = None
    query: str = ""


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: Any
    order: int


#: the menus of the main navigation, in the order they appear
NAV_GROUPS: dict[str, NavGroup] = {
    g.key: g
    for g in (
        NavGroup("cooperation", _("Cooperation"), 20),
        NavGroup("resources", _("Resources and ledger"), 30),
        NavGroup("analysis", _("Analysis"), 40),
        NavGroup("platform", _("Platform"), 90),
    )
}


class GongshengAppConfig(AppConfig):
    """Base ``AppConfig`` of every Gongsheng app; see the module docstring."""

    navigation: tuple[NavEntry, ...] = ()
    urls: str = ""
    url_prefix: str = ""
    api_router: str = ""
    api_prefix: str = "/"
    demo: str = ""
    demo_order: int = 50
    events: str = ""
    event_block: range | None = None
    personal_data: dict[str, tuple[str, ...]] = {}

    def event_enum(self) -> Any:
        return load(self.events) if self.events else None


def load(ref: str) -> Any:
    """``"package.module:attribute"`` -> the attribute (``"package.module"`` -> the module)."""
    module, _sep, attr = ref.partition(":")
    obj: Any = importlib.import_module(module)
    for part in filter(None, attr.split(".")):
        obj = getattr(obj, part)
    return obj


def gongsheng_apps() -> list[GongshengAppConfig]:
    """The installed Gongsheng apps, in ``INSTALLED_APPS`` order."""
    return [c for c in apps.get_app_configs() if isinstance(c, GongshengAppConfig)]


def navigation() -> list[tuple[NavGroup | None, list[NavEntry]]]:
    """The main navigation: top-level links (group ``None``) and menus, each sorted."""
    top: list[NavEntry] = []
    menus: dict[str, list[NavEntry]] = {}
    for config in gongsheng_apps():
        for entry in config.navigation:
            if entry.group:
                if entry.group not in NAV_GROUPS:
                    raise ValueError(f"{config.label}: unknown navigation group {entry.group!r}")
                menus.setdefault(entry.group, []).append(entry)
            else:
                top.append(entry)
    out: list[tuple[NavGroup | None, list[NavEntry]]] = [
        (None, [e]) for e in sorted(top, key=lambda e: e.order)
    ]
    for key in sorted(menus, key=lambda k: NAV_GROUPS[k].order):
        out.append((NAV_GROUPS[key], sorted(menus[key], key=lambda e: e.order)))
    return out


def url_modules() -> Iterator[tuple[str, str]]:
    """``(prefix, urls module)`` of every app with pages."""
    for config in gongsheng_apps():
        if config.urls:
            yield config.url_prefix, config.urls


def api_routers() -> Iterator[tuple[str, Any]]:
    """``(prefix, router)`` of every app with an API."""
    for config in gongsheng_apps():
        if config.api_router:
            yield config.api_prefix, load(config.api_router)


def demo_modules() -> list[Any]:
    """The apps' demo modules in loading order (remove them in reverse)."""
    configs = sorted((c for c in gongsheng_apps() if c.demo), key=lambda c: c.demo_order)
    return [load(c.demo) for c in configs]


def event_blocks() -> list[tuple[GongshengAppConfig, range, Any]]:
    """``(app, block, enum)`` of every app that owns audit event numbers."""
    return [
        (c, c.event_block, c.event_enum()) for c in gongsheng_apps() if c.event_block is not None
    ]


@cache
def _event_names() -> dict[int, str]:
    names: dict[int, str] = {}
    for _config, _block, enum in event_blocks():
        if enum is not None:
            names.update({int(member): member.name for member in enum})
    return names


@cache
def _event_members() -> dict[str, Any]:
    members: dict[str, Any] = {}
    for _config, _block, enum in event_blocks():
        if enum is not None:
            members.update({member.name: member for member in enum})
    return members


def event_member(name: str) -> Any:
    """The member called ``name`` of any app's event enum (``None`` when there is none)."""
    return _event_members().get(name)


def event_name(number: int) -> str:
    """The name of an audit event number, from the enum of the app that owns its block."""
    return _event_names().get(int(number), str(number))


def personal_fields(model: type[Any]) -> tuple[str, ...]:
    """The fields of ``model`` its app declares personal (``()`` for none)."""
    meta = model._meta
    try:
        config = apps.get_app_config(meta.app_label)
    except LookupError:
        return ()
    declared = getattr(config, "personal_data", {}) or {}
    return tuple(declared.get(meta.object_name, ()))
