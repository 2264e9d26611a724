"""Grievances through the API on both engines: filed by anyone, followed by tracking code without the filer's text
or contact, routed by subject and category, escalated when overdue (once), answered in the open with a version,
and limited per address."""

from __future__ import annotations

import datetime as dt
import logging
import re
from io import BytesIO
from pathlib import Path

import pytest
from api_support import Api
from PIL import ExifTags, Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.files.store import FolderStore
from homecoming.grievances import actions
from homecoming.grievances.models import Grievance
from homecoming.procurement import service as procurement
from homecoming.procurement.schemas import TenderCreate
from homecoming.returns.models import Convoy, ConvoyStatus
from homecoming.territory.models import Settlement

T0 = dt.datetime(2026, 3, 2, 9, 0)
# Walked for the audit trail (test_usecases_audit_complete): one entry on success (the filing's names the stand-in
# `public`), none on a refusal (test_the_subject_must_exist, the 403/409 of the answer test).
COVERED_ROUTES = {
    ("POST", "/api/grievances"),
    ("POST", "/api/grievances/{tracking_code}/response"),
    ("POST", "/api/grievances/{tracking_code}/photo"),
}
CONTACT = "+994 50 123 45 67, leyla@example.org"
TEXT = "The water pipe to our street has been broken for a month."


@pytest.fixture
def grievances(api: Api, tmp_path: Path) -> Api:
    """The api with a tender and a convoy to complain about, a fixed clock and a roomy filing limit."""
    with Session(api.engine) as session:
        procurement.create_tender(
            session,
            TenderCreate(code="t-roads", title="Roads", currency="AZN", qualification_criteria="ISO 9001",
                         estimate_amount=1e6, enquiry_end=dt.datetime(2026, 1, 1), tender_end=dt.datetime(2026, 2, 1)),
        )  # fmt: skip
        fuzuli = session.scalars(select(Settlement).where(Settlement.code == "fuzuli-v")).one()
        session.add(Convoy(code="convoy-1", settlement_id=fuzuli.id, departure_date=dt.date(2026, 4, 1),
                           status=ConvoyStatus.PLANNED))  # fmt: skip
        session.commit()
    api.client.app.state.clock = lambda: T0  # type: ignore[attr-defined]
    api.client.app.state.settings.grievance_filings_per_hour = 100  # type: ignore[attr-defined]
    api.client.app.state.file_store = FolderStore(tmp_path / "files")  # type: ignore[attr-defined]
    return api


def geotagged_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Field camera"  # Make
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (39.0, 31.0, 12.0), 3: "E", 4: (47.0, 1.0, 54.48)}
    out = BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def file(api: Api, about: str = "settlement:aghdam-v", category: str = "complaint", **more: str) -> dict:
    body = {"about": about, "category": category, "text": TEXT, "contact": CONTACT, **more}
    response = api.client.post("/api/grievances", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_filed_grievance_gets_a_tracking_code_and_its_lookup_never_shows_text_or_contact(grievances: Api) -> None:
    filed = file(grievances)
    code = filed["tracking_code"]
    assert re.fullmatch(r"G-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", code)
    assert (filed["status"], filed["subject_kind"], filed["subject_code"]) == ("open", "settlement", "aghdam-v")
    assert filed["due_at"] == "2026-03-16T09:00:00"  # a complaint: 14 days (Settings.grievance_service_days)
    for reader in (Role.PUBLIC, Role.VIEWER, Role.ADMIN):
        looked_up = grievances.client.get(f"/api/grievances/{code}", headers=grievances.as_(reader))
        assert looked_up.status_code == 200
        assert looked_up.json() == filed
        assert "leyla" not in looked_up.text and "water pipe" not in looked_up.text and "contact" not in looked_up.text
    assert grievances.client.get(f"/api/grievances/{code.lower()}").json() == filed  # typed back in any case
    assert "leyla" not in grievances.client.get("/grievances/track", params={"code": code}).text


def test_tracking_codes_are_random_not_sequential(grievances: Api) -> None:
    codes = [file(grievances)["tracking_code"] for _ in range(3)]
    assert len(set(codes)) == 3
    assert len({c.split("-")[1] for c in codes}) == 3  # random from the first symbol: no counter, no shared prefix
    missing = grievances.client.get("/api/grievances/G-00000-00000-00000")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "grievances.not_found")


@pytest.mark.parametrize(
    ("about", "code"),
    [("settlement:atlantis", "grievances.unknown_subject"), ("project:nope", "grievances.unknown_subject"),
     ("allocation:hh-99", "grievances.unknown_subject"), ("house:aghdam-v", "grievances.bad_subject"),
     ("aghdam-v", "grievances.bad_subject")],
)  # fmt: skip
def test_the_subject_must_exist(grievances: Api, about: str, code: str) -> None:
    response = grievances.client.post("/api/grievances", json={"about": about, "category": "complaint", "text": "x"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["details"]["field"], error["details"]["about"]) == (code, "about", about)
    with Session(grievances.engine) as session:
        assert session.scalars(select(Grievance)).all() == []
        assert session.scalars(select(AuditEntry).where(AuditEntry.table_name == "grievances")).all() == []


def test_grievances_are_routed_by_subject_category_and_district(grievances: Api) -> None:
    cases = {
        ("settlement:aghdam-v", "complaint"): ("data_entry", "aghdam"),
        ("convoy:convoy-1", "question"): ("data_entry", "fuzuli"),
        ("allocation:hh-00", "complaint"): ("registrar", "aghdam"),
        ("project:fuzuli-road", "safety"): ("planner", "fuzuli"),
        ("tender:t-roads", "complaint"): ("procurement_officer", None),
        ("project:aghdam-school", "fraud_or_corruption"): ("admin", "aghdam"),
    }
    for (about, category), expected in cases.items():
        code = file(grievances, about, category)["tracking_code"]
        listed = grievances.client.get("/api/grievances", headers=grievances.as_(Role.ADMIN)).json()["items"]
        mine = next(item for item in listed if item["tracking_code"] == code)
        assert (mine["assigned_role"], mine["district_code"]) == expected, about
    safety = grievances.client.get("/api/grievances", params={"district": "fuzuli"}, headers=grievances.as_(Role.ADMIN))
    assert safety.json()["total"] == 2


def test_staff_see_the_contact_only_in_the_assigned_role(grievances: Api) -> None:
    file(grievances, "settlement:aghdam-v")  # routed to the Aghdam clerk (data_entry of aghdam)
    file(grievances, "tender:t-roads")  # routed to procurement
    for role, shown in ((Role.DATA_ENTRY, {"settlement"}), (Role.PROCUREMENT_OFFICER, {"tender"}),
                        (Role.PLANNER, set()), (Role.ADMIN, {"settlement", "tender"})):  # fmt: skip
        items = grievances.client.get("/api/grievances", headers=grievances.as_(role)).json()["items"]
        assert {i["subject_kind"] for i in items if i["contact"] == CONTACT} == shown, role
        assert {i["subject_kind"] for i in items if i["contact_withheld"]} == {"settlement", "tender"} - shown
        assert all(i["text"] == TEXT for i in items)
    assert grievances.client.get("/api/grievances").status_code == 401
    assert grievances.client.get("/api/grievances", headers=grievances.as_(Role.VIEWER)).status_code == 403
    assert grievances.client.get("/api/grievances", headers=grievances.as_(Role.CONTRACTOR)).status_code == 403


def test_overdue_grievances_are_escalated_once(grievances: Api) -> None:
    safety = file(grievances, category="safety")["tracking_code"]  # 3 days
    complaint = file(grievances)["tracking_code"]  # 14 days
    with Session(grievances.engine) as session:
        assert actions.escalate_overdue(session, T0 + dt.timedelta(days=2)) == 0
        assert actions.escalate_overdue(session, T0 + dt.timedelta(days=3)) == 1
        assert actions.escalate_overdue(session, T0 + dt.timedelta(days=3)) == 0
        assert actions.escalate_overdue(session, T0 + dt.timedelta(days=4)) == 0  # not escalated twice
        session.commit()
    escalated = grievances.client.get(f"/api/grievances/{safety}").json()
    assert (escalated["status"], escalated["escalated_at"]) == ("escalated", "2026-03-05T09:00:00")
    assert grievances.client.get(f"/api/grievances/{complaint}").json()["status"] == "open"


def test_answer_is_public_needs_the_current_version_and_leaves_one_entry_without_contact(grievances: Api) -> None:
    code = file(grievances, "tender:t-roads")["tracking_code"]
    url = f"/api/grievances/{code}/response"
    body = {"response": "The contract was re-advertised on 1 April.", "version": 1, "comment": "checked"}
    refused = grievances.client.post(url, json=body, headers=grievances.as_(Role.PLANNER))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "grievances.not_yours")
    answered = grievances.client.post(url, json=body, headers=grievances.as_(Role.PROCUREMENT_OFFICER))
    assert answered.status_code == 200, answered.text
    assert (answered.json()["status"], answered.json()["version"]) == ("answered", 2)
    stale = grievances.client.post(url, json=body, headers=grievances.as_(Role.PROCUREMENT_OFFICER))
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "grievances.stale_version")
    assert stale.json()["error"]["details"]["current"]["version"] == 2
    public = grievances.client.get(f"/api/grievances/{code}").json()
    assert (public["status"], public["response"]) == ("answered", body["response"])
    with Session(grievances.engine) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.table_name == "grievances")).all()
    assert [(e.action, e.record_code, e.username, e.user_id) for e in entries] == [
        ("create", code, "public", None),  # whoever filed: never an account
        ("answer", code, "procurement_officer", entries[1].user_id),
    ]
    trail = repr([(e.before, e.after) for e in entries])
    assert "leyla" not in trail and "994" not in trail and "water pipe" not in trail and "contact" not in trail
    assert entries[1].after["response"] == body["response"]


def test_a_district_clerk_answers_only_in_its_own_district(grievances: Api) -> None:
    fuzuli = file(grievances, "settlement:fuzuli-v")["tracking_code"]
    body = {"response": "Noted.", "version": 1}
    refused = grievances.client.post(f"/api/grievances/{fuzuli}/response", json=body,
                                     headers=grievances.as_(Role.DATA_ENTRY))  # fmt: skip
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "auth.other_district")


def test_filings_over_the_limit_per_address_are_429_in_the_error_shape(grievances: Api) -> None:
    grievances.client.app.state.settings.grievance_filings_per_hour = 2  # type: ignore[attr-defined]
    file(grievances)
    file(grievances)
    refused = grievances.client.post("/api/grievances", json={"about": "settlement:aghdam-v", "category": "question",
                                                              "text": "again"})  # fmt: skip
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "grievances.too_many"
    assert set(refused.json()["error"]) == {"code", "message", "details"}
    assert refused.headers["retry-after"] == "3600"
    grievances.client.app.state.clock = lambda: T0 + dt.timedelta(hours=1, seconds=1)  # type: ignore[attr-defined]
    file(grievances)  # the window has moved on


def test_text_and_contact_have_limits(grievances: Api) -> None:
    long = grievances.client.post("/api/grievances", json={"about": "settlement:aghdam-v", "category": "question",
                                                           "text": "x" * 4001})  # fmt: skip
    assert (long.status_code, long.json()["error"]["code"]) == (422, "request.invalid")
    unknown = grievances.client.post("/api/grievances", json={"about": "settlement:aghdam-v", "category": "rant",
                                                              "text": "x"})  # fmt: skip
    assert unknown.status_code == 422


def test_the_contact_is_never_logged(grievances: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    code = file(grievances, "tender:t-roads")["tracking_code"]
    grievances.client.post(f"/api/grievances/{code}/response", json={"response": "Done.", "version": 1},
                           headers=grievances.as_(Role.ADMIN))  # fmt: skip
    grievances.client.get("/api/grievances", headers=grievances.as_(Role.ADMIN))
    assert "leyla" not in caplog.text and "123 45 67" not in caplog.text


def test_a_photo_is_kept_without_its_geotag_for_staff_only(grievances: Api) -> None:
    code = file(grievances, "settlement:aghdam-v")["tracking_code"]
    url = f"/api/grievances/{code}/photo"
    not_image = grievances.client.post(url, files={"photo": ("x.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")})
    assert (not_image.status_code, not_image.json()["error"]["code"]) == (422, "files.content_mismatch")
    sent = grievances.client.post(url, files={"photo": ("street.jpg", geotagged_jpeg(), "image/jpeg")})
    assert sent.status_code == 200, sent.text
    again = grievances.client.post(url, files={"photo": ("street.jpg", geotagged_jpeg(), "image/jpeg")})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "grievances.photo_already")
    assert grievances.client.get(url).status_code == 401
    assert grievances.client.get(url, headers=grievances.as_(Role.VIEWER)).status_code == 403
    shown = grievances.client.get(url, headers=grievances.as_(Role.PLANNER))
    assert (shown.status_code, shown.headers["content-type"]) == (200, "image/jpeg")
    image = Image.open(BytesIO(shown.content))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {} and 0x010F not in image.getexif()
    listed = grievances.client.get("/api/grievances", headers=grievances.as_(Role.ADMIN)).json()["items"]
    assert listed[0]["has_photo"] is True
    with Session(grievances.engine) as session:
        actions_ = [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.record_code == code))]
    assert actions_ == ["create", "update"]  # the refused sends left nothing


def test_a_photo_comes_within_a_day_of_filing(grievances: Api) -> None:
    code = file(grievances, "settlement:aghdam-v")["tracking_code"]
    grievances.client.app.state.clock = lambda: T0 + dt.timedelta(hours=25)  # type: ignore[attr-defined]
    late = grievances.client.post(f"/api/grievances/{code}/photo",
                                  files={"photo": ("a.jpg", geotagged_jpeg(), "image/jpeg")})  # fmt: skip
    assert (late.status_code, late.json()["error"]["code"]) == (422, "grievances.photo_too_late")
