"""Regenerate the table sections of docs/registry-files.md from the importer's specs (the intro is kept).

Run from the repository root: `PYTHONPATH=src python scripts/registry_docs.py` (tests/interchange/test_docs.py
checks the result). `--check` exits 1 when the file is out of date instead of writing it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Date, Enum, Float, Integer, Numeric

from homecoming.interchange.spec import IMPORT_ORDER, SPECS, TableSpec

DOC = Path(__file__).parents[1] / "docs" / "registry-files.md"


def values(spec: TableSpec, column: Column[Any]) -> str:
    ref = spec.references.get(column.name)
    if ref is not None:
        return f"code of a row in `{ref.target_table}`"
    kind = column.type
    if isinstance(kind, Enum):
        return " / ".join(kind.enums)
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Date):
        return "date"
    name = "integer" if isinstance(kind, Integer) else "number" if isinstance(kind, (Float, Numeric)) else None
    if name is None:
        return "json" if kind.__class__.__name__ == "JSON" else "text"
    bounds = [
        f"{sign} {column.info[key]}" for key, sign in (("min", ">="), ("gt", ">"), ("max", "<=")) if key in column.info
    ]
    return f"{name} ({', '.join(bounds)})" if bounds else name


def section(spec: TableSpec) -> str:
    required = set(spec.required_file_columns())
    lines = [
        f"## {spec.name}",
        "",
        f"Natural key: {', '.join(spec.file_name(c) for c in spec.natural_key)}",
        "",
        "| column | required | values |",
        "|---|---|---|",
    ]
    for column in spec.columns:
        name = spec.file_column(column)
        lines.append(f"| `{name}` | {'yes' if name in required else ''} | {values(spec, column)} |")
    return "\n".join(lines) + "\n"


def render(current: str) -> str:
    intro = current.split("\n## ")[0].rstrip("\n") + "\n"
    return intro + "".join("\n" + section(SPECS[name]) for name in IMPORT_ORDER)


def main() -> int:
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in sys.argv:
        return 0 if wanted == current else 1
    DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
