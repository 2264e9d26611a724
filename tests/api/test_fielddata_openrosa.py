"""ODK Collect's conversation with the OpenRosa server, end to end: form list, download, manifest, a submission with
a photograph, the same submission again, the review queue, approval, and the registry and audit trail after it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from api_support import Api
from fielddata_support import DAMAGE, MANIFEST, XFORMS, basic, collect, instance, jpeg, use_folder
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.damage.models import DamagedObject
from homecoming.fielddata.models import FieldSubmission, SubmissionStatus
from homecoming.files.models import Attachment

INSTANCE = "uuid:6f1c2a9e-0b7d-4c55-9e21-3a8d5b7c9e10"


def test_collect_is_challenged_first_and_told_the_size_limit(api: Api) -> None:
    anonymous = api.client.head("/odk/submission")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith('Basic realm="Homecoming"')
    assert api.client.get("/odk/formList", headers=basic("enumerator", "wrong-password")).status_code == 401
    probe = api.client.head("/odk/submission", headers=basic("enumerator"))
    assert probe.status_code == 204
    assert probe.headers["X-OpenRosa-Accept-Content-Length"] == str(50 * 1024 * 1024)
    assert probe.headers["X-OpenRosa-Version"] == "1.0"


def test_the_form_list_holds_only_the_forms_the_account_may_use(api: Api) -> None:
    assert sorted(collect(api, "enumerator").form_list()) == [
        "damage_survey", "hazard_survey", "household_verification", "land_release"
    ]  # fmt: skip
    assert sorted(collect(api, "planner").form_list()) == ["damage_survey"]
    assert sorted(collect(api, "mine_action_officer").form_list()) == ["hazard_survey", "land_release"]
    assert sorted(collect(api, "registrar").form_list()) == ["household_verification"]
    assert api.client.get("/odk/formList", headers=basic("viewer")).status_code == 403


def test_a_damage_survey_goes_from_collect_to_the_registry(api: Api, tmp_path: Path) -> None:
    store = use_folder(api, tmp_path / "files")
    phone = collect(api, "enumerator")
    entry = phone.form_list()["damage_survey"]
    xform = phone.get(entry["downloadUrl"].removeprefix("http://testserver"))
    assert entry["hash"] == "md5:" + hashlib.md5(xform.content).hexdigest()
    data = etree.fromstring(xform.content).find(f".//{XFORMS}instance/{XFORMS}data")
    assert data is not None and data.get("version") == entry["version"]
    manifest = etree.fromstring(phone.get(entry["manifestUrl"].removeprefix("http://testserver")).content)
    media = manifest.find(f"{MANIFEST}mediaFile")
    assert media is not None and media.findtext(f"{MANIFEST}filename") == "choices.csv"
    choices = phone.get(str(media.findtext(f"{MANIFEST}downloadUrl")).removeprefix("http://testserver"))
    assert "settlements,aghdam-v,Aghdam-V (Aghdam)" in choices.text

    xml = instance("damage_survey", entry["version"], INSTANCE, DAMAGE)
    first = phone.submit(xml, {"IMG_0001.jpg": jpeg()})
    assert first.status_code == 201, first.text
    assert b"submit_success" in first.content and b"waits for review" in first.content
    again = phone.submit(xml, {"IMG_0001.jpg": jpeg()})
    assert again.status_code == 201 and b"kept once" in again.content

    with Session(api.engine) as session:
        assert session.scalar(select(func.count()).select_from(FieldSubmission)) == 1
        assert session.scalar(select(func.count()).select_from(DamagedObject)) == 0  # pending: not in the registry
    queue = api.client.get("/api/field-submissions", headers=api.as_(Role.DATA_ENTRY)).json()
    assert [(s["code"], s["status"]) for s in queue] == [(INSTANCE, "pending")]
    assert api.client.get("/api/field-submissions", headers=api.as_(Role.REGISTRAR)).json() == []

    approved = api.client.post(f"/api/field-submissions/{INSTANCE}/approve?version=1", json={},
                               headers=api.as_(Role.DATA_ENTRY))  # fmt: skip
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["applied_code"] == "odk-6f1c2a9e0b7d"
    with Session(api.engine) as session:
        house = session.scalars(select(DamagedObject)).one()
        assert (house.code, house.level, house.lat, house.lon, house.assessor) == (
            "odk-6f1c2a9e0b7d", "destroyed", 40.0012, 46.9034, "enumerator"
        )  # fmt: skip
        photo = session.scalars(select(Attachment)).one()
        assert photo.damaged_object_id == house.id and photo.public_path is not None
        trail = session.execute(
            select(AuditEntry.username, AuditEntry.action, AuditEntry.table_name, AuditEntry.comment)
            .order_by(AuditEntry.id)
            .where(AuditEntry.table_name.in_(["field_submissions", "damaged_objects", "attachments"]))
        ).all()
        said = f"field submission {INSTANCE}"
        assert trail == [
            ("enumerator", "create", "field_submissions", None),
            ("data_entry", "create", "damaged_objects", said),
            ("data_entry", "create", "attachments", said),
        ]
        assert session.scalars(select(FieldSubmission)).one().status == SubmissionStatus.APPROVED
    assert store.keys() == sorted({photo.stored_path, str(photo.public_path)})
    decided = api.client.post(f"/api/field-submissions/{INSTANCE}/approve?version=2", json={},
                              headers=api.as_(Role.DATA_ENTRY))  # fmt: skip
    assert decided.status_code == 409 and decided.json()["error"]["code"] == "fielddata.already_decided"
