"""`homecoming odk import` as an operator runs it: a Central CSV into the review queue, or every bad row listed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cli_support import fail, run
from homecoming.config import get_settings
from homecoming.db import make_engine
from homecoming.fielddata.forms import build_form
from homecoming.fielddata.models import FieldSubmission

HEADER = (
    "SubmissionDate,settlement,kind,level,method,location-Latitude,location-Longitude,meta-instanceID,FormVersion\n"
)


@pytest.fixture(autouse=True)
def database(cli_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HOMECOMING_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("HOMECOMING_NEW_PASSWORD", "enumerator-password-1")
    get_settings.cache_clear()
    run("init")
    for table, text in (
        ("regions", "code,name\nkarabakh,Karabakh\n"),
        ("districts", "code,name,region_code\nlachin,Lachin,karabakh\nkalbajar,Kalbajar,karabakh\n"),
        ("settlements", "code,name,district_code,kind\nzabukh,Zabukh,lachin,village\nistisu,Istisu,kalbajar,village\n"),
    ):
        (tmp_path / f"{table}.csv").write_text(text, encoding="utf-8")
        run("import", table, str(tmp_path / f"{table}.csv"))
    run("admin", "create", "enum-lachin", "--role", "enumerator", "--district", "lachin")
    return cli_database


def test_a_central_csv_imports_into_the_queue_as_the_named_enumerator(database: str, tmp_path: Path) -> None:
    engine = make_engine(database)
    with Session(engine) as session:
        version = build_form(session, "damage_survey").version
    rows = f"2026-11-30,zabukh,house,partial,field_survey,39.65,46.55,uuid:z1,{version}\n"
    (tmp_path / "damage_survey.csv").write_text(HEADER + rows, encoding="utf-8")
    output = run("--as", "enum-lachin", "odk", "import", str(tmp_path / "damage_survey.csv"), "--from", "central")
    assert "damage_survey.csv: 1 submissions added to the review queue" in output
    bad = rows.replace("uuid:z1", "uuid:z2") + f"2026-11-30,istisu,house,partial,field_survey,40,46,uuid:z3,{version}\n"
    (tmp_path / "damage_survey.csv").write_text(HEADER + bad, encoding="utf-8")
    refused = fail("--as", "enum-lachin", "odk", "import", str(tmp_path / "damage_survey.csv"), "--from", "central")
    assert "fielddata.import_refused" in refused and "fielddata.outside_district" not in refused
    assert "this enumerator account reports from its own district only" in refused
    with Session(engine) as session:
        assert session.scalars(select(FieldSubmission.code)).all() == ["uuid:z1"]
    engine.dispose()
