"""Dynamics and games in Chromium: the fit's chart draws, the game re-runs through htmx and
its charts draw again, and the secretariat saves the run as a scenario."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, server, username):
    page.goto(f"{server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-9")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_fit_and_game_pages(live_server, transactional_db, page):
    from tests.modelling.support import post_outputs, synthetic_series
    from tests.support.world import build_world

    world = build_world()
    post_outputs(world, synthetic_series(10))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, live_server, "secretariat")
    a = world.a.pk
    page.goto(f"{live_server.url}/consortia/{a}/modelling/dynamics/")
    page.wait_for_selector("body[data-charts-ready='1']")
    assert page.locator("#chart-logistic canvas").count() == 1
    assert page.locator("#fit-pairs tbody tr").count() == 1

    page.goto(f"{live_server.url}/consortia/{a}/modelling/game/")
    page.wait_for_selector("#chart-phase canvas")
    page.fill("#id_p_e", "3")
    page.fill("#id_g_s", "1")
    page.fill("#id_g_e", "1")
    page.fill("#id_t", "0.5")
    page.fill("#id_p_s", "1")
    before = page.locator("#ess-list").inner_text()
    page.click("#game-form button[type=submit]")
    page.wait_for_function(  # a function, not an expression: the page's policy forbids eval
        "() => document.getElementById('ess-list').textContent.trim() === '(1, 1, 1)'"
    )
    assert before == "(0, 0, 1)"  # no policy in the register: no incentives prefilled
    assert "p_e=3" in page.url
    # the charts are drawn on htmx:afterSettle, a moment after the swap changed the ESS list
    page.wait_for_selector("#chart-sweep canvas")
    assert page.locator("#chart-sweep canvas").count() == 1
    page.click("#save-scenario summary")
    page.fill("#save-scenario input[name=name]", "P_e = 3")
    page.click("#save-scenario button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "P_e = 3"
    assert not errors, errors
