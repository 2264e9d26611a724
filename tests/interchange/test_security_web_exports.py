"""Issue 16, item 10: a household named `=HYPERLINK(...)` was written as a live formula to XLSX and a raw `=` cell
to CSV, and a control character already stored made `homecoming export households x.xlsx` crash. Every
spreadsheet export now writes formula-like text as text and replaces control characters; numbers stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from test_import import DISTRICTS, REGIONS, SETTLEMENTS, write

from cli_support import run
from homecoming.audit import service as audit
from homecoming.audit.models import AuditEntry
from homecoming.db import session as db_session
from homecoming.households.models import Household
from homecoming.interchange.importer import import_file
from homecoming.interchange.spreadsheet import read_cell, safe_cell
from homecoming.territory.models import Settlement

FORMULA = '=HYPERLINK("http://x","y")'


def _household(session: Session, code: str, head_name: str) -> None:
    """Straight into the database, past the input rules, as data stored before them would be."""
    sos = session.scalars(select(Settlement.id).where(Settlement.code == "sos")).one()
    session.add(Household(code=code, origin_settlement_id=sos, head_name=head_name, size=4, rooms_needed=2,
                          registered_on=dt.date(2024, 1, 1), current_address="+994 street"))  # fmt: skip
    session.commit()


def _cells(path: Path) -> dict[str, list[object]]:
    """Household code -> its row, as a spreadsheet program would read the file (no apostrophe taken off)."""
    if path.suffix == ".csv":
        rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    else:
        sheet = load_workbook(path).worksheets[0]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # no formula anywhere
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = [str(h) for h in rows[0]]
    return {str(row[0]): dict(zip(header, row, strict=True)) for row in rows[1:]}  # type: ignore[misc]


def test_an_exported_formula_stays_text_and_a_control_character_does_not_crash(
    cli_database: str, tmp_path: Path
) -> None:
    engine = db_session.get_engine()
    control = "\x00" if make_url(cli_database).get_backend_name() == "sqlite" else "\x1b"  # PostgreSQL holds no NUL
    with Session(engine) as session:
        for table, text in (("regions", REGIONS), ("districts", DISTRICTS), ("settlements", SETTLEMENTS)):
            import_file(session, table, write(tmp_path, f"{table}.csv", text))
        session.commit()
        _household(session, "hh-formula", FORMULA)
        for suffix in (".csv", ".xlsx"):  # the mark comes off when a file is read back: an export re-imports as is
            run("export", "households", str(tmp_path / f"before{suffix}"))
            report = import_file(session, "households", tmp_path / f"before{suffix}")
            assert (report.rows, report.unchanged) == (1, 1)
        _household(session, "hh-control", f"Ali{control}yev\x07")
    for suffix in (".csv", ".xlsx"):
        path = tmp_path / f"households{suffix}"
        assert "households: 2 rows written" in run("export", "households", str(path))
        rows = _cells(path)
        assert rows["hh-formula"]["head_name"] == "'" + FORMULA
        assert rows["hh-formula"]["current_address"] == "'+994 street"
        assert rows["hh-control"]["head_name"] == "Ali\ufffdyev\ufffd"
        assert rows["hh-formula"]["size"] == (4 if suffix == ".xlsx" else "4")  # a number stays a number


def test_the_audit_export_writes_a_typed_comment_as_text(session: Session) -> None:
    entry = AuditEntry(at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC), username="clerk", action="update",
                       table_name="households", record_code="hh-1", comment="@SUM(1+1)*cmd|' /C calc'!A0")  # fmt: skip
    line = list(csv.reader(audit.to_csv([entry]).splitlines()))[1]
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in line


def test_one_rule_for_every_cell() -> None:
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "\rx", "a=b", "", None, -5, 2.5)] == [
        "'=1+1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "a=b", "", None, -5, 2.5,
    ]  # fmt: skip
    assert safe_cell("a\x00b\nc") == "a\ufffdb\nc"
    assert [read_cell(safe_cell(v)) for v in ("=1+1", "'quoted", "-x")] == ["=1+1", "'quoted", "-x"]
