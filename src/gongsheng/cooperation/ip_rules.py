"""The IP rules engine: may unit X do action Y with asset Z?

Pure Python, no Django: it takes plain :class:`Facts` and returns a :class:`Verdict` citing the
contract clause or statutory article behind it. Decision support, not legal advice.

Order of decision (see docs/decisions/0401-ip-rules-engine.md):

1. the contract's own clauses (a clause naming the unit beats one naming every party);
2. for a unit that owns nothing but holds a licence: the licence's terms;
3. the statutory defaults, first matching row of :data:`STATUTE` wins
   (Patent Law Art. 14 for granted co-owned patents, Civil Code Arts. 861, 859, 860);
4. a sole owner may do anything; a unit with no right may do nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACTIONS = ("transfer", "license", "sublicense", "file", "publish", "use")
ALLOWED, CONSENT, FORBIDDEN = "allowed", "consent", "forbidden"
SECRET_KINDS = frozenset({"know_how", "technical_secret"})


# --- the engine's words -------------------------------------------------------------------
def pgettext(context: str, message: str) -> str:
    """Marks a message for ``makemessages`` (its keyword ``pgettext:1c,2``); returns it."""
    return message


#: every basis and reason the engine gives, in English (msgids of context "ip rule"; the
#: platform shows them in the reader's language: ``cooperation.ip_texts``)
MESSAGES: dict[str, str] = {
    "patent_14": pgettext("ip rule", "Patent Law Art. 14"),
    "civil_859": pgettext("ip rule", "Civil Code Art. 859"),
    "civil_860": pgettext("ip rule", "Civil Code Art. 860"),
    "civil_861": pgettext("ip rule", "Civil Code Art. 861"),
    "licence_terms": pgettext(
        "ip rule",
        "%(ref)s: licence terms (a licensee may sublicense or transfer only where its "
        "licence says so)",
    ),
    "exclusive_in_force": pgettext("ip rule", "exclusive licence in force"),
    "sole_in_force": pgettext("ip rule", "sole licence in force"),
    "co_ownership": pgettext("ip rule", "co-ownership"),
    "sole_owner": pgettext("ip rule", "sole owner"),
    "no_right": pgettext("ip rule", "no right"),
    "clause": pgettext("ip rule", "the contract's own clause decides"),
    "licence_lapsed": pgettext("ip rule", "the licence is not in force on that date"),
    "licence_use": pgettext("ip rule", "a %(kind)s licence in force permits use"),
    "licence_sublicense": pgettext("ip rule", "the licence permits sublicensing"),
    "licence_no_sublicense": pgettext(
        "ip rule",
        "a %(kind)s licensee without a sublicensing term may not pass the technology on",
    ),
    "licence_transfer": pgettext("ip rule", "the licence permits transfer"),
    "licence_no_transfer": pgettext("ip rule", "the licence does not permit transfer"),
    "owners_only": pgettext("ip rule", "only the owners may file or publish"),
    "art14_use": pgettext("ip rule", "a co-owner may exploit the patent alone"),
    "art14_general": pgettext(
        "ip rule", "a co-owner may grant general licences alone; fees are shared"
    ),
    "art14_consent": pgettext(
        "ip rule", "anything beyond own use or a general licence needs every co-owner"
    ),
    "not_party": pgettext("ip rule", "not a party to the development"),
    "art861_undelivered": pgettext(
        "ip rule",
        "a commissioned developer may not transfer the technical secret before delivering it "
        "to the commissioning party",
    ),
    "art861_free": pgettext(
        "ip rule", "absent agreement each party may use and transfer the technical secret"
    ),
    "art861_publish": pgettext(
        "ip rule", "publishing or filing ends the secret the others also hold"
    ),
    "art859_preemption": pgettext(
        "ip rule",
        "the commissioning party has a pre-emption right when the developer transfers the "
        "application right",
    ),
    "art859_developer": pgettext("ip rule", "the developer holds the application right"),
    "art859_use": pgettext("ip rule", "the commissioning party may exploit the result"),
    "art859_commissioner": pgettext("ip rule", "the application right belongs to the developer"),
    "art860_use": pgettext("ip rule", "a party (even one that waived its share) keeps free use"),
    "art860_refused": pgettext("ip rule", "another party refused to file, so no party may file"),
    "art860_joint": pgettext("ip rule", "the application right is joint"),
    "art860_transfer": pgettext(
        "ip rule", "transferring a share gives the others a pre-emption right"
    ),
    "art860_agree": pgettext(
        "ip rule", "the application right is joint: the other parties must agree"
    ),
    "exclusive_bars": pgettext(
        "ip rule", "an exclusive licence bars the owners from using or licensing it"
    ),
    "sole_bars": pgettext("ip rule", "a sole licence bars further licences"),
    "co_owners": pgettext("ip rule", "the co-owners decide together"),
    "sole_decides": pgettext("ip rule", "the sole owner decides"),
    "no_right_reason": pgettext(
        "ip rule", "the unit neither owns nor holds a licence on the asset"
    ),
}


class Text(str):
    """A basis or reason of the engine: its English text that keeps its message and
    parameters (``ref``: a licence's reference; ``kind``: a licence kind's code)."""

    message: str
    params: dict[str, str]

    def __new__(cls, message: str, /, **params: str) -> Text:
        obj = super().__new__(cls, message % params if params else message)
        obj.message, obj.params = message, params
        return obj

    def __reduce__(self) -> Any:
        return (_text, (self.message, self.params))


def _text(message: str, params: dict[str, str]) -> Text:
    return Text(message, **params)


def _t(key: str, **params: str) -> Text:
    return Text(MESSAGES[key], **params)


def _pattern(message: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", message)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
        + r"\Z"
    )


_PATTERNS = [(m, _pattern(m)) for m in MESSAGES.values()]


def parse(value: Any) -> Any:
    """A stored basis or reason (English, as recorded) read back as a :class:`Text`;
    anything else (a contract clause's own reference or text) as it is."""
    if isinstance(value, Text) or not isinstance(value, str):
        return value
    for message, pattern in _PATTERNS:
        found = pattern.match(value)
        if found:
            return Text(message, **found.groupdict())
    return value


@dataclass(frozen=True)
class Clause:
    """A contract clause about one action: for one unit (``unit`` set) or every party."""

    action: str
    outcome: str
    ref: str  # e.g. "Contract HT-2024-03 §7.2"
    unit: int | None = None
    consent_of: tuple[int, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Licence:
    """A licence the asking unit holds."""

    ref: str
    kind: str  # exclusive / sole / general
    may_sublicense: bool = False
    may_transfer: bool = False
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None

    def active(self, on: dt.date) -> bool:
        return (self.starts_on is None or self.starts_on <= on) and (
            self.ends_on is None or on <= self.ends_on
        )


@dataclass(frozen=True)
class Facts:
    unit: int
    action: str
    asset_kind: str  # patent, patent_application, software_copyright, know_how …
    origin: str = "own"  # commissioned / cooperative / own
    owners: tuple[int, ...] = ()
    developers: tuple[int, ...] = ()  # commissioned development: the developer(s)
    commissioners: tuple[int, ...] = ()  # commissioned development: the commissioning party
    patented: bool = False  # a patent has been granted on it
    delivered: bool = True  # commissioned: the developer delivered the result
    filing_refused_by: tuple[int, ...] = ()  # cooperative: parties that refused to file
    licences: tuple[Licence, ...] = ()  # licences the unit holds on the asset
    granted_exclusive: bool = False  # an exclusive licence to someone else is in force
    granted_sole: bool = False  # a sole licence to someone else is in force
    licence_kind: str = "general"  # for "license": the kind of licence to be granted
    clauses: tuple[Clause, ...] = ()
    on: dt.date = field(default_factory=dt.date.today)

    @property
    def others(self) -> tuple[int, ...]:
        return tuple(u for u in self.owners if u != self.unit)

    @property
    def is_owner(self) -> bool:
        return self.unit in self.owners


@dataclass(frozen=True)
class Verdict:
    outcome: str  # allowed / consent / forbidden
    basis: str  # the clause or article (a Text, or a contract clause's own reference)
    reason: str  # a Text, or a contract clause's own text
    consent_of: tuple[int, ...] = ()

    @property
    def allowed(self) -> bool:
        return self.outcome == ALLOWED


@dataclass(frozen=True)
class Row:
    """One statutory default: when it applies, and what it says."""

    basis: str
    applies: Callable[[Facts], bool]
    decide: Callable[[Facts], Verdict]


def _v(outcome: str, basis: str, reason: str, consent_of: tuple[int, ...] = ()) -> Verdict:
    return Verdict(outcome, basis, reason, tuple(sorted(set(consent_of))))


# --- 1. contract clauses -----------------------------------------------------------------
def _by_clause(f: Facts) -> Verdict | None:
    matching = [c for c in f.clauses if c.action == f.action and c.unit in (f.unit, None)]
    if not matching:
        return None
    c = sorted(matching, key=lambda c: c.unit is None)[0]
    consent = c.consent_of or (f.others if c.outcome == CONSENT else ())
    return _v(c.outcome, c.ref, c.text or _t("clause"), consent)


# --- 2. licences -------------------------------------------------------------------------
def _by_licence(f: Facts) -> Verdict | None:
    if f.is_owner:
        return None
    active = [lic for lic in f.licences if lic.active(f.on)]
    if not active:
        if f.licences:
            return _v(FORBIDDEN, f.licences[0].ref, _t("licence_lapsed"))
        return None
    lic = active[0]
    basis = _t("licence_terms", ref=lic.ref)
    if f.action == "use":
        return _v(ALLOWED, lic.ref, _t("licence_use", kind=lic.kind))
    if f.action in ("sublicense", "license"):
        if lic.may_sublicense:
            return _v(ALLOWED, basis, _t("licence_sublicense"))
        return _v(FORBIDDEN, basis, _t("licence_no_sublicense", kind=lic.kind), f.owners)
    if f.action == "transfer":
        if lic.may_transfer:
            return _v(ALLOWED, basis, _t("licence_transfer"))
        return _v(FORBIDDEN, basis, _t("licence_no_transfer"), f.owners)
    return _v(FORBIDDEN, basis, _t("owners_only"))


# --- 3. statutory defaults -----------------------------------------------------------------
def _co_owned_patent(f: Facts) -> bool:
    return f.patented and len(f.owners) > 1 and f.is_owner


def _art14(f: Facts) -> Verdict:
    b = _t("patent_14")
    if f.action == "use":
        return _v(ALLOWED, b, _t("art14_use"))
    if f.action == "license" and f.licence_kind == "general":
        return _v(ALLOWED, b, _t("art14_general"))
    return _v(CONSENT, b, _t("art14_consent"), f.others)


def _secret(f: Facts) -> bool:
    return (
        f.asset_kind in SECRET_KINDS
        and not f.patented
        and f.origin in ("commissioned", "cooperative")
    )


def _art861(f: Facts) -> Verdict:
    b = _t("civil_861")
    parties = set(f.owners) | set(f.developers) | set(f.commissioners)
    if f.unit not in parties:
        return _v(FORBIDDEN, b, _t("not_party"))
    if f.action in ("use", "transfer", "license"):
        if (
            f.action != "use"
            and f.unit in f.developers
            and f.origin == "commissioned"
            and not f.delivered
        ):
            return _v(FORBIDDEN, b, _t("art861_undelivered"))
        return _v(ALLOWED, b, _t("art861_free"))
    return _v(CONSENT, b, _t("art861_publish"), tuple(parties - {f.unit}))


def _commissioned(f: Facts) -> bool:
    return f.origin == "commissioned" and f.asset_kind not in SECRET_KINDS


def _art859(f: Facts) -> Verdict:
    b = _t("civil_859")
    dev, com = f.unit in f.developers, f.unit in f.commissioners
    if dev:
        if f.action == "transfer":
            return _v(CONSENT, b, _t("art859_preemption"), f.commissioners)
        return _v(ALLOWED, b, _t("art859_developer"))
    if com:
        if f.action == "use":
            return _v(ALLOWED, b, _t("art859_use"))
        return _v(FORBIDDEN, b, _t("art859_commissioner"))
    return _v(FORBIDDEN, b, _t("not_party"))


def _cooperative(f: Facts) -> bool:
    return f.origin == "cooperative" and not f.patented and f.asset_kind not in SECRET_KINDS


def _art860(f: Facts) -> Verdict:
    b = _t("civil_860")
    parties = tuple(set(f.owners) | set(f.developers))
    if f.unit not in parties:
        return _v(FORBIDDEN, b, _t("not_party"))
    others = tuple(u for u in parties if u != f.unit)
    if f.action == "use":
        return _v(ALLOWED, b, _t("art860_use"))
    if f.action == "file":
        refused = [u for u in f.filing_refused_by if u != f.unit]
        if refused:
            return _v(FORBIDDEN, b, _t("art860_refused"), tuple(refused))
        return _v(CONSENT, b, _t("art860_joint"), others)
    if f.action == "transfer":
        return _v(CONSENT, b, _t("art860_transfer"), others)
    return _v(CONSENT, b, _t("art860_agree"), others)


STATUTE: list[Row] = [
    Row(MESSAGES["patent_14"], _co_owned_patent, _art14),
    Row(MESSAGES["civil_861"], _secret, _art861),
    Row(MESSAGES["civil_859"], _commissioned, _art859),
    Row(MESSAGES["civil_860"], _cooperative, _art860),
]


def _outstanding(f: Facts) -> Verdict | None:
    """An exclusive or sole licence in force limits what the owners themselves may do."""
    if not f.is_owner:
        return None
    if f.granted_exclusive and f.action in ("use", "license", "sublicense"):
        return _v(FORBIDDEN, _t("exclusive_in_force"), _t("exclusive_bars"))
    if f.granted_sole and f.action in ("license", "sublicense"):
        return _v(FORBIDDEN, _t("sole_in_force"), _t("sole_bars"))
    return None


def decide(f: Facts) -> Verdict:
    """The verdict on one question, with the clause or article that decides it."""
    if f.action not in ACTIONS:
        raise ValueError(f"unknown action {f.action!r}; expected one of {ACTIONS}")
    verdict = _by_clause(f) or _by_licence(f) or _outstanding(f)
    if verdict is not None:
        return verdict
    for row in STATUTE:
        if row.applies(f):
            return row.decide(f)
    if f.is_owner:
        if f.others:
            return _v(CONSENT, _t("co_ownership"), _t("co_owners"), f.others)
        return _v(ALLOWED, _t("sole_owner"), _t("sole_decides"))
    return _v(FORBIDDEN, _t("no_right"), _t("no_right_reason"))
