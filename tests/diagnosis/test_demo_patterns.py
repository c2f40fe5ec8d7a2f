"""The loaded demo shows a recognisable mix of behavioural modes (issue 6 point 6): the
industrial college in the target state, joint R&D with unequal gains, a free rider, a lopsided
(parasitic) pair, and a positive total energy over the demo's window."""

from __future__ import annotations

from django.core.management import call_command


def test_demo_diagnosis_shows_the_patterns(db):
    from gongsheng.consortia.models import Consortium
    from gongsheng.diagnosis import services

    call_command("demo", verbosity=0)
    main = Consortium.objects.get(code="binjiang-wind", is_demo=True)
    result, _ = services.diagnosis_result(consortium_id=main.pk)
    diagnosis = result.payload["diagnosis"]
    counts = diagnosis["behaviour_counts"]
    assert result.payload["window"] == [2023, 2026]
    assert diagnosis["target_count"] >= 1
    assert counts["symmetric_mutualism"] >= 1
    assert counts["asymmetric_mutualism"] >= 1
    assert counts["commensalism"] >= 1
    assert counts["parasitism"] >= 1
    assert diagnosis["energy"] > 0

    table = services.stored_pairs(result)
    names = dict(zip(table.unit_ids, table.unit_names, strict=True))
    modes = {}
    for k in range(len(table.a)):
        pair = frozenset((names[table.a[k]], names[table.b[k]]))
        modes[pair] = (table.behaviour[k], table.organisation[k])

    def mode(x: str, y: str) -> tuple[str, str]:
        return modes[frozenset((f"{x}（演示）", f"{y}（演示）"))]

    # the industrial college is the target state: integrated and symmetric mutualism
    assert mode("滨江职业技术学院", "滨江风电装备集团有限公司") == (
        "symmetric_mutualism", "integrated",
    )  # fmt: skip
    # the one-off commissioned R&D: both gain, unequally
    assert mode("滨江理工大学", "江南风电控制系统有限公司") == ("asymmetric_mutualism", "point")
    # the sustained apprenticeship
    assert mode("江南机电职业技术学院", "滨江齿轮传动股份有限公司")[1] == "continuous"
    # the lopsided training base stays parasitic
    assert mode("滨江市第一中等职业学校", "江南叶片复合材料有限公司") == (
        "parasitism", "integrated",
    )  # fmt: skip
    # the free rider
    free_riders = {a["units"][0] for a in diagnosis["alerts"] if a["kind"] == "free_rider"}
    assert any(names[u] == "滨江数字孪生软件有限公司（演示）" for u in free_riders)
