"""docs/registry-files.md, written from the same specs the importer reads (a test keeps the two equal).

python -m homecoming.interchange.docs > docs/registry-files.md
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import Boolean, Column, Date, Enum, Float, Integer, Numeric

from homecoming.interchange.spec import IMPORT_ORDER, SPECS, TableSpec

PREAMBLE = """# Registry files

Every registry table can be imported from and exported to CSV (UTF-8, a header row) or XLSX (the first sheet,
a header row) with `homecoming import TABLE FILE` and `homecoming export TABLE FILE`. An export re-imports
unchanged.

Rules that hold for every table:

- Columns may come in any order; unknown columns and missing required columns reject the file before any row is read.
- A record in another table is named by its stable code (`district_code`, `origin_settlement_code`, ...), never by
  a database id; an unknown code rejects the row.
- Dates are `YYYY-MM-DD`; booleans `true`/`false` (also `yes`/`no`, `1`/`0`); empty cells are empty values.
- The API's input rules hold for every cell (`homecoming.input_rules`, docs/security.md): a `*_url` column holds an
  `http://` or `https://` address with a host (at most 500 characters); text holds no control characters (line
  breaks and tabs only in multi-line columns such as `notes`); dates lie between 1988-01-01 and 2100-12-31; numbers
  are finite and within the bounds listed below; a row's settlement lies in the row's district.
- A row is identified by its natural key (`code` where the table has one). Importing updates rows whose key exists
  and adds the others, so importing the same file twice changes nothing. Columns the file does not carry are left
  as they are.
- A file with any bad row is rejected whole: nothing is written, and every bad row is listed with its row number
  (the header is row 1), column and reason (`import.rejected`).
- Load tables in the order below: a table can only refer to records that already exist.
- A table with an outline (`districts`, `settlements`, `hazard_areas`: the column marked "outline" below) also
  imports from a GeoJSON FeatureCollection (`.geojson`, WGS84 longitude/latitude): each feature is a row, its
  properties are the columns (the same names, the same required ones), its geometry the outline, which must be a
  valid Polygon or MultiPolygon. Features are numbered as rows are: the first feature is row 2. This is how
  district boundaries reach the map; none is invented.

The table sections below are written from the importer's own specs: `python -m homecoming.interchange.docs >
docs/registry-files.md` (a test checks that this file is up to date).
"""


def _values(spec: TableSpec, column: Column[Any]) -> str:
    reference = spec.references.get(column.name)
    if reference is not None:
        return f"code of a row in `{reference.target_table}`"
    kind = column.type
    if isinstance(kind, Enum):
        return " / ".join(e.value if isinstance(e, enum.Enum) else str(e) for e in kind.enums)
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Integer | Float | Numeric):
        name = "integer" if isinstance(kind, Integer) else "number"
        bounds = [f"{op} {column.info[key]}" for key, op in (("min", ">="), ("gt", ">"), ("max", "<="))
                  if key in column.info]  # fmt: skip
        return f"{name} ({', '.join(bounds)})" if bounds else name
    if column.name == spec.geometry_column:
        return "outline: GeoJSON Polygon or MultiPolygon (the geometry of a .geojson file's feature)"
    return "json" if kind.__class__.__name__ == "JSON" else "text"


def render() -> str:
    parts = [PREAMBLE]
    for name in IMPORT_ORDER:
        spec = SPECS[name]
        required = set(spec.required_file_columns())
        rows = [f"| `{spec.file_column(c)}` | {'yes' if spec.file_column(c) in required else ''} | {_values(spec, c)} |"
                for c in spec.columns]  # fmt: skip
        key = ", ".join(spec.file_name(c) for c in spec.natural_key)
        parts.append(
            f"## {name}\n\nNatural key: {key}\n\n| column | required | values |\n|---|---|---|\n"
            + "\n".join(rows)
            + "\n"
        )
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
