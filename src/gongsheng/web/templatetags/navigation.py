"""``{% main_navigation %}``: the main navigation from the app registry
(``GongshengAppConfig.navigation``), top-level links and menus, for the current user and
consortium."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.apps import apps
from django.urls import reverse

from gongsheng.access.scope import can
from gongsheng.core import registry

register = template.Library()


@dataclass(frozen=True)
class Link:
    label: Any
    url: str
    active: bool


@dataclass(frozen=True)
class Menu:
    key: str
    label: Any
    links: list[Link]

    @property
    def active(self) -> bool:
        return any(link.active for link in self.links)


def _allowed(user: Any, entry: registry.NavEntry, consortium: Any) -> bool:
    if entry.requires is None:
        return True
    action, model_label = entry.requires
    model = apps.get_model(model_label)
    if consortium is None:
        return False
    return can(user, action, model, consortium_id=consortium.pk)


def _link(entry: registry.NavEntry, consortium: Any, nav: str) -> Link:
    url = reverse(entry.url_name, args=[consortium.pk] if entry.per_consortium else [])
    if entry.query and consortium is not None:
        url += "?" + entry.query.format(consortium=consortium.pk)
    return Link(entry.label, url, bool(nav) and nav in entry.nav)


def build(user: Any, consortium: Any = None, nav: str = "") -> list[Link | Menu]:
    """The navigation ``user`` sees: links and menus, empty menus left out."""
    out: list[Link | Menu] = []
    for group, entries in registry.navigation():
        links = [
            _link(e, consortium, nav)
            for e in entries
            if (consortium is not None or not e.per_consortium) and _allowed(user, e, consortium)
        ]
        if group is None:
            out.extend(links)
        elif links:
            out.append(Menu(group.key, group.label, links))
    return out


@register.inclusion_tag("web/navigation.html", takes_context=True)
def main_navigation(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    consortium = context.get("current_consortium")
    return {"items": build(user, consortium, context.get("nav") or "")}
