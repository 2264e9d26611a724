"""Reading and writing tables as CSV (UTF-8, a header row) or XLSX (the first sheet, a header row); reading a table
with an outline column from a GeoJSON FeatureCollection too (homecoming.interchange.geojson)."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from homecoming.errors import RuleViolation
from homecoming.interchange import geojson
from homecoming.interchange.spreadsheet import read_cell, safe_row

FORMATS = (".csv", ".xlsx", geojson.SUFFIX)
WRITTEN_FORMATS = (".csv", ".xlsx")
MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024  # what a workbook may unpack to (a zip bomb is refused unread)
NOT_A_WORKBOOK = "not an .xlsx workbook (it is not a ZIP archive); save it again as .xlsx or .csv"
# What a damaged or hostile workbook raises while openpyxl reads it (XML parse errors are SyntaxErrors).
XLSX_ERRORS = (InvalidFileException, zipfile.BadZipFile, zlib.error, KeyError, IndexError, ValueError, TypeError,
               SyntaxError, OSError, EOFError)  # fmt: skip


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise RuleViolation(
            "import.unsupported_format",
            f"{path.name}: unsupported file type {suffix or '(none)'}; use .csv, .xlsx or (for outlines) .geojson",
            {"file": str(path)},
        )
    return suffix


Rows = tuple[list[str], Iterator[tuple[int, list[Any]]]]


@dataclass(frozen=True)
class Outline:
    """Where a GeoJSON file's geometries go: the table's outline column (None: it has none), and the tables that
    have one (to name in the refusal)."""

    column: str | None = None
    tables: tuple[str, ...] = ()


def read_rows(path: Path, outline: Outline = Outline()) -> Rows:
    """The header and the data rows, each with its row number as a spreadsheet shows it (header = 1)."""
    if not path.is_file():
        raise RuleViolation("import.file_not_found", f"no such file: {path}", {"file": str(path)})
    suffix = file_format(path)
    if suffix == ".csv":
        return _read_csv(path.open(newline="", encoding="utf-8-sig"), path.name)
    if suffix == geojson.SUFFIX:
        return _read_geojson(path.read_bytes(), path.name, outline)
    return _read_xlsx(path, path.name)


def read_content(name: str, content: bytes, outline: Outline = Outline()) -> Rows:
    """As `read_rows`, from a file's bytes (an upload kept in the database); `name` gives its type."""
    suffix = file_format(Path(name))
    if suffix == ".csv":
        return _read_csv(io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline=""), name)
    if suffix == geojson.SUFFIX:
        return _read_geojson(content, name, outline)
    return _read_xlsx(io.BytesIO(content), name)


def _read_geojson(content: bytes, name: str, outline: Outline) -> Rows:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise bad_file(name, f"not UTF-8 text (byte {exc.start:,})") from None
    return geojson.read_features(text, name, outline.column, list(outline.tables))


def bad_file(name: str, problem: str) -> RuleViolation:
    return RuleViolation("import.bad_file", f"{name}: {problem}; nothing was imported", {"file": name})


def _read_csv(handle: TextIO, name: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    reader = csv.reader(handle)
    try:
        header = [h.strip() for h in next(reader, [])]
    except (csv.Error, UnicodeDecodeError) as exc:
        handle.close()
        raise bad_file(name, f"row 1 cannot be read as UTF-8 CSV ({exc})") from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        with handle:
            try:
                for number, values in enumerate(reader, start=2):
                    if any(v.strip() for v in values):
                        yield number, [read_cell(v) for v in values]
            except (csv.Error, UnicodeDecodeError) as exc:
                raise bad_file(name, f"after row {number}, the file cannot be read as UTF-8 CSV ({exc})") from None

    return header, rows()


def check_workbook(source: Path | BinaryIO, name: str) -> None:
    """Refuse what is not a ZIP archive, or unpacks to more than MAX_XLSX_UNPACKED_BYTES (a zip bomb), unread.

    The sizes are those the archive declares; Python's zipfile never unpacks more than the declared size of a member
    (and checks its CRC), so a lying archive cannot unpack more either.
    """
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise bad_file(name, NOT_A_WORKBOOK) from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise RuleViolation(
            "import.file_too_large",
            f"{name} unpacks to {unpacked:,} bytes; a workbook may unpack to {MAX_XLSX_UNPACKED_BYTES:,} bytes at "
            "most: split it, or save it as .csv",
            {"file": name, "unpacked_bytes": unpacked, "max_unpacked_bytes": MAX_XLSX_UNPACKED_BYTES},
        )


def _read_xlsx(source: Path | BinaryIO, name: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    check_workbook(source, name)
    if not isinstance(source, Path):
        source.seek(0)
    try:
        book = load_workbook(source, read_only=True, data_only=True)
        values = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(values, ())]
    except XLSX_ERRORS as exc:
        raise bad_file(name, f"not a readable .xlsx workbook ({type(exc).__name__})") from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        try:
            for number, row in enumerate(values, start=2):
                cells = ["" if v is None else read_cell(v) for v in row]
                if any(str(v).strip() for v in cells):
                    yield number, cells
        except XLSX_ERRORS as exc:
            raise bad_file(name, f"after row {number}, the workbook cannot be read ({type(exc).__name__})") from None
        finally:
            book.close()

    return header, rows()


def write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Every exported spreadsheet is written here, each cell through `spreadsheet.safe_cell` (no live formulas)."""
    if file_format(path) not in WRITTEN_FORMATS:
        raise RuleViolation(
            "export.unsupported_format", f"{path.name}: a table is written as .csv or .xlsx", {"file": str(path)}
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    if file_format(path) == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(safe_row(header))
            for row in rows:
                writer.writerow(safe_row(row))
                count += 1
        return count
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="data")
    sheet.append(safe_row(header))
    for row in rows:
        sheet.append(safe_row(row))
        count += 1
    book.save(path)
    return count
