"""Every page, as every demo role, in Chinese and in English: no untranslated catalogue entry, no
raw choice code, no run of English words that is the same in both languages and not data.

The pages are found by a crawl of the demo as the platform admin (each URL name once, with the
ids of the first record linked), then every role opens each of them in both languages through
Django's test client. Error pages (403, 404) are checked like the others.
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import trans_real

ROLES = (
    "admin",
    "secretariat",
    "supervisor",
    "observer",
    "enterprise_admin",
    "enterprise_member",
    "school_admin",
    "school_member",
)

# Latin words a Chinese page may show as they are, each for a reason.
ALLOWED_RUNS = {
    "Gongsheng",  # the product's name (共生 Gongsheng)
}
ALLOWED_WORDS = {
    "API",
    "ID",
    "Excel",
    "PDF",
    "Word",
    "CSV",
    "JSON",
    "HTML",
    "URL",
    "Webhook",
    "Shapley",  # the method's name (Shapley 值)
    "Nash",
    "Logistic",
    "ESS",
    "CSRF",
    "Token",
    "Bearer",
    "OpenAPI",
    "WeCom",
    "DingTalk",
    "Feishu",
    "SHA",
}
# pages that are not crawled: they change something on GET, answer with a file, or need a
# token from a mail
SKIP_URL_NAMES = {
    "logout",
    "set_language",
    "web:api_docs_link",
}
# the game page computes for seconds (issue 13.8): one role opens it
SLOW_URL_NAMES = {"modelling:game"}
# what the crawl must reach (a link that went missing would shrink the test silently)
CRAWLED_URL_NAMES = (
    "access:account", "access:password_change", "access:people", "access:person",
    "consortia:create", "consortia:edit", "consortia:list", "consortia:membership_create",
    "consortia:membership_detail", "consortia:membership_edit", "consortia:memberships",
    "consortia:overview", "consortia:unit", "consortia:unit_create", "consortia:unit_edit",
    "consortia:units", "cooperation:alerts", "cooperation:contract",
    "cooperation:contract_create", "cooperation:contract_edit", "cooperation:contracts",
    "cooperation:ip_asset", "cooperation:ip_assets", "cooperation:ip_create",
    "cooperation:ip_edit", "cooperation:project", "cooperation:project_create",
    "cooperation:project_edit", "cooperation:projects", "diagnosis:consortium",
    "diagnosis:pair", "diagnosis:province", "diagnosis:settings", "distribution:studies",
    "distribution:study", "distribution:study_create", "distribution:values", "documents:list",
    "environment:comparison", "environment:create", "environment:detail", "environment:edit",
    "environment:incentives", "environment:list", "jobs:list", "ledger:entry", "ledger:list",
    "ledger:new", "ledger:rules", "ledger:summaries", "metrics:catalogue", "metrics:consortium",
    "modelling:dynamics", "modelling:game", "modelling:scenario", "modelling:scenarios",
    "notifications:channel_create", "notifications:channel_edit", "notifications:channels",
    "notifications:deliveries", "notifications:inbox", "notifications:preferences",
    "sharing:book", "sharing:catalogue", "sharing:mine", "sharing:queue", "sharing:quotas",
    "sharing:resource", "sharing:resource_create", "sharing:resource_edit",
    "sharing:utilisation", "web:analyze", "web:audit", "web:home", "web:import",
)  # fmt: skip
# Texts of the science (diagnosis verdicts, alerts' reasons, game and incentive words, the
# policy comparison note, IP grounds) that the branch "zhsci" renders through the catalogue
# (issue 13.3): remove this list when it is merged, and the test must pass without it.
PENDING_ELSEWHERE: set[str] = set()  # texts another change renders (empty: none pending)
# "Notices" is the label of the test-only example app (tests/declare_example)
ALLOWED_UNTRANSLATED = {"Notices"}
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’.-]*(?:[ \t]+[A-Za-z][A-Za-z'’.-]*)+")
_TOKEN = re.compile(r"[A-Za-z0-9_]+")
# an enum member's name (ALERT_RAISED)
_CODE_NAME = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


class _Text(HTMLParser):
    """The text a person sees: text nodes outside script/style/template, and the titles,
    placeholders and labels of elements."""

    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        values = dict(attrs)
        for name in ("title", "placeholder", "aria-label", "alt"):
            if values.get(name):
                self.nodes.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.nodes.append(values["value"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.nodes.append(data.strip())


def _parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def _choice_codes() -> set[str]:
    codes: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("gongsheng."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and len(value) > 2 and re.search("[a-z]", value):
                    codes.add(value)
    return codes


def _database_text() -> tuple[str, set[str]]:
    """Every text the demo put in the database (names, notes, JSON): what a page may show as
    data, in any language."""
    chunks: list[str] = []
    values: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if isinstance(value, str):
                    chunks.append(value)
                    values.add(value)
                elif value is not None:
                    chunks.append(json.dumps(value, ensure_ascii=False))
    return "\n".join(chunks), values


class _Untranslated:
    """Catalogue look-ups in Chinese that came back unchanged (msgid missing, fuzzy or empty)."""

    def __init__(self) -> None:
        self.seen: dict[str, None] = {}
        self._gettext = trans_real.DjangoTranslation.gettext
        self._ngettext = trans_real.DjangoTranslation.ngettext

    def __enter__(self) -> _Untranslated:
        recorder = self

        def gettext(obj: trans_real.DjangoTranslation, message: str) -> str:
            result = recorder._gettext(obj, message)
            if obj.to_language() == "zh-hans" and result == message:
                recorder.note(message)
            return result

        def ngettext(obj: trans_real.DjangoTranslation, one: str, many: str, n: int) -> str:
            result = recorder._ngettext(obj, one, many, n)
            if obj.to_language() == "zh-hans" and result in (one, many):
                recorder.note(one)
            return result

        trans_real.DjangoTranslation.gettext = gettext  # type: ignore[method-assign]
        trans_real.DjangoTranslation.ngettext = ngettext  # type: ignore[method-assign]
        return self

    def note(self, message: str) -> None:
        text = message.split("\x04", 1)[-1]
        words = [w for w in re.findall(r"[A-Za-z]+", text) if w not in ALLOWED_WORDS]
        if words:
            self.seen[message.replace("\x04", " | ")] = None

    def __exit__(self, *exc: object) -> None:
        trans_real.DjangoTranslation.gettext = self._gettext  # type: ignore[method-assign]
        trans_real.DjangoTranslation.ngettext = self._ngettext  # type: ignore[method-assign]


def _key(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if name in SKIP_URL_NAMES:
        return None
    slugs = [f"{k}={v}" for k, v in sorted(match.kwargs.items()) if not isinstance(v, int)]
    return "|".join([name, *slugs])


def _crawl(client: Client, start: str) -> dict[str, str]:
    """One URL per page kind reachable by links from ``start`` (the main demo consortium's
    overview: its records are found first) and the platform's pages."""
    found: dict[str, str] = {}
    queue = deque([start, "/consortia/", "/audit/", "/account/", "/notifications/"])
    seen_paths: set[str] = set()
    while queue:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in _parse(response.content.decode()).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(("/api/", "/static/", "/i18n/")):
                continue
            if parts.path in seen_paths:
                continue
            seen_paths.add(parts.path)
            key = _key(parts.path)
            if key is None or key in found:
                continue
            found[key] = parts.path
            queue.append(parts.path)
    return found


def _runs(nodes: list[str]) -> set[str]:
    runs: set[str] = set()
    for node in nodes:
        for run in _LATIN_RUN.findall(node):
            words = [w for w in run.split() if w.strip(".-'’") not in ALLOWED_WORDS]
            if len(words) >= 2 and run not in ALLOWED_RUNS:
                runs.add(run.strip())
    return runs


@pytest.mark.django_db
def test_every_page_in_both_languages_for_every_role():
    from django.core.management import call_command

    from gongsheng.access.models import RoleAssignment, User

    started = time.process_time()  # CPU time: the machine may be shared
    call_command("demo", verbosity=0)
    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    main = RoleAssignment.objects.get(user=users["secretariat"]).consortium_id
    crawler = Client()
    crawler.force_login(users["admin"])
    with translation.override("zh-hans"):
        pages = _crawl(crawler, f"/consortia/{main}/")
    missed = sorted(set(CRAWLED_URL_NAMES) - {key.split("|")[0] for key in pages})
    assert not missed, f"the crawl no longer reaches {missed}: a link went missing"

    seen: list[tuple[str, str, str, list[str]]] = []  # (role, language, path, text nodes)
    failures: list[str] = []
    timing: dict[str, float] = {}
    with _Untranslated() as untranslated:
        for role in ROLES:
            client = Client()
            client.force_login(users[role])
            for key, path in sorted(pages.items()):
                if key.split("|")[0] in SLOW_URL_NAMES and role != "admin":
                    continue
                for lang in ("zh-hans", "en"):
                    client.cookies["django_language"] = lang
                    t0 = time.monotonic()
                    response = client.get(path)
                    timing[path] = timing.get(path, 0.0) + time.monotonic() - t0
                    if response.status_code >= 500:
                        failures.append(f"{response.status_code}: {role} {lang} {path}")
                    elif "text/html" in response.get("Content-Type", ""):
                        seen.append((role, lang, path, _parse(response.content.decode()).nodes))
    # what the demo and the pages' own writes (audit entries of reads, jobs) put in the
    # database is data, shown as it was written
    data, values = _database_text()
    found: dict[str, bool] = {}  # the same texts recur on every page: scan the data once each

    def in_data(text: str) -> bool:
        if text not in found:
            found[text] = text in data
        return found[text]

    codes = _choice_codes()
    problems: dict[str, set[str]] = {}
    english = {(role, path): "\n".join(n) for role, lang, path, n in seen if lang == "en"}
    for role, lang, path, nodes in seen:
        where = f"{role} {lang} {path}"
        for node in nodes:
            # a name, a note, a stored repr or JSON (after 修改历史's "field: "): data
            if in_data(node) or in_data(node.lstrip(":→ ")):
                continue
            for token in _TOKEN.findall(node):
                if token in PENDING_ELSEWHERE or token in values:
                    continue
                if token in codes and (lang == "zh-hans" or "_" in token):
                    problems.setdefault(f"raw choice code {token!r} in {node[:80]!r}", set()).add(
                        where
                    )
            for token in _CODE_NAME.findall(node) if lang == "zh-hans" else ():
                if not in_data(token):
                    problems.setdefault(f"raw code {token!r} in {node[:80]!r}", set()).add(where)
        if lang == "zh-hans":
            other = english.get((role, path), "")
            for run in _runs(nodes):
                if run in other and not in_data(run) and run not in PENDING_ELSEWHERE:
                    problems.setdefault(f"English in Chinese {run!r}", set()).add(where)
    for message in set(untranslated.seen) - PENDING_ELSEWHERE - ALLOWED_UNTRANSLATED:
        problems.setdefault(f"untranslated {message!r}", set()).add("catalogue")
    elapsed = time.process_time() - started
    slowest = sorted(timing.items(), key=lambda kv: -kv[1])[:5]
    report = "\n".join(
        f"{what}  [{len(where)}×, e.g. {sorted(where)[0]}]"
        for what, where in sorted(problems.items())
    )
    # measured on one core with the demo load; the game page is the slowest (issue 13.8);
    # not asserted: a shared machine's CPU time varies with BLAS threads
    print(f"{len(pages)} pages, {len(seen)} renders, {elapsed:.0f} s CPU; slowest {slowest}")
    assert not failures, failures
    assert not problems, f"{len(problems)} problems in {len(pages)} pages:\n{report}"
