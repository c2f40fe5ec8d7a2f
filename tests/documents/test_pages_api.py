"""The pages and the API of documents: the overview's buttons, render, list, download, delete,
and clear answers (no 500) for bad input."""

from __future__ import annotations

import pytest

from gongsheng.access.services import token_create
from gongsheng.diagnosis.brief import NAME
from gongsheng.documents.models import RenderedDocument
from gongsheng.jobs.models import Job
from tests.support.jobs import run_jobs
from tests.support.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def bearer(world, username: str) -> dict[str, str]:
    user = world.users[username]
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user, name='t')[1]}"}


@pytest.mark.parametrize(
    ("role", "offered"),
    [("secretariat", True), ("supervisor", True), ("admin", True), ("unit_admin", False),
     ("observer", False)],
)  # fmt: skip
def test_the_overview_offers_the_brief_to_whom_it_may(world, client, role, offered):
    client.force_login(world.users[role])
    html = client.get(f"/consortia/{world.a.pk}/").content.decode()
    assert (f'action="/documents/reports/{NAME}/"' in html) is offered


def test_render_from_the_page_then_download_both_files(world, client):
    client.force_login(world.users["supervisor"])
    response = client.post(
        f"/documents/reports/{NAME}/", {"consortium": world.a.pk, "format": "pdf"}
    )
    # the page answers at once and the worker makes the document
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert not RenderedDocument.objects.exists()
    run_jobs()
    row = RenderedDocument.objects.get()
    assert row.formats == ["pdf"]
    job_page = client.get(response["Location"]).content.decode()
    assert f"/documents/{row.pk}/pdf/" in job_page and row.title in job_page
    page = client.get(f"/documents/?new={row.pk}").content.decode()
    assert f"/documents/{row.pk}/pdf/" in page and row.title in page
    download = client.get(f"/documents/{row.pk}/pdf/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # another user: not found, like a missing one
    client.force_login(world.users["secretariat"])
    assert client.get(f"/documents/{row.pk}/pdf/").status_code == 404
    assert client.get("/documents/999999/pdf/").status_code == 404
    assert row.title not in client.get("/documents/").content.decode()


@pytest.mark.parametrize(
    "data",
    [{}, {"consortium": "x"}, {"consortium": "1", "format": "exe"}, {"consortium": "99999999"}],
)
def test_bad_render_requests_change_nothing_and_never_fail(world, client, data):
    client.force_login(world.users["secretariat"])
    response = client.post(f"/documents/reports/{NAME}/", data)
    assert response.status_code in (302, 404)
    assert not RenderedDocument.objects.exists()
    assert not Job.objects.exists()  # refused before any background work starts
    if response.status_code == 302:
        messages = client.get(response["Location"]).content.decode()
        assert "consortium" in messages or "pdf" in messages


def test_unknown_report_and_get_are_refused(world, client):
    client.force_login(world.users["secretariat"])
    assert client.post("/documents/reports/nope/", {"consortium": world.a.pk}).status_code == 404
    assert client.get(f"/documents/reports/{NAME}/").status_code == 405


def test_delete_from_the_page(world, client):
    client.force_login(world.users["secretariat"])
    client.post(f"/documents/reports/{NAME}/", {"consortium": world.a.pk, "format": "docx"})
    run_jobs()
    row = RenderedDocument.objects.get()
    client.force_login(world.users["supervisor"])
    assert client.post(f"/documents/{row.pk}/delete/").status_code == 404
    client.force_login(world.users["secretariat"])
    assert client.post(f"/documents/{row.pk}/delete/").status_code == 302
    assert not RenderedDocument.objects.exists()


def test_the_list_page_query_count_does_not_grow(world, client):
    from gongsheng.documents.services import document_render
    from tests.documents.test_services import small

    user = world.users["secretariat"]
    client.force_login(user)

    def grow():
        document_render(actor=user, document=small(), formats=["pdf"])

    grow()  # an empty list skips the page query
    assert_constant_queries(lambda: client.get("/documents/"), grow)


def test_api_reports_render_list_download_delete(world, client):
    auth = bearer(world, "secretariat")
    reports = client.get(f"/api/documents/reports?consortium={world.a.pk}", **auth).json()
    assert [r["name"] for r in reports] == [NAME]
    assert client.get(f"/api/documents/reports?consortium={world.b.pk}", **auth).json() == []
    response = client.post(
        f"/api/documents/reports/{NAME}",
        {"params": {"consortium": world.a.pk}, "formats": ["pdf", "docx"]},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 202, response.content  # rendered by the worker
    started = response.json()
    assert started["kind"] == "documents.render" and started["state"] == "queued"
    assert started["document"] is None and not RenderedDocument.objects.exists()
    assert response["Location"] == started["status_url"] == f"/api/documents/jobs/{started['id']}"
    other = bearer(world, "supervisor")
    assert client.get(started["status_url"], **other).status_code == 404
    run_jobs()
    done = client.get(started["status_url"], **auth).json()
    assert done["state"] == "succeeded" and done["progress_done"] == done["progress_total"]
    body = done["document"]
    assert set(body["files"]) == {"pdf", "docx"} and body["consortium_id"] == world.a.pk
    listing = client.get("/api/documents", **auth).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == body["id"]
    file = client.get(body["files"]["docx"], **auth)
    assert file.status_code == 200 and b"".join(file.streaming_content)[:2] == b"PK"
    assert client.get(body["files"]["pdf"], **other).status_code == 404
    assert client.get(f"/api/documents/{body['id']}", **other).status_code == 404
    assert client.get("/api/documents", **other).json()["count"] == 0
    assert client.delete(f"/api/documents/{body['id']}", **other).status_code == 404
    assert client.delete(f"/api/documents/{body['id']}", **auth).status_code == 204
    assert not RenderedDocument.objects.exists()


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"params": {"consortium": "x"}}, 422, "consortium"),
        ({"params": {}, "formats": ["pdf"]}, 422, "consortium"),
        ({"params": {"consortium": 1}, "formats": ["html"]}, 422, "formats"),
        ({"params": {"consortium": 99999}}, 404, None),
        ({"params": "nope"}, 422, None),
    ],
)
def test_api_bad_input_is_a_problem_document(world, client, payload, status, field):
    response = client.post(
        f"/api/documents/reports/{NAME}", payload, content_type="application/json",
        **bearer(world, "secretariat"),
    )  # fmt: skip
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    if field:
        assert field in [e["field"] for e in response.json()["errors"]]
    assert not RenderedDocument.objects.exists()


def test_api_refuses_other_roles(world, client):
    response = client.post(
        f"/api/documents/reports/{NAME}", {"params": {"consortium": world.a.pk}},
        content_type="application/json", **bearer(world, "unit_admin"),
    )  # fmt: skip
    assert response.status_code == 404


def test_a_server_without_chinese_fonts_fails_the_job_naming_the_package(
    world, client, monkeypatch
):
    from gongsheng.documents import services
    from gongsheng.documents.fonts import MissingFonts

    def no_fonts(**kwargs):
        raise MissingFonts("No Chinese font: install the Debian package fonts-noto-cjk.")

    monkeypatch.setattr(services, "report_render", no_fonts)
    client.force_login(world.users["secretariat"])
    client.post(f"/documents/reports/{NAME}/", {"consortium": world.a.pk, "format": "pdf"})
    run_jobs()
    job = Job.objects.get()
    assert job.state == "failed" and job.attempts == 1  # not retried: retrying cannot help
    assert "fonts-noto-cjk" in job.error
    assert "fonts-noto-cjk" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert not RenderedDocument.objects.exists()


def test_api_job_status_is_for_rendering_jobs_and_says_why_one_failed(world, client, monkeypatch):
    from gongsheng.documents import services
    from gongsheng.documents.fonts import MissingFonts
    from gongsheng.jobs.services import job_start

    def no_fonts(**kwargs):
        raise MissingFonts("No Chinese font: install the Debian package fonts-noto-cjk.")

    monkeypatch.setattr(services, "report_render", no_fonts)
    auth = bearer(world, "secretariat")
    response = client.post(
        f"/api/documents/reports/{NAME}", {"params": {"consortium": world.a.pk}},
        content_type="application/json", **auth,
    )  # fmt: skip
    run_jobs()
    failed = client.get(response["Location"], **auth).json()
    assert failed["state"] == "failed" and "fonts-noto-cjk" in failed["error"]
    assert failed["document"] is None
    other = job_start(actor=world.users["secretariat"], kind="transfer.import", params={})
    assert client.get(f"/api/documents/jobs/{other.pk}", **auth).status_code == 404


def test_the_openapi_documents_the_202_the_job_status_and_the_export_job(db, client):
    spec = client.get("/api/openapi.json").json()
    render = spec["paths"]["/api/documents/reports/{name}"]["post"]
    assert set(render["responses"]) >= {"202"} and "201" not in render["responses"]
    assert "status_url" in render["description"]
    status = spec["paths"]["/api/documents/jobs/{job_id}"]["get"]["responses"]["200"]
    ref = status["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"state", "status_url", "document"} <= set(
        spec["components"]["schemas"][ref]["properties"]
    )
    export = spec["paths"]["/api/transfer/{resource}/export"]["get"]["responses"]
    assert {"200", "202"} <= set(export)
