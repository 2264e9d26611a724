"""Every write command of the field domains (damage, heritage, mine action) leaves exactly one audit entry naming the
command line's actor; a refused command leaves none. Both engines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from cli_support import fail, run
from homecoming.audit.models import AuditEntry
from homecoming.cli.output import cli_actor
from homecoming.config import get_settings
from homecoming.mine_action import service as mine_action
from homecoming.mine_action.schemas import HazardAreaCreate
from homecoming.territory import service as territory
from homecoming.territory.schemas import DistrictCreate, RegionCreate, SettlementCreate
from homecoming.works import service as works
from homecoming.works.schemas import ProjectCreate

# A square of about 1.1 km a side around Zabukh (46.52 E, 39.58 N).
AROUND_ZABUKH = {"type": "Polygon", "coordinates": [[[46.51, 39.57], [46.53, 39.57], [46.53, 39.59], [46.51, 39.59],
                                                     [46.51, 39.57]]]}  # fmt: skip
HOUSE = ("damage", "add", "zabukh-house-1", "--settlement", "zabukh", "--kind", "house", "--level", "destroyed",
         "--method", "field_survey")  # fmt: skip
SITE = ("heritage", "add", "zabukh-bridge", "--name-latin", "Zabukh bridge", "--category", "bridge",
        "--settlement", "zabukh")  # fmt: skip


@pytest.fixture
def zabukh(cli_database: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """One village with a works project, and a drawn hazard area over it that nobody has said blocks it yet."""
    monkeypatch.setenv("HOMECOMING_FILES_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    with Session(engine) as session:
        territory.create_region(session, RegionCreate(code="karabakh", name="Karabakh"))
        territory.create_district(session, DistrictCreate(code="lachin", name="Lachin", region_code="karabakh"))
        territory.create_settlement(session, SettlementCreate(code="zabukh", name="Zabukh", district_code="lachin",
                                                              kind="village", lat=39.58, lon=46.52))  # fmt: skip
        works.create_project(session, ProjectCreate(code="zabukh-bridge-works", name="Bridge", sector="heritage",
                                                    stage=3, settlement_code="zabukh"))  # fmt: skip
        mine_action.create_hazard_area(session, HazardAreaCreate(code="sha-z", classification="SHA",
                                                                  polygon_geojson=AROUND_ZABUKH))  # fmt: skip
        session.commit()
    yield engine


def trail(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def photo(folder: Path) -> Path:
    path = folder / "photo.jpg"
    Image.new("RGB", (4, 4)).save(path, "JPEG")
    return path


def one_new_entry(engine: Engine, before: int, table: str, record: str, action: str = "create") -> None:
    entries = trail(engine)
    assert len(entries) == before + 1
    entry = entries[-1]
    assert (entry.username, entry.action, entry.table_name, entry.record_code) == (
        cli_actor().username, action, table, record,
    )  # fmt: skip


def test_damage_add_attach_and_propose_works_each_leave_one_entry(zabukh: Engine, tmp_path: Path) -> None:
    run(*HOUSE)
    one_new_entry(zabukh, 0, "damaged_objects", "zabukh-house-1")
    run("damage", "attach", "zabukh-house-1", str(photo(tmp_path)))
    one_new_entry(zabukh, 1, "attachments", "zabukh-house-1")
    assert "created" in run("damage", "propose-works", "--uplift", "0")  # one settlement, one sector: one project
    one_new_entry(zabukh, 2, "projects", "needs-zabukh-housing")
    assert "unchanged" in run("damage", "propose-works", "--uplift", "0")
    assert count(zabukh) == 3  # nothing changed, nothing recorded
    assert "updated" in run("damage", "propose-works", "--uplift", "0.1")
    one_new_entry(zabukh, 3, "projects", "needs-zabukh-housing", "update")


def test_damage_count_leaves_one_entry_each_time_and_none_when_refused(zabukh: Engine) -> None:
    counted = ("damage", "count", "zabukh", "--kind", "house", "--level", "severe", "--method", "remote")
    assert "damage.invalid_count" in fail(*counted, "--quantity", "-2")
    assert count(zabukh) == 0
    run(*counted, "--quantity", "7")
    one_new_entry(zabukh, 0, "damage_counts", "zabukh/house/severe")
    run(*counted, "--quantity", "9")
    one_new_entry(zabukh, 1, "damage_counts", "zabukh/house/severe", "update")
    entry = trail(zabukh)[-1]
    assert entry.before is not None and entry.after is not None
    assert (entry.before["quantity"], entry.after["quantity"]) == (7, 9)


def test_heritage_add_link_and_attach_each_leave_one_entry(zabukh: Engine, tmp_path: Path) -> None:
    run(*SITE)
    one_new_entry(zabukh, 0, "heritage_sites", "zabukh-bridge")
    run("heritage", "link", "zabukh-bridge", "zabukh-bridge-works")
    one_new_entry(zabukh, 1, "heritage_sites", "zabukh-bridge", "update")
    assert trail(zabukh)[-1].after["restoration_projects"] == ["zabukh-bridge-works"]  # type: ignore[index]
    run("heritage", "link", "zabukh-bridge", "zabukh-bridge-works")
    assert count(zabukh) == 2  # linking twice keeps one link
    run("heritage", "attach", "zabukh-bridge", str(photo(tmp_path)))
    one_new_entry(zabukh, 2, "attachments", "zabukh-bridge")


def test_mine_blocks_leaves_one_entry_per_hazard_area_whose_answer_changed(zabukh: Engine) -> None:
    assert "sha-z: settlement zabukh" in run("mine", "blocks")
    one_new_entry(zabukh, 0, "hazard_areas", "sha-z", "update")
    entry = trail(zabukh)[-1]
    assert entry.before is not None and entry.before["blocks_settlement_id"] is None
    run("mine", "blocks")
    assert count(zabukh) == 1


def test_refused_commands_leave_no_entry(zabukh: Engine, tmp_path: Path) -> None:
    assert "settlements.not_found" in fail("damage", "add", "x", "--settlement", "nowhere", "--kind", "house",
                                           "--level", "severe", "--method", "remote")  # fmt: skip
    assert "heritage.invalid_site" in fail("heritage", "add", "x", "--name-latin", "X", "--category", "mosque",
                                           "--lat", "40")  # fmt: skip
    fake = tmp_path / "fake.jpg"
    fake.write_bytes(b"MZ" + b"\x00" * 100)
    assert "damaged_objects.not_found" in fail("damage", "attach", "nothing", str(fake))
    assert count(zabukh) == 0
    run(*HOUSE)
    run(*SITE)
    assert count(zabukh) == 2
    assert "damaged_objects.duplicate_code" in fail(*HOUSE)
    assert "files.content_mismatch" in fail("damage", "attach", "zabukh-house-1", str(fake))
    assert "projects.not_found" in fail("heritage", "link", "zabukh-bridge", "nothing")
    assert "heritage_sites.duplicate_code" in fail(*SITE)
    assert count(zabukh) == 2


def test_damage_import_leaves_one_entry_per_file_and_none_when_refused(zabukh: Engine, tmp_path: Path) -> None:
    counts = tmp_path / "counts.csv"
    counts.write_text("settlement_code,kind,level,quantity,method\nzabukh,house,destroyed,10,remote\n"
                      "zabukh,school,severe,1,remote\n", encoding="utf-8")  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text("settlement_code,kind,level,quantity,method\nzabukh,house,gone,1,remote\n", encoding="utf-8")
    assert "import.rejected" in fail("damage", "import", str(bad))
    assert count(zabukh) == 0
    run("damage", "import", str(counts))
    entries = trail(zabukh)
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.username, entry.action, entry.table_name) == (cli_actor().username, "import", "damage_counts")
    assert entry.after is not None and (entry.after["rows"], entry.after["added"]) == (2, 2)
