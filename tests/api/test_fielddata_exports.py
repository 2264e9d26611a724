"""Exports of ODK Central (CSV, ZIP with media) and KoboToolbox (JSON in a ZIP with attachments), made here the way
those servers write them, import into the review queue: all of a file or none of it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from api_support import Api
from fielddata_support import DAMAGE, HAZARD, collect, jpeg
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.audit.models import AuditEntry
from homecoming.db import unit_of_work
from homecoming.errors import RuleViolation
from homecoming.fielddata import actions
from homecoming.fielddata.models import FieldSubmission
from homecoming.files.store import FolderStore

NOW = dt.datetime(2026, 12, 2, 9, 0)
CENTRAL_COLUMNS = ["SubmissionDate", "details-settlement", "details-kind", "details-level", "details-method",
                   "location-Latitude", "location-Longitude", "location-Altitude", "location-Accuracy", "name",
                   *(f"photo_{n}" for n in range(1, 6)), "notes", "meta-instanceID", "KEY", "SubmitterID",
                   "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID",
                   "Edits", "FormVersion"]  # fmt: skip


def central_csv(version: str, rows: list[tuple[str, str, str]]) -> bytes:
    """(instanceID, settlement, photo file) per row, in the columns ODK Central's CSV export has."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CENTRAL_COLUMNS)
    writer.writeheader()
    for instance_id, settlement, photo in rows:
        writer.writerow({
            "SubmissionDate": "2026-11-30T10:00:00.000Z", "details-settlement": settlement, "details-kind": "house",
            "details-level": "severe", "details-method": "field_survey", "location-Latitude": "40.001",
            "location-Longitude": "46.902", "location-Altitude": "1200", "location-Accuracy": "5", "name": "",
            "photo_1": photo, "notes": "", "meta-instanceID": instance_id, "KEY": instance_id, "SubmitterID": "7",
            "SubmitterName": "team 2", "AttachmentsPresent": "1", "AttachmentsExpected": "1", "Status": "",
            "ReviewState": "", "DeviceID": "collect:x", "Edits": "0", "FormVersion": version,
        })  # fmt: skip
    return out.getvalue().encode()


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def run_import(api: Api, store: FolderStore, kind: str, name: str, content: bytes, **options: str) -> list[str]:
    with unit_of_work(api.engine) as session:
        user = session.scalars(select(User).where(User.username == "enumerator")).one()
        use_case = actions.import_central_export if kind == "central" else actions.import_kobo_export
        added = use_case(session, user, name, content, now=NOW, store=store, max_file_bytes=1_000_000, **options)
        return [s.code for s in added]


def test_a_central_zip_with_media_imports_into_the_queue_and_again_adds_nothing(api: Api, tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "files")
    version = collect(api, "enumerator").versions()["damage_survey"]
    rows = [("uuid:c1", "aghdam-v", "1701.jpg"), ("uuid:c2", "aghdam-v", "1702.jpg")]
    export = zipped({"damage_survey.csv": central_csv(version, rows), "media/1701.jpg": jpeg("red"),
                     "media/1702.jpg": jpeg("blue")})  # fmt: skip
    assert run_import(api, store, "central", "damage_survey.zip", export) == ["uuid:c1", "uuid:c2"]
    assert run_import(api, store, "central", "damage_survey.zip", export) == []  # the same instances: kept once
    with Session(api.engine) as session:
        first = session.scalars(select(FieldSubmission).where(FieldSubmission.code == "uuid:c1")).one()
        assert (first.source, first.status, first.fields["settlement"], first.fields["location"]) == (
            "central", "pending", "aghdam-v", {"lat": 40.001, "lon": 46.902}
        )  # fmt: skip
        assert [f["name"] for f in first.files] == ["1701.jpg"]
        entries = session.scalars(select(AuditEntry).where(AuditEntry.table_name == "field_submissions")).all()
        assert [(e.action, e.after["added"], e.after["unchanged"]) for e in entries] == [  # type: ignore[index]
            ("import", 2, 0), ("import", 0, 2)
        ]  # fmt: skip
    assert len(store.keys()) == 4  # two originals, two metadata-free copies


def test_a_central_file_with_bad_rows_imports_nothing_and_lists_each(api: Api, tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "files")
    version = collect(api, "enumerator").versions()["damage_survey"]
    rows = [("uuid:ok", "aghdam-v", "1.jpg"), ("uuid:far", "fuzuli-v", "1.jpg"), ("uuid:nophoto", "aghdam-v", "9.jpg")]
    export = zipped({"damage_survey.csv": central_csv(version, rows), "media/1.jpg": jpeg()})
    with pytest.raises(RuleViolation) as refused:
        run_import(api, store, "central", "damage_survey.zip", export)
    assert refused.value.code == "fielddata.import_refused"
    assert [(e["row"], e["code"]) for e in refused.value.details["errors"]] == [
        (2, "fielddata.outside_district"), (3, "fielddata.missing_attachment")
    ]  # fmt: skip
    with Session(api.engine) as session:
        assert session.scalars(select(FieldSubmission)).all() == []
    assert store.keys() == []


def test_a_kobo_json_export_with_attachments_imports_into_the_queue(api: Api, tmp_path: Path) -> None:
    store = FolderStore(tmp_path / "files")
    version = collect(api, "enumerator").versions()["hazard_survey"]
    damage_version = collect(api, "enumerator").versions()["damage_survey"]
    hazard = {"_id": 101, "formhub/uuid": "f00d", "__version__": version, "meta/instanceID": "uuid:k1",
              "_submission_time": "2026-11-29T08:00:00", "_geolocation": [40.0, 46.9], "_attachments": [],
              **{f"survey/{name}": value for name, value in HAZARD.items()}}  # fmt: skip
    document = {"count": 1, "results": [hazard]}
    assert run_import(api, store, "kobo", "hazard.json", json.dumps(document).encode(), form_id="hazard_survey") == [
        "uuid:k1"
    ]
    damage = {"_uuid": "k2", "__version__": damage_version, **DAMAGE, "photo_1": "IMG_0001.jpg",
              "_attachments": [{"filename": "enumerator/attachments/f00d/k2/IMG_0001.jpg"}]}  # fmt: skip
    archive = zipped({"damage.json": json.dumps([damage]).encode(),
                      "enumerator/attachments/f00d/k2/IMG_0001.jpg": jpeg()})  # fmt: skip
    assert run_import(api, store, "kobo", "damage.zip", archive, form_id="damage_survey") == ["uuid:k2"]
    with Session(api.engine) as session:
        kobo = session.scalars(select(FieldSubmission).order_by(FieldSubmission.id)).all()
        assert [(s.code, s.form_id, s.source) for s in kobo] == [
            ("uuid:k1", "hazard_survey", "kobo"), ("uuid:k2", "damage_survey", "kobo")
        ]  # fmt: skip
        assert kobo[0].fields["shape"]["type"] == "Polygon" and kobo[1].files[0]["media_type"] == "image/jpeg"
