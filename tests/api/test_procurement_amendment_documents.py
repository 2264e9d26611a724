"""Issue 22, item 3: a contract amendment's supporting documents (the files domain's checks and store), attached by
the procurement office while the amendment waits for its decision, listed with it and published in OCDS.

C-1 is signed at 455,000 on the 1,000,000 schools-2025 allocation (Kur Insaat won T-1)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

import pytest
from api_support import Api
from PIL import Image
from procurement_support import AFTER, Market, make_market
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.files.models import Attachment
from homecoming.interchange import ocds, standards

PRICES = {"azer-build": "480000", "kur-insaat": "455000", "euro-works": "440000"}
MILESTONES = [{"title": "walls and roof", "amount": 200_000, "due_date": "2025-09-01"},
              {"title": "finishing", "amount": 255_000, "due_date": "2025-12-01"}]  # fmt: skip
PATH = "/api/contracts/C-1/amendments"
DOCUMENTS = f"{PATH}/1/documents"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LIMIT = 4_000
# The write routes these tests walk: one audit entry per success, none on a refusal (`_written`).
COVERED_ROUTES = {("POST", "/api/contracts/{code}/amendments/{number}/documents")}


@pytest.fixture
def market(api: Api, tmp_path: Path) -> Market:
    app = api.client.app
    update = {"files_dir": tmp_path / "files", "max_file_bytes": LIMIT}
    app.state.settings = app.state.settings.model_copy(update=update)  # type: ignore[attr-defined]
    m = make_market(api)
    m.opened("T-1", PRICES)
    m.step("T-1", "evaluation")
    m.step("T-1", "award")
    m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", {"code": "C-1", "milestones": MILESTONES}, 201)
    m.clock.now = AFTER + dt.timedelta(days=30)
    m.post(Role.PROCUREMENT_OFFICER, PATH, {"reason": "rock under the foundations", "new_value": 480_000}, 201)
    return m


def _upload(m: Market, who: Role, name: str, content: bytes, expect: int) -> Any:
    return m.call("POST", who, DOCUMENTS, expect, files={"file": (name, content, "application/octet-stream")})


def _written(m: Market, files_dir: Path) -> tuple[int, int, int]:
    with Session(m.api.engine) as session:
        documents = session.scalar(select(func.count()).where(Attachment.amendment_id.is_not(None))) or 0
        entries = session.scalar(select(func.count()).where(AuditEntry.table_name == "attachments")) or 0
    return documents, entries, sum(1 for p in (files_dir / "files").rglob("*") if p.is_file())


def test_a_document_is_kept_listed_and_audited_once(market: Market, tmp_path: Path) -> None:
    m = market
    seen = _upload(m, Role.PROCUREMENT_OFFICER, "survey report.pdf", PDF, 201)
    document = {"name": "survey report.pdf", "media_type": "application/pdf",
                "sha256": hashlib.sha256(PDF).hexdigest(), "size_bytes": len(PDF)}  # fmt: skip
    assert seen["documents"] == [document]
    assert m.get(Role.PUBLIC, PATH)["amendments"][0]["documents"] == [document]
    assert _written(m, tmp_path) == (1, 1, 1)
    with Session(m.api.engine) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.table_name == "attachments")).one()
    assert (entry.record_code, entry.action) == ("C-1/A1", "create")
    photo = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 90, 60)).save(photo, format="PNG")
    both = _upload(m, Role.PROCUREMENT_OFFICER, "rock.png", photo.getvalue(), 201)
    assert [d["name"] for d in both["documents"]] == ["survey report.pdf", "rock.png"]
    page = m.api.client.get("/contracts/C-1")
    assert page.status_code == 200 and "survey report.pdf" in page.text and "rock.png" in page.text


def test_a_wrong_type_or_too_large_a_file_is_refused_and_nothing_is_written(market: Market, tmp_path: Path) -> None:
    m = market
    fake = _upload(m, Role.PROCUREMENT_OFFICER, "report.pdf", b"MZ\x90\x00 not a pdf", 422)
    assert fake["error"]["code"] == "files.content_mismatch"
    other = _upload(m, Role.PROCUREMENT_OFFICER, "report.docx", PDF, 422)
    assert other["error"]["code"] == "files.type_not_allowed"
    big = _upload(m, Role.PROCUREMENT_OFFICER, "big.pdf", PDF + b"0" * LIMIT, 422)
    assert big["error"]["code"] == "files.too_large"
    assert _written(m, tmp_path) == (0, 0, 0)
    assert m.get(Role.PUBLIC, PATH)["amendments"][0]["documents"] == []


def test_only_the_office_attaches_and_only_before_the_decision(market: Market, tmp_path: Path) -> None:
    m = market
    for who in (Role.PLANNER, Role.DATA_ENTRY, Role.PUBLIC):
        refused = _upload(m, who, "report.pdf", PDF, 401 if who is Role.PUBLIC else 403)
        assert refused["error"]["code"].startswith("auth.")
    missing = m.call("POST", Role.PROCUREMENT_OFFICER, f"{PATH}/9/documents", 404,
                     files={"file": ("report.pdf", PDF, "application/pdf")})  # fmt: skip
    assert missing["error"]["code"] == "amendments.not_found"
    assert _written(m, tmp_path) == (0, 0, 0)
    _upload(m, Role.PROCUREMENT_OFFICER, "report.pdf", PDF, 201)
    m.post(Role.PLANNER, f"{PATH}/1/decision", {"approve": True})
    late = _upload(m, Role.PROCUREMENT_OFFICER, "late.pdf", PDF + b"%late", 409)
    assert late["error"]["code"] == "amendment.already_decided"
    assert _written(m, tmp_path) == (1, 1, 1)


def test_an_approved_amendments_documents_are_published_valid(market: Market) -> None:
    m = market
    _upload(m, Role.PROCUREMENT_OFFICER, "survey report.pdf", PDF, 201)
    m.post(Role.PLANNER, f"{PATH}/1/decision", {"approve": True})
    package = m.get(Role.PUBLIC, "/api/open-data/ocds.json")
    assert ocds.schema_errors(package) == []
    amended, current = package["releases"]
    for release in (amended, current):
        (document,) = release["contracts"][0]["documents"]
        assert (document["id"], document["documentType"], document["title"], document["format"]) == (
            "C-1-A1-D1", "contractSchedule", "survey report.pdf", "application/pdf",
        )  # fmt: skip
        assert "C-1-A1" in document["description"] and hashlib.sha256(PDF).hexdigest() in document["description"]
        assert document["datePublished"].endswith("Z") and "+" not in document["datePublished"]
    records = m.get(Role.PUBLIC, "/api/open-data/ocds-records.json")
    assert standards.schema_errors("ocds-record", records) == []


def _download(m: Market, who: Role, n: int, expect: int) -> Any:
    response = m.api.client.get(f"{DOCUMENTS}/{n}", headers=m.headers(who))
    assert response.status_code == expect, response.text
    return response


def test_a_document_downloads_as_stored_for_staff_and_for_everyone_once_approved(market: Market) -> None:
    m = market
    _upload(m, Role.PROCUREMENT_OFFICER, "survey report.pdf", PDF, 201)
    _upload(m, Role.PROCUREMENT_OFFICER, "<script>.html.pdf", PDF + b"<html><script>alert(1)</script>", 201)
    for who in (Role.PLANNER, Role.PROCUREMENT_OFFICER, Role.VIEWER):
        got = _download(m, who, 1, 200)
        assert got.content == PDF and got.headers["content-type"] == "application/pdf"
        assert got.headers["content-disposition"] == (
            "attachment; filename=\"survey report.pdf\"; filename*=UTF-8''survey%20report.pdf"
        )
    odd = _download(m, Role.PLANNER, 2, 200)  # the type is the stored bytes' own, never shown inline
    assert odd.headers["content-type"] == "application/pdf"
    assert odd.headers["content-disposition"].startswith('attachment; filename="_script_.html.pdf"')
    page = m.api.client.get("/contracts/C-1", headers=m.headers(Role.PLANNER))
    assert f'href="{DOCUMENTS}/1"' in page.text
    m.post(Role.PLANNER, f"{PATH}/1/decision", {"approve": True})
    assert _download(m, Role.PUBLIC, 1, 200).content == PDF
    assert _download(m, Role.CONTRACTOR, 2, 200).headers["content-disposition"].startswith("attachment")
    package = m.get(Role.PUBLIC, "/api/open-data/ocds-records.json")
    assert standards.schema_errors("ocds-record", package) == []
    compiled = package["records"][0]["compiledRelease"]["contracts"][0]["documents"]
    assert [d["url"] for d in compiled] == [f"{DOCUMENTS}/1", f"{DOCUMENTS}/2"]
    assert f'href="{DOCUMENTS}/2"' in m.api.client.get("/contracts/C-1").text


def test_a_waiting_amendments_document_is_refused_to_outsiders_and_a_missing_one_is_not_found(
    market: Market,
) -> None:
    m = market
    _upload(m, Role.PROCUREMENT_OFFICER, "survey report.pdf", PDF, 201)
    nobody = _download(m, Role.PUBLIC, 1, 401).json()
    assert nobody["error"]["code"] == "auth.required"
    company = _download(m, Role.CONTRACTOR, 1, 403).json()
    assert company["error"]["code"] == "auth.forbidden"
    page = m.api.client.get("/contracts/C-1")
    assert "survey report.pdf" in page.text and f"{DOCUMENTS}/1" not in page.text  # named, not linked
    missing = _download(m, Role.PLANNER, 2, 404).json()
    assert missing["error"]["code"] == "amendment.document_not_found"
    assert _download(m, Role.PLANNER, 0, 422).json()["error"]["code"].startswith("request.")
    m.post(Role.PLANNER, f"{PATH}/1/decision", {"approve": False})
    assert _download(m, Role.PUBLIC, 1, 401).json()["error"]["code"] == "auth.required"  # declined: staff only
