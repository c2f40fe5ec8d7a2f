"""The example workbook → report files, with numbers checked by an independent computation."""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import combinations, permutations
from math import factorial

import numpy as np
import pytest
from openpyxl import load_workbook

from gongsheng.workbook import build_files
from gongsheng.workbook.analysis import analyse
from gongsheng.workbook.reading import read_workbook
from gongsheng.workbook.report import write_report


@pytest.fixture(scope="module")
def example():
    return read_workbook(build_files.EXAMPLE)


@pytest.fixture(scope="module")
def report(example, tmp_path_factory):
    """The numbers as report.json holds them (written to disk and read back)."""
    out = tmp_path_factory.mktemp("report")
    write_report(analyse(example), out)
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def pair_by_hand(data, i: str, j: str) -> dict[str, float]:
    """The pair view of MODELS.md with plain loops over the ledger rows (years 2021–2024).

    in_i = direct i→j + Σ_p x_pi·x_pj/(X_p − x_pi); out_i = direct j→i + Σ_p r_pi·x_pj/(X_p − x_pi).
    """
    pools = {p.code for p in data.pools}
    x = defaultdict(lambda: defaultdict(float))  # pool -> unit -> input
    r = defaultdict(lambda: defaultdict(float))  # pool -> unit -> receipts
    direct = defaultdict(float)
    for f in data.flows:
        if f.receiver in pools:
            x[f.receiver][f.giver] += f.value
        elif f.giver in pools:
            r[f.giver][f.receiver] += f.value
        else:
            direct[(f.giver, f.receiver)] += f.value

    def side(a, b):
        inp, out = direct[(a, b)], direct[(b, a)]
        for p in x:
            total = sum(v for u, v in x[p].items() if u != "outside")
            xa, xb = x[p].get(a, 0.0), x[p].get(b, 0.0)
            if total - xa > 0:
                inp += xa * xb / (total - xa)
                out += r[p].get(a, 0.0) * xb / (total - xa)
        return inp, out

    in_i, out_i = side(i, j)
    in_j, out_j = side(j, i)
    return {"in_a": in_i, "out_a": out_i, "in_b": in_j, "out_b": out_j}


class TestExampleReport:
    def test_the_report_runs_only_its_own_scripts_and_escapes_names(self, report):
        """Its policy names the SHA-256 of each of its inline scripts (so a name that became
        markup runs nothing), names are escaped in the page and in its tooltips, and the
        charts get every count they draw (organisation_counts was missing: blank charts)."""
        import base64
        import hashlib
        import re

        from gongsheng.workbook.report import render_html

        payload = '<img src=x onerror="alert(1)"></script><script>alert(2)</script>'
        tainted = json.loads(json.dumps(report))
        tainted["units"][0]["name"] = payload
        tainted["pairs"][0]["a_name"] = payload
        html = render_html(tainted)
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert policy is not None
        scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
        assert len(scripts) == 2  # ECharts and the report's own
        for body in scripts:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy.group(1)
        assert "'unsafe-inline'" not in policy.group(1).split("script-src")[1].split(";")[0]
        assert "default-src 'none'" in policy.group(1)
        assert payload not in html and "&lt;img src=x" in html
        assert "map(esc)" in html  # tooltips escape every line they show
        data = re.search(r'id="report-data">(.*?)</script>', html, re.S)
        assert data is not None
        consortium = json.loads(data.group(1))["consortium"]
        assert consortium["organisation_counts"] == report["consortium"]["organisation_counts"]

    def test_files_written(self, report, tmp_path):
        paths = write_report(report, tmp_path / "out")
        assert [p.name for p in paths] == ["report.html", "report.json", "report.xlsx"]
        html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
        assert "共生诊断报告" in html and "滨江职业技术学院" in html
        assert (
            "echarts" in html
            and "<script src=" not in html
            and "http://" not in html.split("<script>")[0]
        )
        stored = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
        assert stored["consortium"]["pairs"] == len(stored["pairs"]) == 14
        book = load_workbook(tmp_path / "out" / "report.xlsx")
        assert {"summary", "units", "pairs", "alerts", "trends", "flow_matrix", "shapley"} <= set(
            book.sheetnames
        )
        assert book["pairs"].max_row == 15

    def test_one_pair_matches_an_independent_computation(self, example, report):
        pair = next(p for p in report["pairs"] if {p["a"], p["b"]} == {"S1", "E1"})
        a, b = pair["a"], pair["b"]
        hand = pair_by_hand(example, a, b)
        for key in ("in_a", "in_b", "out_a", "out_b"):
            assert pair[key] == pytest.approx(hand[key], rel=1e-6), key
        energy = hand["out_a"] + hand["out_b"] - hand["in_a"] - hand["in_b"]
        assert pair["energy"] == pytest.approx(energy, rel=1e-6)
        # the yearly pattern by hand for 2021 (growth factor 1): P1 and P3 shared, no direct flows
        # S1 → E1: 1.2M·1.3M/1.9M + 0.3M·0.7M/1.2M ; E1 → S1: 1.3M·1.2M/1.8M + 0.7M·0.3M/0.8M
        ratio = sum(1 + 0.08 * k for k in range(4))  # the four years' growth factors
        in_s1 = (1.2e6 * 1.3e6 / 1.9e6 + 0.3e6 * 0.7e6 / 1.2e6) * ratio
        in_e1 = (1.3e6 * 1.2e6 / 1.8e6 + 0.7e6 * 0.3e6 / 0.8e6) * ratio
        got = {pair["a"]: pair["in_a"], pair["b"]: pair["in_b"]}
        assert got["S1"] == pytest.approx(in_s1, rel=1e-3)
        assert got["E1"] == pytest.approx(in_e1, rel=1e-3)
        # S1 and E1 gain in the same proportion (within the 5 % tolerance) and share a joint body
        assert pair["behaviour"] == "symmetric_mutualism" and pair["organisation"] == "integrated"
        assert pair["target"] is True
        ga, gb = pair["out_a"] - pair["in_a"], pair["out_b"] - pair["in_b"]
        assert pair["relative_gain_a"] == pytest.approx(ga / pair["in_a"])
        assert abs(ga / pair["in_a"] - gb / pair["in_b"]) <= 0.05 * max(
            ga / pair["in_a"], gb / pair["in_b"]
        )

    def test_degree_of_the_pair_from_the_series(self, example, report):
        pair = next(p for p in report["pairs"] if {p["a"], p["b"]} == {"S1", "E1"})
        z = {u: np.array([v for _, v in vs]) for u, vs in example.series.items()}
        za, zb = z[pair["a"]], z[pair["b"]]
        growth = lambda s: (s[1:] - s[:-1]) / s[:-1]  # noqa: E731
        d_ab = float(np.mean(growth(za) / growth(zb)))
        d_ba = float(np.mean(growth(zb) / growth(za)))
        assert pair["degree"] == pytest.approx(d_ab)
        assert pair["degree_reverse"] == pytest.approx(d_ba)
        assert pair["share"] == pytest.approx(abs(d_ab) / (abs(d_ab) + abs(d_ba)))

    def test_story_of_the_example(self, report):
        kinds = {(a["kind"], tuple(a["units"])) for a in report["alerts"]}
        assert ("free_rider", ("E4",)) in kinds
        assert ("parasitic_pair", ("E3", "S2")) in kinds  # the parasite first
        assert ("inactive_member", ("O1",)) in kinds
        units = {u["code"]: u for u in report["units"]}
        assert units["E4"]["free_rider"] and units["E4"]["inputs"] == 0
        s2e3 = next(p for p in report["pairs"] if {p["a"], p["b"]} == {"S2", "E3"})
        assert s2e3["behaviour"] == "parasitism" and s2e3["organisation"] == "intermittent"
        assert "寄生方" in s2e3["reason_zh"]
        assert report["consortium"]["target_count"] == 1

    def test_energy_adds_up(self, report):
        pairs = report["pairs"]
        assert report["consortium"]["energy"] == pytest.approx(sum(p["energy"] for p in pairs))
        assert sum(report["consortium"]["energy_by_group"].values()) == pytest.approx(
            report["consortium"]["energy"]
        )

    def test_shapley_by_the_formula(self, example, report):
        players = [p["code"] for p in report["allocation"]["players"]]
        v = {frozenset(k): val for k, val in example.coalitions.items()}
        v[frozenset()] = 0.0
        n = len(players)
        for row in report["allocation"]["players"]:
            i = row["code"]
            others = [p for p in players if p != i]
            phi = sum(
                factorial(len(s)) * factorial(n - len(s) - 1) / factorial(n)
                * (v[frozenset(s) | {i}] - v[frozenset(s)])
                for k in range(n) for s in combinations(others, k)
            )  # fmt: skip
            assert row["shapley"] == pytest.approx(phi)
        # and by averaging marginal contributions over every order
        perms = list(permutations(players))
        first = players[0]
        avg = np.mean(
            [v[frozenset(p[: p.index(first)]) | {first}] - v[frozenset(p[: p.index(first)])]
             for p in perms]
        )  # fmt: skip
        assert report["allocation"]["players"][0]["shapley"] == pytest.approx(avg)
        assert report["allocation"]["in_core"]

    def test_evaluation_entropy_topsis_by_hand(self, example, report):
        ev = report["evaluation"]
        X = np.array(example.indicator_values)
        benefit = np.array([d.benefit for d in example.indicator_defs])
        lo, hi = X.min(0), X.max(0)
        Z = np.where(benefit, (X - lo) / (hi - lo), (hi - X) / (hi - lo))
        P = Z / Z.sum(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            e = -np.nansum(np.where(P > 0, P * np.log(P), 0.0), axis=0) / np.log(len(X))
        w = (1 - e) / (1 - e).sum()
        assert [i["weight"] for i in ev["indicators"]] == pytest.approx(list(w))
        R = X / np.sqrt((X**2).sum(0))
        V = R * w
        best = np.where(benefit, V.max(0), V.min(0))
        worst = np.where(benefit, V.min(0), V.max(0))
        dp, dm = np.sqrt(((V - best) ** 2).sum(1)), np.sqrt(((V - worst) ** 2).sum(1))
        assert [s["closeness"] for s in ev["subjects"]] == pytest.approx(list(dm / (dp + dm)))
        rows = ev["coupling"]["rows"]
        for row in rows:
            u1, u2 = row["U"]
            c = 2 * np.sqrt(u1 * u2) / (u1 + u2)
            assert row["C"] == pytest.approx(c)
            assert row["D"] == pytest.approx(np.sqrt(c * (u1 + u2) / 2))


def test_html_shows_the_largest_pairs_and_every_parasitic_one():
    from gongsheng.workbook.report import shown_pairs

    def pair(flow, behaviour="commensalism", target=False):
        return {"flow": flow, "behaviour": behaviour, "target": target}

    pairs = [pair(1), pair(5), pair(3), pair(0.5, "parasitism"), pair(0.1, target=True)]
    shown = shown_pairs({"pairs": pairs}, limit=2)
    assert [p["flow"] for p in shown] == [5, 3, 0.5, 0.1]
    assert shown_pairs({"pairs": pairs}, limit=10) is pairs
