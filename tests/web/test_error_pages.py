"""The 400/403/404/500 pages: in the base layout and the user's language (issue 13.3)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from gongsheng.web import errors

pytestmark = pytest.mark.django_db


def test_404_in_chinese_with_the_layout_and_in_english_on_request(world, client):
    client.force_login(world.users["secretariat"])
    r = client.get("/no-such-page/")
    body = r.content.decode()
    assert r.status_code == 404
    assert "未找到" in body and "共生 Gongsheng" in body and 'class="top"' in body
    assert "Not Found" not in body and "The requested resource" not in body
    client.cookies["django_language"] = "en"
    body = client.get("/no-such-page/").content.decode()
    assert "Not found" in body and "未找到" not in body


def test_404_without_login_is_chinese_too(client):
    body = client.get("/no-such-page/").content.decode()
    assert "未找到" in body and 'class="top"' in body


def test_403_400_and_500_pages(world):
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    request.user = world.users["observer"]
    request.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    with translation.override("zh-hans"):
        forbidden = errors.forbidden(request)
        bad = errors.bad_request(request)
        broken = errors.server_error(request)
    assert forbidden.status_code == 403 and "无权" in forbidden.content.decode()
    assert bad.status_code == 400 and "请求有误" in bad.content.decode()
    assert broken.status_code == 500 and "出错了" in broken.content.decode()
    assert 'class="top"' in broken.content.decode()


def test_a_forbidden_action_page_says_so_in_chinese(world, client):
    client.force_login(world.users["observer"])
    r = client.get(f"/consortia/{world.a.pk}/projects/new/")
    body = r.content.decode()
    assert r.status_code == 403 and "You may not" not in body and "无权" in body
