"""Bulk damage counts and damaged objects import like every registry table: all rows or none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.damage.models import DamageCount, DamagedObject
from homecoming.interchange.importer import ImportRejected, import_file

TERRITORY = {
    "regions": "code,name\nkarabakh,Karabakh\n",
    "districts": "code,name,region_code\nlachin,Lachin,karabakh\n",
    "settlements": "code,name,district_code,kind\nzabukh,Zabukh,lachin,village\nsus,Sus,lachin,village\n",
}
HEADER = ["settlement_code", "kind", "level", "quantity", "method", "assessed_on", "source_url"]
GOOD = [
    ["zabukh", "house", "destroyed", 12, "remote", "2021-03-01", "https://example.org/sat"],
    ["zabukh", "house", "partial", 5, "remote", "2021-03-01", ""],
    ["sus", "road_segment", "severe", 2.5, "field_survey", "", ""],
]


@pytest.fixture
def territory(session: Session, tmp_path: Path) -> Session:
    for table, text in TERRITORY.items():
        path = tmp_path / f"{table}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(session, table, path)
    session.commit()
    return session


def csv_file(tmp_path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    path = tmp_path / "counts.csv"
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def xlsx_file(tmp_path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    path = tmp_path / "counts.xlsx"
    book.save(path)
    return path


def counts(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(DamageCount)) or 0


def test_bulk_counts_import_from_xlsx_and_reimport_unchanged(territory: Session, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append(row)
    path = tmp_path / "counts.xlsx"
    book.save(path)
    report = import_file(territory, "damage_counts", path)
    assert (report.rows, report.inserted) == (3, 3)
    road = territory.scalars(select(DamageCount).where(DamageCount.kind == "road_segment")).one()
    assert (road.quantity, road.level, road.method, road.assessed_on) == (2.5, "severe", "field_survey", None)
    again = import_file(territory, "damage_counts", csv_file(tmp_path, GOOD))
    assert (again.unchanged, again.inserted, again.updated) == (3, 0, 0)


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file], ids=["csv", "xlsx"])
def test_a_bad_row_rejects_the_whole_counts_file_listing_every_problem(
    territory: Session, tmp_path: Path, make_file: Callable[[Path, list[list[object]]], Path]
) -> None:
    rows = [
        *GOOD,
        ["nowhere", "house", "destroyed", 1, "remote", "", ""],
        ["sus", "castle", "destroyed", 1, "remote", "", ""],
        ["sus", "house", "flattened", -3, "remote", "", ""],
        ["zabukh", "house", "destroyed", 4, "remote", "", ""],
    ]
    with pytest.raises(ImportRejected) as caught:
        import_file(territory, "damage_counts", make_file(tmp_path, rows))
    territory.rollback()
    found = [(e.row, e.column) for e in caught.value.errors]
    assert found == [
        (5, "settlement_code"),
        (6, "kind"),
        (7, "level"),
        (7, "quantity"),
        (8, "settlement_code, kind, level"),
    ]
    assert "duplicate settlement_code, kind, level (first on row 2)" in caught.value.errors[-1].reason
    assert counts(territory) == 0  # the three good rows were not written either


def test_a_damaged_object_with_a_bad_footprint_is_rejected(territory: Session, tmp_path: Path) -> None:
    path = tmp_path / "objects.csv"
    path.write_text(
        "code,settlement_code,kind,level,method,footprint_geojson\n"
        'h1,zabukh,house,destroyed,remote,"{""type"": ""Point"", ""coordinates"": [46.5, 39.5]}"\n'
        'h2,zabukh,house,partial,remote,"{""type"": ""Polygon"", ""coordinates"": '
        '[[[46.5, 39.5], [46.6, 39.5], [46.6, 39.6], [46.5, 39.5]]]}"\n',
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(territory, "damaged_objects", path)
    territory.rollback()
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "footprint_geojson")]
    assert territory.scalar(select(func.count()).select_from(DamagedObject)) == 0
