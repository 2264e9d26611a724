"""Reading and writing tables as CSV (UTF-8, a header row) or XLSX (the first sheet, a header row)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from homecoming.errors import RuleViolation

FORMATS = (".csv", ".xlsx")


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise RuleViolation(
            "import.unsupported_format",
            f"{path.name}: unsupported file type {suffix or '(none)'}; use .csv or .xlsx",
            {"file": str(path)},
        )
    return suffix


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header and the data rows, each with its row number as a spreadsheet shows it (header = 1)."""
    if not path.is_file():
        raise RuleViolation("import.file_not_found", f"no such file: {path}", {"file": str(path)})
    if file_format(path) == ".csv":
        return _read_csv(path)
    return _read_xlsx(path)


def _read_csv(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    handle = path.open(newline="", encoding="utf-8-sig")
    reader = csv.reader(handle)
    header = [h.strip() for h in next(reader, [])]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        with handle:
            for number, values in enumerate(reader, start=2):
                if any(v.strip() for v in values):
                    yield number, values

    return header, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    book = load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(values, ())]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, row in enumerate(values, start=2):
                cells = ["" if v is None else v for v in row]
                if any(str(v).strip() for v in cells):
                    yield number, cells
        finally:
            book.close()

    return header, rows()


def write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    if file_format(path) == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
        return count
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="data")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
        count += 1
    book.save(path)
    return count
