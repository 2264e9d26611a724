"""Every refusal of a field submission is coded, says what to fix, and leaves nothing behind: no queued
submission, no stored file, no audit entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_support import Api
from fielddata_support import BOW_TIE, DAMAGE, HAZARD, Collect, collect, instance, jpeg, use_folder
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.audit.models import AuditEntry
from homecoming.fielddata.models import FieldSubmission

ID = "uuid:0a0b0c0d-1111-2222-3333-444455556666"


@pytest.fixture
def phone(api: Api, tmp_path: Path) -> Collect:
    use_folder(api, tmp_path / "files")
    return collect(api, "enumerator")


def refused(api: Api, tmp_path: Path, response: object, status: int, code: str) -> dict[str, object]:
    assert getattr(response, "status_code") == status, getattr(response, "text")  # noqa: B009
    error: dict[str, object] = getattr(response, "json")()["error"]  # noqa: B009
    assert error["code"] == code
    with Session(api.engine) as session:
        assert session.scalar(select(func.count()).select_from(FieldSubmission)) == 0
        trail = select(func.count()).select_from(AuditEntry).where(AuditEntry.table_name == "field_submissions")
        assert session.scalar(trail) == 0
    files = tmp_path / "files"
    assert not files.exists() or not any(p.is_file() for p in files.rglob("*"))
    return error


def test_an_unknown_form_version_is_refused(api: Api, tmp_path: Path, phone: Collect) -> None:
    response = phone.submit(instance("damage_survey", "0ld0ld0ld0ld", ID, DAMAGE), {"IMG_0001.jpg": jpeg()})
    error = refused(api, tmp_path, response, 422, "fielddata.unknown_form_version")
    assert error["details"]["current_version"] == phone.versions()["damage_survey"]  # type: ignore[index]


def test_a_settlement_outside_the_enumerators_district_is_refused(api: Api, tmp_path: Path, phone: Collect) -> None:
    answers = {**DAMAGE, "settlement": "fuzuli-v"}  # Fuzuli; the enumerator works in Aghdam
    response = phone.submit(instance("damage_survey", phone.versions()["damage_survey"], ID, answers),
                            {"IMG_0001.jpg": jpeg()})  # fmt: skip
    error = refused(api, tmp_path, response, 403, "fielddata.outside_district")
    assert error["details"] == {"field": "settlement"}


def test_a_self_intersecting_shape_is_refused(api: Api, tmp_path: Path, phone: Collect) -> None:
    answers = {**HAZARD, "shape": BOW_TIE}
    response = phone.submit(instance("hazard_survey", phone.versions()["hazard_survey"], ID, answers))
    error = refused(api, tmp_path, response, 422, "geometry.invalid")
    assert "Self-intersection" in str(error["message"])


def test_a_photo_that_is_not_an_image_is_refused(api: Api, tmp_path: Path, phone: Collect) -> None:
    xml = instance("damage_survey", phone.versions()["damage_survey"], ID, DAMAGE)
    response = phone.submit(xml, {"IMG_0001.jpg": b"MZ\x90\x00 not a photograph"})
    error = refused(api, tmp_path, response, 422, "files.content_mismatch")
    assert error["details"]["found"] == "a Windows executable"  # type: ignore[index]


def test_a_photo_named_but_not_attached_is_refused(api: Api, tmp_path: Path, phone: Collect) -> None:
    response = phone.submit(instance("damage_survey", phone.versions()["damage_survey"], ID, DAMAGE))
    refused(api, tmp_path, response, 422, "fielddata.missing_attachment")


def test_a_missing_required_field_is_refused(api: Api, tmp_path: Path, phone: Collect) -> None:
    answers = {name: value for name, value in DAMAGE.items() if name != "level"}
    response = phone.submit(instance("damage_survey", phone.versions()["damage_survey"], ID, answers),
                            {"IMG_0001.jpg": jpeg()})  # fmt: skip
    error = refused(api, tmp_path, response, 422, "fielddata.missing_field")
    assert error["details"] == {"field": "level", "form_id": "damage_survey"}


def test_an_oversized_body_is_refused_before_it_is_read(api: Api, tmp_path: Path, phone: Collect) -> None:
    app = api.client.app
    app.state.settings = app.state.settings.model_copy(update={"max_submission_bytes": 1000})  # type: ignore[attr-defined]
    xml = instance("damage_survey", phone.versions()["damage_survey"], ID, DAMAGE)
    response = phone.submit(xml, {"IMG_0001.jpg": jpeg() + b"\0" * 70_000})
    error = refused(api, tmp_path, response, 413, "fielddata.submission_too_large")
    assert error["details"] == {"max_bytes": 1000}


def test_a_form_the_role_may_not_send_is_refused(api: Api, tmp_path: Path) -> None:
    use_folder(api, tmp_path / "files")
    planner = collect(api, "planner")
    version = collect(api, "enumerator").versions()["hazard_survey"]
    response = planner.client.post(
        "/odk/submission", headers=planner.headers,
        files=[("xml_submission_file", ("s.xml", instance("hazard_survey", version, ID, HAZARD), "text/xml"))],
    )  # fmt: skip
    refused(api, tmp_path, response, 403, "fielddata.form_not_allowed")


def test_xml_with_an_external_entity_is_not_expanded(api: Api, tmp_path: Path, phone: Collect) -> None:
    xml = (b'<?xml version="1.0"?><!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<data id="damage_survey" version="v"><notes>&x;</notes><meta><instanceID>uuid:1</instanceID></meta>'
           b"</data>")  # fmt: skip
    response = phone.submit(xml)
    error = refused(api, tmp_path, response, 422, "fielddata.unknown_form_version")
    assert "root:" not in str(error)
