"""The analytics' reasons in Chinese or English without Django (decision 0808).

The workbook report and the command line cannot import Django, so they read the platform's
own compiled catalogue (``gongsheng/locale/zh_Hans/LC_MESSAGES/django.mo``) with Python's
``gettext`` module and render through :func:`gongsheng.analytics.reasons.render`, the same
renderer the platform calls with Django's ``pgettext``: one text per reason code, in one file.

>>> from gongsheng.analytics.reasons import Reason
>>> r = Reason("pair.only_gains", unit="学校")
>>> reason_text(r), reason_text(r, "en"), reason_text("an old line")
('仅学校获益', 'only 学校 gains', 'an old line')

The command line prints both languages, "中文 · English" (:func:`both`, :func:`both_message`):

>>> both(r), both("an old line"), both_message("no ESS")
('仅学校获益 · only 学校 gains', 'an old line', '没有演化稳定策略 · no ESS')
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path
from typing import Any

from gongsheng.analytics.reasons import Translate, render

#: the platform's catalogues (one directory per language, as Django keeps them)
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: the report's languages and their catalogue directory (English is the messages themselves)
LANGUAGES = {"zh": "zh_Hans", "en": None}


@lru_cache(maxsize=4)
def catalogue(lang: str = "zh") -> gettext.NullTranslations:
    """The compiled catalogue of a language of :data:`LANGUAGES`."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {sorted(LANGUAGES)}; got {lang!r}")
    folder = LANGUAGES[lang]
    if folder is None:
        return gettext.NullTranslations()
    return gettext.translation("django", LOCALE_DIR, languages=[folder])


def translator(lang: str = "zh") -> Translate:
    """``pgettext(context, message)`` of a language of :data:`LANGUAGES`."""
    return catalogue(lang).pgettext


def reason_text(value: Any, lang: str = "zh") -> str:
    """A reason (or its stored dict form) in ``lang``; an old plain line as it is."""
    return render(value, translator(lang))


def both(value: Any) -> str:
    """A reason (or its stored form) as the command line prints it: "中文 · English"; one
    text when the two are the same (an old stored line)."""
    return _both(reason_text(value, "zh"), reason_text(value, "en"))


def both_message(msgid: str) -> str:
    """A plain message of the platform's catalogue (no context, no parameters, e.g. the
    pages' ``_("no ESS")``) as the command line prints it: "中文 · English"."""
    return _both(catalogue("zh").gettext(msgid), msgid)


def _both(zh: str, en: str) -> str:
    return zh if zh == en else f"{zh} · {en}"
