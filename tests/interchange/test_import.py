"""Importing registry files: every bad row listed, nothing written on rejection, re-import changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.errors import RuleViolation
from homecoming.interchange.exporter import export_file
from homecoming.interchange.importer import ImportRejected, import_file
from homecoming.territory.models import Settlement

REGIONS = "code,name\nkarabakh,Karabakh\n"
DISTRICTS = "code,name,region_code\nkhojavend,Khojavend,karabakh\nlachin,Lachin,karabakh\n"
SETTLEMENTS = (
    "code,name,district_code,kind,lat,lon,population_before,source_url,source_date\n"
    "sos,Sos,khojavend,village,39.71278,47.00917,1089,https://example.org/sos,2025-09-11\n"
    "zabukh,Zabukh,lachin,village,39.58972,46.54333,,https://example.org/zabukh,\n"
)
HOUSEHOLD_HEADER = "code,origin_settlement_code,head_name,size,children,elderly,rooms_needed,registered_on\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def territory(session: Session, tmp_path: Path) -> Session:
    import_file(session, "regions", write(tmp_path, "regions.csv", REGIONS))
    import_file(session, "districts", write(tmp_path, "districts.csv", DISTRICTS))
    import_file(session, "settlements", write(tmp_path, "settlements.csv", SETTLEMENTS))
    session.commit()
    return session


def rejected(session: Session, table: str, path: Path) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        import_file(session, table, path)
    session.rollback()
    return [(e.row, e.column, e.reason) for e in caught.value.errors]


def household_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Settlement).where(Settlement.code == "sos")) or 0


def test_good_file_imports_with_references_resolved(territory: Session) -> None:
    sos = territory.scalars(select(Settlement).where(Settlement.code == "sos")).one()
    assert sos.district.code == "khojavend"
    assert sos.population_before == 1089
    assert str(sos.source_date) == "2025-09-11"
    assert sos.lat == pytest.approx(39.71278)


def test_importing_the_same_file_twice_changes_nothing(territory: Session, tmp_path: Path) -> None:
    report = import_file(territory, "settlements", tmp_path / "settlements.csv")
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (2, 0, 0, 2)


def test_a_changed_row_is_updated_in_place(territory: Session, tmp_path: Path) -> None:
    path = write(tmp_path, "changed.csv", SETTLEMENTS.replace(",1089,", ",1100,"))
    report = import_file(territory, "settlements", path)
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    assert territory.scalars(select(Settlement.population_before).where(Settlement.code == "sos")).one() == 1100


def test_every_bad_row_is_listed_and_nothing_is_written(territory: Session, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "households.csv",
        HOUSEHOLD_HEADER
        + "H-1,sos,A,4,1,0,2,2024-01-05\n"  # good
        + "H-2,atlantis,B,3,0,0,2,2024-01-05\n"  # unknown settlement code
        + "H-3,sos,C,-2,0,0,1,2024-01-05\n"  # negative count
        + "H-4,sos,D,3,0,0,2,2024-13-40\n"  # wrong date
        + "H-1,zabukh,E,2,0,0,1,2024-01-05\n"  # duplicate id
        + "H-6,sos,F,2,2,1,1,2024-01-05\n",  # members exceed size
    )
    assert rejected(territory, "households", path) == [
        (3, "origin_settlement_code", "unknown origin_settlement code 'atlantis'"),
        (4, "size", "must be at least 1, got -2"),
        (5, "registered_on", "expected a date as YYYY-MM-DD, got '2024-13-40'"),
        (6, "code", "duplicate code (first on row 2)"),
        (7, "children", "children (2) + elderly (1) exceed the household size (2)"),
    ]
    assert territory.scalar(select(func.count()).select_from(Settlement)) == 2
    from homecoming.households.models import Household

    assert territory.scalar(select(func.count()).select_from(Household)) == 0


def test_wrong_and_missing_columns_are_refused_before_any_row(territory: Session, tmp_path: Path) -> None:
    path = write(tmp_path, "bad-header.csv", "code,name,kind,colour\nx,X,village,blue\n")
    assert rejected(territory, "settlements", path) == [
        (1, "colour", "unknown column; expected some of: " + ", ".join(_settlement_columns())),
        (1, "district_code", "required column is missing"),
    ]


def _settlement_columns() -> list[str]:
    from homecoming.interchange.spec import SPECS

    return list(SPECS["settlements"].file_columns)


def test_unknown_choice_and_missing_required_value(territory: Session, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "s.csv",
        "code,name,district_code,kind\nnew,New,khojavend,hamlet\n,Nameless,khojavend,village\n",
    )
    assert rejected(territory, "settlements", path) == [
        (2, "kind", "expected one of: city, town, village; got 'hamlet'"),
        (3, "code", "a value is required"),
    ]


def test_xlsx_file_imports_like_csv(territory: Session, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "origin_settlement_code", "head_name", "size", "rooms_needed", "registered_on", "synthetic"])
    import datetime as dt

    sheet.append(["H-10", "sos", "Aysel", 5, 3, dt.datetime(2024, 3, 1), True])
    path = tmp_path / "households.xlsx"
    book.save(path)
    report = import_file(territory, "households", path)
    assert (report.inserted, report.unchanged) == (1, 0)
    assert import_file(territory, "households", path).unchanged == 1


def test_export_then_import_round_trips_unchanged(territory: Session, tmp_path: Path) -> None:
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"export{suffix}"
        assert export_file(territory, "settlements", path) == 2
        report = import_file(territory, "settlements", path)
        assert (report.rows, report.unchanged) == (2, 2)


def test_unknown_table_and_file_type_are_named(territory: Session, tmp_path: Path) -> None:
    with pytest.raises(RuleViolation) as caught:
        import_file(territory, "villages", tmp_path / "settlements.csv")
    assert caught.value.code == "import.unknown_table"
    with pytest.raises(RuleViolation) as caught:
        import_file(territory, "settlements", write(tmp_path, "s.json", "{}"))
    assert caught.value.code == "import.unsupported_format"
