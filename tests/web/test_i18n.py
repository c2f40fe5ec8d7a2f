"""Every interface text has its Chinese translation, and the compiled catalogue is current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import gongsheng

LOCALE = Path(gongsheng.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def _entries() -> list[tuple[str, str]]:
    return [(msgid, msgstr) for _ctx, msgid, msgstr in _entries_with_context()]


def _entries_with_context() -> list[tuple[str | None, str, str]]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    out = []
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block:
            out.append((None, "FUZZY:" + block, ""))
            continue
        ctx = re.search(r'^msgctxt ((?:".*"\n?)+)', block, re.M)
        mid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        mstr = re.search(r"^msgstr(?:\[0\])? ((?:\".*\"\n?)+)", block, re.M)
        if not mid:
            continue
        msgid = "".join(re.findall(r'"(.*)"', mid.group(1)))
        if msgid:
            context = "".join(re.findall(r'"(.*)"', ctx.group(1))) if ctx else None
            out.append(
                (context, msgid, "".join(re.findall(r'"(.*)"', mstr.group(1))) if mstr else "")
            )
    return out


def test_every_text_is_translated():
    missing = [msgid for msgid, msgstr in _entries() if not msgstr]
    assert not missing, f"untranslated (run makemessages, translate, msgfmt): {missing}"


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = []
    for context, msgid, msgstr in _entries_with_context():
        plain = msgid.encode().decode("unicode_escape").encode("latin-1").decode()
        want = msgstr.encode().decode("unicode_escape").encode("latin-1").decode()
        if context is not None:
            if (
                catalogue.pgettext(context, plain) != want
                and catalogue.npgettext(context, plain, plain, 1) != want
            ):
                stale.append(f"{context}|{plain}")
        elif catalogue.gettext(plain) != want and catalogue.ngettext(plain, plain, 1) != want:
            stale.append(plain)
    assert not stale, f"django.mo is out of date (run msgfmt): {stale[:5]}"
