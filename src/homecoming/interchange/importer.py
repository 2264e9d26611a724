"""Importing a registry table from a file: every row checked first, then written all at once or not at all.

Import is an upsert on the table's natural key, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column, bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from homecoming import input_rules
from homecoming.errors import RuleViolation
from homecoming.interchange.cells import Converter, converter_for
from homecoming.interchange.files import Outline, read_rows
from homecoming.interchange.spec import OUTLINED_TABLES, SPECS, TableSpec
from homecoming.territory import scope

MAX_LISTED_ERRORS = 1000
Progress = Callable[[int], None]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


@dataclass(frozen=True)
class ImportReport:
    table: str
    rows: int
    inserted: int
    updated: int
    unchanged: int


class ImportRejected(RuleViolation):
    def __init__(self, table: str, source: str, errors: list[RowError]) -> None:
        listed = errors[:MAX_LISTED_ERRORS]
        super().__init__(
            "import.rejected",
            f"{source}: {len(errors)} problem(s) found, nothing was imported into {table}; first: {errors[0]}",
            {
                "table": table,
                "file": source,
                "error_count": len(errors),
                "errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in listed],
            },
        )
        self.errors = errors


def spec_for(table_name: str) -> TableSpec:
    if table_name not in SPECS:
        raise RuleViolation(
            "import.unknown_table",
            f"unknown table {table_name!r}; choose one of: {', '.join(SPECS)}",
            {"table": table_name},
        )
    return SPECS[table_name]


def outline_of(spec: TableSpec) -> Outline:
    """Where a GeoJSON file's geometries go in this table."""
    return Outline(spec.geometry_column, OUTLINED_TABLES)


def import_file(session: Session, table_name: str, path: Path, progress: Progress | None = None) -> ImportReport:
    spec = spec_for(table_name)
    header, rows = read_rows(path, outline_of(spec))
    return import_rows(session, spec, header, rows, source=path.name, progress=progress)


def import_rows(
    session: Session,
    spec: TableSpec,
    header: list[str],
    rows: Iterable[tuple[int, list[Any]]],
    *,
    source: str,
    progress: Progress | None = None,
    writing: Progress | None = None,
) -> ImportReport:
    """Check every row, then upsert them; raises ImportRejected listing every bad row, writing nothing.

    `progress` hears every 10,000 rows checked; `writing` hears how many rows are good once all are, before any
    is written."""
    errors = _check_header(spec, header)
    if errors:
        raise ImportRejected(spec.name, source, errors)
    records, errors = _parse(session, spec, header, rows, progress)
    if errors:
        raise ImportRejected(spec.name, source, errors)
    if writing is not None:
        writing(len(records))
    present = [c.name for c in spec.columns if spec.file_column(c) in header]
    return _upsert(session, spec, present, records)


def _check_header(spec: TableSpec, header: list[str]) -> list[RowError]:
    errors: list[RowError] = []
    known = set(spec.file_columns)
    seen: set[str] = set()
    for name in header:
        if name not in known:
            expected = ", ".join(spec.file_columns)
            errors.append(RowError(1, name or "(blank)", f"unknown column; expected some of: {expected}"))
        elif name in seen:
            errors.append(RowError(1, name, "column appears twice"))
        seen.add(name)
    for name in spec.required_file_columns():
        if name not in seen:
            errors.append(RowError(1, name, "required column is missing"))
    return errors


def _parse(
    session: Session,
    spec: TableSpec,
    header: list[str],
    rows: Iterable[tuple[int, list[Any]]],
    progress: Progress | None,
) -> tuple[list[dict[str, Any]], list[RowError]]:
    by_file_name = {spec.file_column(c): c for c in spec.columns}
    fields = [(i, name, by_file_name[name], _converter(spec, by_file_name[name])) for i, name in enumerate(header)]
    code_ids = {ref.table_column: codes(session, ref.target_table) for ref in spec.references.values()}
    required = {c.name for c in spec.columns if not c.nullable and c.default is None}
    defaults = _defaults(spec)
    first_row_of: dict[tuple[Any, ...], int] = {}
    records: list[dict[str, Any]] = []
    errors: list[RowError] = []
    for count, (number, values) in enumerate(rows, start=1):
        record: dict[str, Any] = {}
        row_errors: list[RowError] = []
        for index, name, column, convert in fields:
            raw = values[index] if index < len(values) else ""
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if column.name in required:
                    row_errors.append(RowError(number, name, "a value is required"))
                record[column.name] = defaults.get(column.name)
                continue
            try:
                value = input_rules.check_field(column.name, convert(raw))  # the API's rules, refused as a row error
            except ValueError as exc:
                row_errors.append(RowError(number, name, str(exc)))
                continue
            if column.name in code_ids:
                target = code_ids[column.name].get(value)
                if target is None:
                    row_errors.append(RowError(number, name, f"unknown {name.removesuffix('_code')} code {value!r}"))
                    continue
                value = target
            record[column.name] = value
        if not row_errors:
            row_errors = _check_record(spec, number, record, first_row_of) + _check_place(session, spec, number, record)
        if row_errors:
            errors.extend(row_errors)
        else:
            records.append(record)
        if progress is not None and count % 10_000 == 0:
            progress(count)
    return records, errors


def _converter(spec: TableSpec, column: Column[Any]) -> Converter:
    if column.name in spec.references:
        return lambda value: str(value).strip()  # a code, resolved to an id once the row is read
    return converter_for(column)


def _check_record(
    spec: TableSpec, number: int, record: dict[str, Any], first_row_of: dict[tuple[Any, ...], int]
) -> list[RowError]:
    errors = []
    for check in spec.row_checks:
        problem = check(record)
        if problem is not None:
            errors.append(RowError(number, problem[0], problem[1]))
    key = tuple(record.get(c) for c in spec.natural_key)
    if key in first_row_of:
        names = ", ".join(spec.file_name(c) for c in spec.natural_key)
        errors.append(RowError(number, names, f"duplicate {names} (first on row {first_row_of[key]})"))
    else:
        first_row_of[key] = number
    return errors


def _check_place(session: Session, spec: TableSpec, number: int, record: dict[str, Any]) -> list[RowError]:
    """The row's settlement lies in the row's district (the same rule as every other write, homecoming.territory)."""
    if spec.place is None:
        return []
    district, settlement = spec.place
    fields = spec.file_name(district), spec.file_name(settlement)
    try:
        scope.check_place(session, scope.Place(record.get(district), record.get(settlement), *fields))
    except RuleViolation as exc:
        return [RowError(number, fields[1], exc.message)]
    return []


def codes(session: Session, table_name: str) -> dict[str, int]:
    """Stable code -> surrogate id for every row of a table."""
    table = SPECS[table_name].table
    return {code: id_ for code, id_ in session.execute(select(table.c.code, table.c.id))}


def _defaults(spec: TableSpec) -> dict[str, Any]:
    return {c.name: c.default.arg for c in spec.columns if isinstance(c.default, ScalarElementColumnDefault)}


def _upsert(session: Session, spec: TableSpec, present: list[str], records: list[dict[str, Any]]) -> ImportReport:
    """Insert new rows, update changed ones; a column the file does not carry is left as it is."""
    table = spec.table
    has_id = "id" in table.c
    defaults = _defaults(spec)
    absent = {c.name: defaults.get(c.name) for c in spec.columns if c.name not in present}
    selected = [table.c[c] for c in present] + ([table.c.id] if has_id else [])
    existing = {
        tuple(row._mapping[c] for c in spec.natural_key): row._mapping for row in session.execute(select(*selected))
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for record in records:
        current = existing.get(tuple(record[c] for c in spec.natural_key))
        if current is None:
            inserts.append({**absent, **record})
        elif any(current[c] != record[c] for c in present):
            updates.append({**record, "b_id": current["id"]})
    if inserts:
        session.execute(table.insert(), inserts)
    if updates and has_id:
        update = table.update().where(table.c.id == bindparam("b_id"))
        if "version" in table.c:  # an edit opened before the import must see it as a change (optimistic locking)
            update = update.values(version=table.c.version + 1)
        session.execute(update, updates)
    session.flush()
    unchanged = len(records) - len(inserts) - len(updates)
    return ImportReport(spec.name, len(records), len(inserts), len(updates), unchanged)
