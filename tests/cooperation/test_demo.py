"""The cooperation demo: loads through the services, shows its patterns, and goes away."""

from __future__ import annotations

import random

from django.db.models import Sum

from gongsheng.alerts.models import Alert
from gongsheng.consortia.demo import load_demo
from gongsheng.consortia.models import Consortium, Unit
from gongsheng.cooperation.demo import load_demo_data, remove_demo_data
from gongsheng.cooperation.models import Project
from gongsheng.ledger.models import LedgerEntry


def test_demo_patterns_and_removal(db, client):
    from tests.support.ledger_seed import ensure_default_categories

    ensure_default_categories()
    load_demo()
    main = Consortium.objects.get(code="binjiang-wind")
    units = {u.short_name: u for u in Unit.objects.filter(memberships__consortium=main)}
    summary = load_demo_data(consortium=main, units=units, rng=random.Random(7))
    assert summary["projects"] >= 15
    assert set(Project.objects.values_list("status", flat=True)) >= {
        "draft", "proposed", "feasibility", "approved", "in_progress", "acceptance", "closed",
        "terminated",
    }  # fmt: skip
    live = LedgerEntry.objects.filter(source_type="cooperation.project")

    def given(short):
        return live.filter(giver_unit=units[short]).aggregate(v=Sum("value"))["v"] or 0

    def received(short):
        return live.filter(receiver_unit=units[short]).aggregate(v=Sum("value"))["v"] or 0

    # the free rider receives without giving; the lopsided pair's gains are uneven
    assert given("滨江数字孪生") == 0 and received("滨江数字孪生") > 0
    assert given("江南叶片") > 5 * received("江南叶片")
    # integrated pair: flows every year
    years = set(live.filter(giver_unit=units["滨江风电"]).values_list("year", flat=True))
    assert years >= {2023, 2024, 2025, 2026}
    # the IP dispute raised an alert citing the licence
    alert = Alert.objects.get(kind="ip_rule_breach", consortium=main)
    assert "Licence #" in alert.reason and alert.unit == units["江南运维"]
    # the pages render the demo for the secretariat
    from gongsheng.access.models import User
    from gongsheng.cooperation.models import IPAsset

    client.force_login(User.objects.get(username="secretariat"))
    patent = IPAsset.objects.get(kind="patent")
    for url in (f"/consortia/{main.pk}/projects/", f"/consortia/{main.pk}/contracts/",
                f"/consortia/{main.pk}/ip/", f"/consortia/{main.pk}/alerts/",
                f"/projects/{Project.objects.get(code='CYXY-2024').pk}/",
                f"/ip/{patent.pk}/?unit={units['江南运维'].pk}&action=sublicense"
                "&licence_kind=general"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    html = client.get(f"/ip/{patent.pk}/?unit={units['滨江风电'].pk}&action=license"
                      "&licence_kind=exclusive").content.decode()  # fmt: skip
    assert 'data-outcome="consent"' in html and "《中华人民共和国专利法》第十四条" in html
    remove_demo_data()
    assert not Project.objects.exists() and not live.exists()
    load_demo()  # the consortia loader runs again cleanly afterwards
