"""The IP rules engine, without a database: one test per article and per clause override."""

from __future__ import annotations

import datetime as dt

import pytest

from gongsheng.cooperation.ip_rules import (
    ALLOWED,
    CONSENT,
    FORBIDDEN,
    Clause,
    Facts,
    Licence,
    decide,
)

A, B, C, X = 1, 2, 3, 9
ON = dt.date(2025, 6, 1)


def f(**kw) -> Facts:
    base = dict(unit=A, action="use", asset_kind="patent", on=ON)
    base.update(kw)
    return Facts(**base)


class TestArt859Commissioned:
    base = dict(origin="commissioned", owners=(A,), developers=(A,), commissioners=(B,))

    def test_the_developer_may_file(self):
        v = decide(f(action="file", **self.base))
        assert (v.outcome, v.basis) == (ALLOWED, "Civil Code Art. 859")

    def test_the_commissioning_party_may_exploit_but_not_file(self):
        assert decide(f(unit=B, action="use", **self.base)).outcome == ALLOWED
        v = decide(f(unit=B, action="file", **self.base))
        assert (v.outcome, v.basis) == (FORBIDDEN, "Civil Code Art. 859")

    def test_a_transfer_by_the_developer_gives_the_commissioner_pre_emption(self):
        v = decide(f(action="transfer", **self.base))
        assert v.outcome == CONSENT and v.consent_of == (B,) and "pre-emption" in v.reason


class TestArt860Cooperative:
    base = dict(origin="cooperative", owners=(A, B), developers=(A, B))

    def test_filing_is_joint(self):
        v = decide(f(action="file", **self.base))
        assert (v.outcome, v.basis, v.consent_of) == (CONSENT, "Civil Code Art. 860", (B,))

    def test_if_one_refuses_to_file_the_others_may_not(self):
        v = decide(f(action="file", filing_refused_by=(B,), **self.base))
        assert (v.outcome, v.basis) == (FORBIDDEN, "Civil Code Art. 860")

    def test_a_party_transferring_its_share_gives_pre_emption(self):
        v = decide(f(action="transfer", **self.base))
        assert v.outcome == CONSENT and "pre-emption" in v.reason

    def test_free_use_remains(self):
        assert decide(f(action="use", **self.base)).outcome == ALLOWED

    def test_an_outsider_has_no_right(self):
        assert decide(f(unit=X, action="use", **self.base)).outcome == FORBIDDEN


class TestArt861TechnicalSecrets:
    base = dict(asset_kind="know_how", origin="commissioned", owners=(A, B), developers=(A,),
                commissioners=(B,))  # fmt: skip

    def test_each_party_may_use_and_transfer(self):
        for unit in (A, B):
            for action in ("use", "transfer"):
                v = decide(f(unit=unit, action=action, **self.base))
                assert (v.outcome, v.basis) == (ALLOWED, "Civil Code Art. 861")

    def test_a_commissioned_developer_may_not_transfer_before_delivery(self):
        v = decide(f(action="transfer", delivered=False, **self.base))
        assert (v.outcome, v.basis) == (FORBIDDEN, "Civil Code Art. 861")
        assert "delivering" in v.reason

    def test_once_patented_the_secret_rules_stop(self):
        v = decide(f(action="license", licence_kind="exclusive", patented=True,
                     **{**self.base, "asset_kind": "patent"}))  # fmt: skip
        assert v.basis == "Patent Law Art. 14"


class TestPatentLawArt14:
    base = dict(patented=True, owners=(A, B, C))

    def test_a_co_owner_exploits_alone(self):
        assert decide(f(action="use", **self.base)).outcome == ALLOWED

    def test_a_co_owner_grants_general_licences_alone(self):
        v = decide(f(action="license", licence_kind="general", **self.base))
        assert (v.outcome, v.basis) == (ALLOWED, "Patent Law Art. 14")
        assert "fees are shared" in v.reason

    @pytest.mark.parametrize("kind", ["exclusive", "sole"])
    def test_an_exclusive_or_sole_licence_needs_every_co_owner(self, kind):
        v = decide(f(action="license", licence_kind=kind, **self.base))
        assert (v.outcome, v.consent_of) == (CONSENT, (B, C))

    def test_a_transfer_needs_every_co_owner(self):
        v = decide(f(action="transfer", **self.base))
        assert (v.outcome, v.basis, v.consent_of) == (CONSENT, "Patent Law Art. 14", (B, C))


class TestLicensees:
    def lic(self, **kw):
        return Licence(ref="Licence #7", kind=kw.pop("kind", "general"), **kw)

    def test_a_general_licensee_may_use(self):
        v = decide(f(unit=X, owners=(A,), licences=(self.lic(),)))
        assert v.outcome == ALLOWED

    def test_a_general_licensee_passing_it_on_is_forbidden(self):
        v = decide(f(unit=X, action="sublicense", owners=(A,), licences=(self.lic(),)))
        assert v.outcome == FORBIDDEN and v.basis.startswith("Licence #7")
        assert "general licensee" in v.reason

    def test_a_licence_that_says_so_permits_sublicensing_and_transfer(self):
        lic = self.lic(may_sublicense=True, may_transfer=True)
        assert decide(f(unit=X, action="sublicense", owners=(A,), licences=(lic,))).allowed
        assert decide(f(unit=X, action="transfer", owners=(A,), licences=(lic,))).allowed

    def test_a_transfer_without_the_term_is_forbidden(self):
        v = decide(f(unit=X, action="transfer", owners=(A,), licences=(self.lic(),)))
        assert v.outcome == FORBIDDEN

    def test_an_expired_licence_permits_nothing(self):
        lic = self.lic(ends_on=dt.date(2024, 12, 31))
        assert decide(f(unit=X, owners=(A,), licences=(lic,))).outcome == FORBIDDEN

    def test_a_licensee_may_not_file(self):
        assert decide(f(unit=X, action="file", owners=(A,), licences=(self.lic(),))).outcome == (
            FORBIDDEN
        )


class TestClausesDecideFirst:
    def test_a_clause_overrides_art_860(self):
        clause = Clause(action="file", outcome=ALLOWED, ref="HT-1 §7.2")
        v = decide(f(action="file", origin="cooperative", owners=(A, B), developers=(A, B),
                     filing_refused_by=(B,), clauses=(clause,)))  # fmt: skip
        assert (v.outcome, v.basis) == (ALLOWED, "HT-1 §7.2")

    def test_a_clause_overrides_art_859(self):
        clause = Clause(action="file", outcome=ALLOWED, ref="HT-2 §5", unit=B)
        v = decide(f(unit=B, action="file", origin="commissioned", owners=(A,), developers=(A,),
                     commissioners=(B,), clauses=(clause,)))  # fmt: skip
        assert (v.outcome, v.basis) == (ALLOWED, "HT-2 §5")

    def test_a_clause_overrides_art_861(self):
        clause = Clause(action="transfer", outcome=FORBIDDEN, ref="HT-3 §9")
        v = decide(f(action="transfer", asset_kind="know_how", origin="cooperative",
                     owners=(A, B), developers=(A, B), clauses=(clause,)))  # fmt: skip
        assert (v.outcome, v.basis) == (FORBIDDEN, "HT-3 §9")

    def test_a_clause_overrides_art_14(self):
        clause = Clause(action="license", outcome=CONSENT, ref="HT-4 §3", consent_of=(B,))
        v = decide(f(action="license", patented=True, owners=(A, B), clauses=(clause,)))
        assert (v.outcome, v.basis, v.consent_of) == (CONSENT, "HT-4 §3", (B,))

    def test_a_clause_overrides_the_licence(self):
        clause = Clause(action="sublicense", outcome=ALLOWED, ref="HT-5 §2", unit=X)
        lic = Licence(ref="Licence #1", kind="general")
        v = decide(f(unit=X, action="sublicense", owners=(A,), licences=(lic,),
                     clauses=(clause,)))  # fmt: skip
        assert (v.outcome, v.basis) == (ALLOWED, "HT-5 §2")

    def test_a_clause_for_the_unit_beats_one_for_every_party(self):
        general = Clause(action="publish", outcome=FORBIDDEN, ref="§1")
        own = Clause(action="publish", outcome=ALLOWED, ref="§2", unit=A)
        assert decide(f(action="publish", owners=(A,), clauses=(general, own))).basis == "§2"
        assert decide(f(unit=B, action="publish", owners=(A, B),
                        clauses=(general, own))).basis == "§1"  # fmt: skip


class TestDefaults:
    def test_a_sole_owner_decides(self):
        for action in ("transfer", "license", "file", "publish", "use"):
            assert decide(f(action=action, owners=(A,))).allowed

    def test_an_exclusive_licence_in_force_bars_the_owner(self):
        v = decide(f(action="license", owners=(A,), granted_exclusive=True))
        assert v.outcome == FORBIDDEN

    def test_a_sole_licence_bars_further_licences_but_not_use(self):
        assert decide(f(action="license", owners=(A,), granted_sole=True)).outcome == FORBIDDEN
        assert decide(f(action="use", owners=(A,), granted_sole=True)).allowed

    def test_no_right_no_action(self):
        assert decide(f(unit=X, owners=(A,))).outcome == FORBIDDEN

    def test_unknown_action(self):
        with pytest.raises(ValueError):
            decide(f(action="sell"))
