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
from collections.abc import Callable
from dataclasses import dataclass, field

ACTIONS = ("transfer", "license", "sublicense", "file", "publish", "use")
ALLOWED, CONSENT, FORBIDDEN = "allowed", "consent", "forbidden"
SECRET_KINDS = frozenset({"know_how", "technical_secret"})


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
    basis: str  # the clause or article
    reason: str
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
    return _v(c.outcome, c.ref, c.text or "the contract's own clause decides", consent)


# --- 2. licences -------------------------------------------------------------------------
LICENCE_BASIS = (
    "licence terms (a licensee may sublicense or transfer only where its licence says so)"
)


def _by_licence(f: Facts) -> Verdict | None:
    if f.is_owner:
        return None
    active = [lic for lic in f.licences if lic.active(f.on)]
    if not active:
        if f.licences:
            return _v(FORBIDDEN, f"{f.licences[0].ref}", "the licence is not in force on that date")
        return None
    lic = active[0]
    basis = f"{lic.ref}: {LICENCE_BASIS}"
    if f.action == "use":
        return _v(ALLOWED, lic.ref, f"a {lic.kind} licence in force permits use")
    if f.action in ("sublicense", "license"):
        if lic.may_sublicense:
            return _v(ALLOWED, basis, "the licence permits sublicensing")
        return _v(
            FORBIDDEN, basis, f"a {lic.kind} licensee without a sublicensing term may not pass "
            "the technology on", f.owners,
        )  # fmt: skip
    if f.action == "transfer":
        if lic.may_transfer:
            return _v(ALLOWED, basis, "the licence permits transfer")
        return _v(FORBIDDEN, basis, "the licence does not permit transfer", f.owners)
    return _v(FORBIDDEN, basis, "only the owners may file or publish")


# --- 3. statutory defaults -----------------------------------------------------------------
def _co_owned_patent(f: Facts) -> bool:
    return f.patented and len(f.owners) > 1 and f.is_owner


def _art14(f: Facts) -> Verdict:
    b = "Patent Law Art. 14"
    if f.action == "use":
        return _v(ALLOWED, b, "a co-owner may exploit the patent alone")
    if f.action == "license" and f.licence_kind == "general":
        return _v(ALLOWED, b, "a co-owner may grant general licences alone; fees are shared")
    return _v(
        CONSENT, b, "anything beyond own use or a general licence needs every co-owner", f.others
    )


def _secret(f: Facts) -> bool:
    return (
        f.asset_kind in SECRET_KINDS
        and not f.patented
        and f.origin in ("commissioned", "cooperative")
    )


def _art861(f: Facts) -> Verdict:
    b = "Civil Code Art. 861"
    parties = set(f.owners) | set(f.developers) | set(f.commissioners)
    if f.unit not in parties:
        return _v(FORBIDDEN, b, "not a party to the development")
    if f.action in ("use", "transfer", "license"):
        if (
            f.action != "use"
            and f.unit in f.developers
            and f.origin == "commissioned"
            and not f.delivered
        ):
            return _v(FORBIDDEN, b, "a commissioned developer may not transfer the technical "
                      "secret before delivering it to the commissioning party")  # fmt: skip
        return _v(
            ALLOWED, b, "absent agreement each party may use and transfer the technical secret"
        )
    return _v(CONSENT, b, "publishing or filing ends the secret the others also hold",
              tuple(parties - {f.unit}))  # fmt: skip


def _commissioned(f: Facts) -> bool:
    return f.origin == "commissioned" and f.asset_kind not in SECRET_KINDS


def _art859(f: Facts) -> Verdict:
    b = "Civil Code Art. 859"
    dev, com = f.unit in f.developers, f.unit in f.commissioners
    if dev:
        if f.action == "transfer":
            return _v(CONSENT, b, "the commissioning party has a pre-emption right when the "
                      "developer transfers the application right", f.commissioners)  # fmt: skip
        return _v(ALLOWED, b, "the developer holds the application right")
    if com:
        if f.action == "use":
            return _v(ALLOWED, b, "the commissioning party may exploit the result")
        return _v(FORBIDDEN, b, "the application right belongs to the developer")
    return _v(FORBIDDEN, b, "not a party to the development")


def _cooperative(f: Facts) -> bool:
    return f.origin == "cooperative" and not f.patented and f.asset_kind not in SECRET_KINDS


def _art860(f: Facts) -> Verdict:
    b = "Civil Code Art. 860"
    parties = tuple(set(f.owners) | set(f.developers))
    if f.unit not in parties:
        return _v(FORBIDDEN, b, "not a party to the development")
    others = tuple(u for u in parties if u != f.unit)
    if f.action == "use":
        return _v(ALLOWED, b, "a party (even one that waived its share) keeps free use")
    if f.action == "file":
        refused = [u for u in f.filing_refused_by if u != f.unit]
        if refused:
            return _v(
                FORBIDDEN, b, "another party refused to file, so no party may file", tuple(refused)
            )
        return _v(CONSENT, b, "the application right is joint", others)
    if f.action == "transfer":
        return _v(CONSENT, b, "transferring a share gives the others a pre-emption right", others)
    return _v(CONSENT, b, "the application right is joint: the other parties must agree", others)


STATUTE: list[Row] = [
    Row("Patent Law Art. 14", _co_owned_patent, _art14),
    Row("Civil Code Art. 861", _secret, _art861),
    Row("Civil Code Art. 859", _commissioned, _art859),
    Row("Civil Code Art. 860", _cooperative, _art860),
]


def _outstanding(f: Facts) -> Verdict | None:
    """An exclusive or sole licence in force limits what the owners themselves may do."""
    if not f.is_owner:
        return None
    if f.granted_exclusive and f.action in ("use", "license", "sublicense"):
        return _v(FORBIDDEN, "exclusive licence in force",
                  "an exclusive licence bars the owners from using or licensing it")  # fmt: skip
    if f.granted_sole and f.action in ("license", "sublicense"):
        return _v(FORBIDDEN, "sole licence in force", "a sole licence bars further licences")
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
            return _v(CONSENT, "co-ownership", "the co-owners decide together", f.others)
        return _v(ALLOWED, "sole owner", "the sole owner decides")
    return _v(FORBIDDEN, "no right", "the unit neither owns nor holds a licence on the asset")
