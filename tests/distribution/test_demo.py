"""The distribution demo: one project study with values from the ledger, computed and saved."""

from __future__ import annotations

import random

from gongsheng.consortia.demo import load_demo
from gongsheng.consortia.models import Consortium, Unit
from gongsheng.cooperation.demo import load_demo_data as load_cooperation
from gongsheng.cooperation.demo import remove_demo_data as remove_cooperation
from gongsheng.cooperation.models import Contract
from gongsheng.distribution.demo import load_demo_data, remove_demo_data
from gongsheng.distribution.models import Study


def test_demo_study(db):
    from tests.support.ledger_seed import ensure_default_categories

    ensure_default_categories()
    load_demo()
    main = Consortium.objects.get(code="binjiang-wind")
    units = {u.short_name: u for u in Unit.objects.filter(memberships__consortium=main)}
    load_cooperation(consortium=main, units=units, rng=random.Random(7))
    assert load_demo_data(consortium=main, units=units, rng=random.Random(7)) == {
        "distribution_studies": 1
    }
    study = Study.objects.get()
    sources = {c.mask: (c.source, c.pools) for c in study.coalitions.all()}
    pair = next(m for m, (s, _p) in sources.items() if s == "ledger")
    assert len(sources[pair][1]) == 3  # the college's 2023-2025 phases
    assert study.total_source == "ledger" and study.total > 0
    assert {s for s, _p in sources.values()} == {"ledger", "entered", "total"}
    methods = study.results["methods"]
    assert {"shapley", "modified", "nash", "input"} <= {k for k, v in methods.items()
                                                        if "shares" in v}  # fmt: skip
    assert methods["modified"]["weights"]["consistent"] is True
    contract = Contract.objects.get(pk=study.contract_id)
    assert contract.benefit_method == "shapley" and contract.version == 2
    assert sum(p.share for p in contract.parties.all()) == 1
    remove_demo_data()
    remove_cooperation()
    assert not Study.objects.exists() and not Contract.objects.exists()
