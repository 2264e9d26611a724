"""The field forms: built from the registry in both languages, converted by pyxform, versioned by their lists."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from api_support import seed
from lxml import etree
from openpyxl import load_workbook
from pyxform.xls2xform import convert
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.cli.main import app
from homecoming.config import get_settings
from homecoming.db import session as db_session
from homecoming.fielddata.forms import build_form, build_forms
from homecoming.territory import service as territory
from homecoming.territory.schemas import SettlementCreate

XFORMS = "{http://www.w3.org/2002/xforms}"


@pytest.fixture
def seeded(engine: Engine) -> Session:
    session = Session(engine)
    seed(session)
    session.commit()
    return session


def test_pyxform_converts_every_generated_form_workbook(seeded: Session) -> None:
    forms = build_forms(seeded)
    assert [f.form_id for f in forms] == ["damage_survey", "hazard_survey", "land_release", "household_verification"]
    for form in forms:
        assert form.ready
        result = convert(io.BytesIO(form.xlsx()), file_type=".xlsx", form_name="data")  # the workbook itself
        root = etree.fromstring(result.xform.encode())
        data = root.find(f".//{XFORMS}instance/{XFORMS}data")
        assert data is not None and (data.get("id"), data.get("version")) == (form.form_id, form.version)
        languages = [t.get("lang") for t in root.iter(f"{XFORMS}translation")]
        assert languages == ["English (en)", "Azərbaycan (az)"]


def test_labels_and_choices_come_in_both_languages(seeded: Session) -> None:
    form = build_form(seeded, "damage_survey")
    book = load_workbook(io.BytesIO(form.xlsx()))
    survey = list(book["survey"].iter_rows(values_only=True))
    assert survey[0] == ("type", "name", "label::English (en)", "label::Azərbaycan (az)", "required", "appearance")
    assert ("select_one damage_levels", "level", "Damage level", "Zərər dərəcəsi", "yes", None) in survey
    choices = list(book["choices"].iter_rows(values_only=True))
    assert ("damage_levels", "destroyed", "destroyed", "dağıdılmış") in choices
    assert ("settlements", "aghdam-v", "Aghdam-V (Aghdam)", "Aghdam-V (Aghdam)") in choices
    settings = list(book["settings"].iter_rows(values_only=True))
    assert settings[1][:3] == ("Damage survey of one object", "damage_survey", form.version)


def test_a_form_version_changes_when_its_list_does(seeded: Session) -> None:
    before = {f.form_id: f.version for f in build_forms(seeded)}
    territory.create_settlement(
        seeded, SettlementCreate(code="aghdam-new", name="New", district_code="aghdam", kind="village")
    )
    after = {f.form_id: f.version for f in build_forms(seeded)}
    assert after["damage_survey"] != before["damage_survey"]  # lists settlements
    assert after["hazard_survey"] != before["hazard_survey"]
    assert after["land_release"] == before["land_release"]  # lists hazard areas, not settlements
    assert after["household_verification"] == before["household_verification"]


def test_odk_forms_writes_a_workbook_and_an_xform_per_form(
    seeded: Session, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", database_url)
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    try:
        result = CliRunner().invoke(app, ["odk", "forms", "--out", str(tmp_path / "forms")], env={"COLUMNS": "200"})
    finally:
        db_session.get_engine(database_url).dispose()
        get_settings.cache_clear()
        db_session._engine_for.cache_clear()
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "forms").iterdir())
    assert names == sorted(f"{f}.{ext}" for f in ("damage_survey", "hazard_survey", "land_release",
                                                 "household_verification") for ext in ("xlsx", "xml"))  # fmt: skip
    assert (tmp_path / "forms" / "land_release.xml").read_text(encoding="utf-8") == build_form(
        seeded, "land_release"
    ).xform()
