"""The app registry: apps declare their pages, API, demo and navigation in their AppConfig, and
urls.py, api.py, base.html and the demo read them from there."""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver

from gongsheng.core import registry
from gongsheng.core.registry import NavEntry
from gongsheng.web.templatetags.navigation import Menu, build

CONSORTIUM_LINKS = [  # (menu or "", path under /consortia/<id>/) in order, for the secretariat
    ("", "/consortia/"),
    ("", "/consortia/{a}/"),
    ("", "/consortia/{a}/units/"),
    ("cooperation", "/consortia/{a}/projects/"),
    ("cooperation", "/consortia/{a}/contracts/"),
    ("cooperation", "/consortia/{a}/ip/"),
    ("cooperation", "/consortia/{a}/alerts/"),
    ("resources", "/consortia/{a}/resources/"),
    ("resources", "/consortia/{a}/bookings/mine/"),
    ("resources", "/consortia/{a}/ledger/"),
    ("analysis", "/consortia/{a}/diagnosis/"),
    ("analysis", "/consortia/{a}/metrics/"),
    ("analysis", "/consortia/{a}/policies/"),
    ("analysis", "/consortia/{a}/distribution/"),
    ("analysis", "/consortia/{a}/modelling/dynamics/"),
    ("analysis", "/analyze/"),
    ("platform", "/consortia/{a}/people/"),  # only who may manage people
    ("platform", "/audit/?consortium={a}"),
    ("platform", "/api-docs/"),
    ("platform", "/documents/"),
    ("platform", "/jobs/"),
    ("platform", "/consortia/{a}/chat-groups/"),  # only who may add a chat group
]
#: links shown only to those with a right (``NavEntry.requires``)
NEEDS_A_RIGHT = {
    "/consortia/{a}/chat-groups/": {"admin", "secretariat", "unit_admin"},
    "/consortia/{a}/people/": {"admin", "secretariat", "unit_admin"},
    # observers may not open the models (modelling.rules.VIEW_ROLES)
    "/consortia/{a}/modelling/dynamics/": {
        "admin", "secretariat", "supervisor", "unit_admin", "unit_member",
    },
}


def _flat(items):
    for item in items:
        if isinstance(item, Menu):
            for link in item.links:
                yield item.key, link
        else:
            yield "", item


def test_every_app_with_pages_and_api_is_mounted():
    included = {
        getattr(getattr(p, "urlconf_module", None), "__name__", "")
        for p in get_resolver().url_patterns
    }
    modules = [m for _prefix, m in registry.url_modules()]
    assert modules[-1] == "gongsheng.web.urls"  # web last: its catch-alls never shadow an app
    assert set(modules) <= included
    assert len(modules) == 15
    from gongsheng.api import api

    mounted = {id(router) for _prefix, router in api._routers}
    routers = list(registry.api_routers())
    assert len(routers) == 15
    assert all(id(router) in mounted for _prefix, router in routers)
    assert ("/ledger", __import__("gongsheng.ledger.api").ledger.api.router) in routers


def test_the_demo_loads_in_the_declared_order():
    names = [m.__name__ for m in registry.demo_modules()]
    assert names == [
        "gongsheng.ledger.demo",
        "gongsheng.cooperation.demo",
        "gongsheng.sharing.demo",
        "gongsheng.environment.demo",
        "gongsheng.distribution.demo",
        "gongsheng.modelling.demo",
        "gongsheng.diagnosis.demo",
        "gongsheng.notifications.demo",
    ]


def test_navigation_of_a_consortium_in_order_with_its_menus(world):
    items = build(world.users["secretariat"], world.a, "ip")
    got = [(key, link.url) for key, link in _flat(items)]
    assert got == [(k, u.format(a=world.a.pk)) for k, u in CONSORTIUM_LINKS]
    menus = [i for i in items if isinstance(i, Menu)]
    assert [m.key for m in menus] == ["cooperation", "resources", "analysis", "platform"]
    assert [m.active for m in menus] == [True, False, False, False]
    assert [link.url for _k, link in _flat(items) if link.active] == [
        f"/consortia/{world.a.pk}/ip/"
    ]


def test_outside_a_consortium_only_the_global_links(world):
    items = build(world.users["unit_member"], None, "")
    assert [(k, link.url) for k, link in _flat(items)] == [
        ("", "/consortia/"),
        ("analysis", "/analyze/"),
        ("platform", "/audit/"),
        ("platform", "/api-docs/"),
        ("platform", "/documents/"),
        ("platform", "/jobs/"),
    ]


@pytest.mark.parametrize(
    "role",
    ["admin", "secretariat", "supervisor", "observer", "unit_admin", "unit_member"],
)
def test_the_navigation_renders_for_every_role(world, client, role):
    client.force_login(world.users[role])
    body = client.get(f"/consortia/{world.a.pk}/").content.decode()
    nav = re.search(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', body, re.S)
    assert nav, body[:500]
    hrefs = re.findall(r'href="([^"]+)"', nav.group(1))
    expected = [u for _k, u in CONSORTIUM_LINKS if role in NEEDS_A_RIGHT.get(u, {role})]
    assert hrefs == [u.format(a=world.a.pk) for u in expected]
    assert nav.group(1).count('<details class="menu') == 4
    assert 'class="active" aria-current="page"' in nav.group(1)  # the overview is marked


def test_the_navigation_follows_the_language(world, client):
    client.force_login(world.users["secretariat"])
    body = client.get(f"/consortia/{world.a.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for label in ("成员单位", "合作", "资源与台账", "分析", "平台"):
        assert f">{label}<" in body


def test_an_entry_can_require_a_right(world, monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("distribution")
    extra = NavEntry(
        "New study",
        "distribution:studies",
        group="analysis",
        requires=("add", "distribution.Study"),
    )
    monkeypatch.setattr(config, "navigation", (*config.navigation, extra))

    def labels(user):
        return [link.label for _k, link in _flat(build(user, world.a, ""))]

    assert "New study" in labels(world.users["secretariat"])
    assert "New study" not in labels(world.users["observer"])
    assert "New study" not in labels(world.users["supervisor"])


def test_an_unknown_menu_is_refused(monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("web")
    monkeypatch.setattr(config, "navigation", (NavEntry("X", "web:home", group="nowhere"),))
    with pytest.raises(ValueError, match="nowhere"):
        registry.navigation()
