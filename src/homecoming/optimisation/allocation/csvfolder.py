"""The CSV folder form of a problem, as a registry office exports it.

settlements.csv (id, opens, convoy_households), housing.csv (settlement, rooms, ready, count),
households.csv (id, origin, size, rooms_needed, available, priority, accepts), params.json (format, periods,
vehicle_seats, weights). Empty `opens` means never opens, empty `convoy_households` means no limit, `accepts`
lists settlement ids separated by ';'. Every bad cell is reported with its file, row and column.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from homecoming.errors import DomainError

COLUMNS: dict[str, dict[str, str]] = {  # file -> column -> kind ("id", "int", "int?", "ids")
    "settlements.csv": {"id": "id", "opens": "int?", "convoy_households": "int?"},
    "housing.csv": {"settlement": "id", "rooms": "int", "ready": "int", "count": "int"},
    "households.csv": {
        "id": "id",
        "origin": "id",
        "size": "int",
        "rooms_needed": "int",
        "available": "int",
        "priority": "int",
        "accepts": "ids",
    },
}
OPTIONAL = {"convoy_households", "available", "priority", "accepts"}
KEYS = {"settlements.csv": "settlements", "housing.csv": "housing", "households.csv": "households"}


def _cell(kind: str, text: str) -> Any:
    text = text.strip()
    if kind == "id":
        if not text:
            raise ValueError("is empty")
        return text
    if kind == "ids":
        return [part.strip() for part in text.split(";") if part.strip()]
    if not text:
        if kind == "int?":
            return None
        raise ValueError("is empty")
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def _read_table(path: Path, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    columns = COLUMNS[path.name]
    if not path.exists():
        errors.append({"row": path.name, "column": "", "reason": "file is missing"})
        return []
    rows: list[dict[str, Any]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for name in columns:
            if name not in header and name not in OPTIONAL:
                errors.append({"row": f"{path.name}:1", "column": name, "reason": "column is missing"})
        if any(e["row"] == f"{path.name}:1" for e in errors):
            return []
        for number, raw in enumerate(reader, start=2):
            row: dict[str, Any] = {}
            for name, kind in columns.items():
                text = raw.get(name)
                if text is None:
                    continue
                if name in OPTIONAL and not text.strip() and kind != "int?":
                    continue
                try:
                    row[name] = _cell(kind, text)
                except ValueError as exc:
                    errors.append({"row": f"{path.name}:{number}", "column": name, "reason": str(exc)})
            rows.append(row)
    return rows


def read_folder(folder: Path) -> dict[str, Any]:
    """The folder as a problem document (then validated like a JSON problem)."""
    errors: list[dict[str, Any]] = []
    params_path = folder / "params.json"
    try:
        document: Any = json.loads(params_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DomainError("allocation.not_a_problem_file", f"{folder} has no params.json.") from None
    except json.JSONDecodeError as exc:
        raise DomainError("allocation.not_a_problem_file", f"{params_path} is not JSON: {exc}") from None
    if not isinstance(document, dict):
        raise DomainError("allocation.not_a_problem_file", f"{params_path} must hold a JSON object.")
    for file_name, key in KEYS.items():
        document[key] = _read_table(folder / file_name, errors)
    if errors:
        raise DomainError(
            "allocation.not_a_problem_file",
            f"{len(errors)} problems in the CSV files of {folder}",
            {"errors": errors[:200], "error_count": len(errors)},
        )
    return dict(document)


def write_folder(document: dict[str, Any], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for file_name, key in KEYS.items():
        columns = list(COLUMNS[file_name])
        with (folder / file_name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for row in document[key]:
                writer.writerow(
                    ";".join(row[c]) if isinstance(row.get(c), list) else ("" if row.get(c) is None else row[c])
                    for c in columns
                )
    params = {k: v for k, v in document.items() if k not in KEYS.values()}
    (folder / "params.json").write_text(json.dumps(params, indent=2), encoding="utf-8")
