"""Exporting a registry table in the same shape the importer reads, so an export re-imports unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.interchange.cells import to_cell
from homecoming.interchange.files import file_format, write_rows
from homecoming.interchange.importer import codes, spec_for


def export_file(session: Session, table_name: str, path: Path) -> int:
    """Write every row of the table to `path` (.csv or .xlsx); returns the number of rows written."""
    spec = spec_for(table_name)
    file_format(path)
    table = spec.table
    code_of = {
        ref.table_column: {id_: code for code, id_ in codes(session, ref.target_table).items()}
        for ref in spec.references.values()
    }
    order = [table.c[c] for c in spec.natural_key]
    query = select(*[table.c[c.name] for c in spec.columns]).order_by(*order)

    def rows() -> Iterator[list[Any]]:
        for row in session.execute(query):
            values = []
            for column, value in zip(spec.columns, row, strict=True):
                if column.name in code_of and value is not None:
                    value = code_of[column.name][value]
                values.append(to_cell(value))
            yield values

    return write_rows(path, spec.file_columns, rows())
