"""Reading problems (one JSON file, or a folder of CSV files) and writing solutions.

Validation of a JSON problem happens in two steps, because jsonschema checks every array item with the full
machinery of the spec (about 30 microseconds an item: 10 s for a national registry of 350,000 households):
the document is validated against the shipped schema with its three long arrays cut to their first items,
which catches any structural mistake with jsonschema's own message, then every row is checked by a typed
pass generated from the same schema's item definitions (`_ROW_FIELDS`), which reports each bad row by index.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from homecoming.errors import DomainError
from homecoming.optimisation.allocation.model import (
    PROBLEM_FORMAT,
    SOLUTION_FORMAT,
    Convoy,
    Household,
    HousingBatch,
    Placement,
    Problem,
    Result,
    Settlement,
    Weights,
)

SAMPLE_ROWS = 50
MAX_ERRORS = 200
ARRAYS = ("settlements", "housing", "households")
CSV_FILES = {"settlements": "settlements.csv", "housing": "housing.csv", "households": "households.csv"}


@cache
def schema(name: str) -> dict[str, Any]:
    text = resources.files("homecoming.optimisation.allocation").joinpath(f"schema/{name}.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _row_fields(kind: str) -> dict[str, tuple[str, bool]]:
    """Field -> (JSON type, required) for one array's items, read from the problem schema."""
    definition = schema("problem")["$defs"][{"settlements": "settlement", "households": "household"}.get(kind, kind)]
    fields = {}
    for name, spec in definition["properties"].items():
        kind_of = spec["type"] if isinstance(spec["type"], str) else "|".join(spec["type"])
        fields[name] = (kind_of, name in definition["required"])
    return fields


def _bad_file(message: str, errors: list[dict[str, Any]] | None = None) -> DomainError:
    details: dict[str, Any] = {}
    if errors:
        details = {"errors": errors[:MAX_ERRORS], "error_count": len(errors)}
    return DomainError("allocation.not_a_problem_file", message, details)


_TYPES: dict[str, tuple[type, ...]] = {"integer": (int,), "string": (str,), "null": (type(None),), "array": (list,)}
_MISSING = object()


@cache
def _allowed(type_name: str) -> tuple[type, ...]:
    """The exact Python types a JSON value of `type_name` ("integer|null", ...) parses to (a bool is no integer)."""
    return tuple(t for k in type_name.split("|") for t in _TYPES[k])


def _value_error(value: Any, allowed: tuple[type, ...]) -> bool:
    if type(value) not in allowed:
        return True
    return type(value) is list and not all(type(x) is str for x in value)


def _rows_fine(rows: list[Any], fields: dict[str, tuple[str, bool]]) -> bool:
    """The common case at a glance: every row an object of known fields, each column of allowed types (a few
    comprehensions a column, where the row-by-row pass below, which names each bad row, is five times slower)."""
    if any(type(r) is not dict or not r.keys() <= fields.keys() for r in rows):
        return False
    for name, (type_name, required) in fields.items():
        allowed = set(_allowed(type_name)) | (set() if required else {object})  # object: the field is absent
        if not {type(r.get(name, _MISSING)) for r in rows} <= allowed:
            return False
        if list in allowed and not all(type(x) is str for r in rows for x in (r.get(name) or ())):
            return False
    return True


def _check_rows(document: dict[str, Any]) -> None:
    """Every row's fields against the schema's item definitions, by exact type (a general per-value check took 20 s
    at 350,000 households)."""
    errors: list[dict[str, Any]] = []
    for kind in ARRAYS:
        fields = _row_fields(kind)
        if _rows_fine(document[kind], fields):
            continue
        checks = [(name, type_name, _allowed(type_name), required) for name, (type_name, required) in fields.items()]
        for i, row in enumerate(document[kind]):
            if type(row) is not dict:
                errors.append({"row": f"{kind}[{i}]", "column": "", "reason": "is not an object"})
                continue
            for name, type_name, allowed, required in checks:
                value = row.get(name, _MISSING)
                if value is _MISSING:
                    if required:
                        errors.append({"row": f"{kind}[{i}]", "column": name, "reason": "is missing"})
                elif _value_error(value, allowed):
                    errors.append({"row": f"{kind}[{i}]", "column": name, "reason": f"must be {type_name}"})
            if not row.keys() <= fields.keys():
                for name in sorted(row.keys() - fields.keys()):
                    errors.append({"row": f"{kind}[{i}]", "column": name, "reason": "is not a known field"})
    if errors:
        raise _bad_file(f"{len(errors)} problems in the rows of the allocation problem", errors)


def problem_from_dict(document: Any) -> Problem:
    """Validate a parsed JSON document (schema, then typed rows) and build the Problem."""
    if not isinstance(document, dict) or document.get("format") != PROBLEM_FORMAT:
        raise _bad_file(f"This is not an allocation problem: its 'format' must be {PROBLEM_FORMAT!r}.")
    sample = {k: (v[:SAMPLE_ROWS] if k in ARRAYS and isinstance(v, list) else v) for k, v in document.items()}
    try:
        jsonschema.validate(sample, schema("problem"))
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise _bad_file(f"The allocation problem does not follow its schema at {where}: {exc.message}") from None
    _check_rows(document)
    return _build(document)


def _build(document: dict[str, Any]) -> Problem:
    w = document.get("weights", {})
    defaults = Weights()
    weights = Weights(
        wait=w.get("wait", defaults.wait),
        not_origin=w.get("not_origin", defaults.not_origin),
        extra_room=w.get("extra_room", defaults.extra_room),
        unplaced=w.get("unplaced", defaults.unplaced),
    )
    return Problem(
        periods=document["periods"],
        settlements=tuple(Settlement(s["id"], s["opens"], s.get("convoy_households")) for s in document["settlements"]),
        housing=tuple(HousingBatch(b["settlement"], b["rooms"], b["ready"], b["count"]) for b in document["housing"]),
        households=tuple(
            Household(
                h["id"],
                h["origin"],
                h["size"],
                h["rooms_needed"],
                h.get("available", 0),
                h.get("priority", 0),
                tuple(h.get("accepts", ())),
            )
            for h in document["households"]
        ),
        vehicle_seats=document["vehicle_seats"],
        weights=weights,
    )


def load_problem(path: Path) -> Problem:
    """A problem from a JSON file or from a folder of CSV files (see docs/formats.md)."""
    if path.is_dir():
        from homecoming.optimisation.allocation.csvfolder import read_folder

        return problem_from_dict(read_folder(path))
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DomainError("allocation.not_a_problem_file", f"{path} does not exist.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _bad_file(f"{path} is not a JSON file: {exc}") from None
    return problem_from_dict(document)


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    w = problem.weights
    return {
        "format": PROBLEM_FORMAT,
        "periods": problem.periods,
        "settlements": [
            {"id": s.id, "opens": s.opens, "convoy_households": s.convoy_households} for s in problem.settlements
        ],
        "housing": [
            {"settlement": b.settlement, "rooms": b.rooms, "ready": b.ready, "count": b.count} for b in problem.housing
        ],
        "households": [
            {
                "id": h.id,
                "origin": h.origin,
                "size": h.size,
                "rooms_needed": h.rooms_needed,
                "available": h.available,
                "priority": h.priority,
                "accepts": list(h.accepts),
            }
            for h in problem.households
        ],
        "vehicle_seats": problem.vehicle_seats,
        "weights": {"wait": w.wait, "not_origin": w.not_origin, "extra_room": w.extra_room, "unplaced": w.unplaced},
    }


def write_problem(problem: Problem, path: Path) -> None:
    """A JSON file when `path` ends in .json, otherwise a folder of CSV files."""
    if path.suffix == ".json":
        path.write_text(json.dumps(problem_to_dict(problem), separators=(",", ":")), encoding="utf-8")
        return
    from homecoming.optimisation.allocation.csvfolder import write_folder

    write_folder(problem_to_dict(problem), path)


def solution_to_dict(result: Result) -> dict[str, Any]:
    return {
        "format": SOLUTION_FORMAT,
        "status": result.status,
        "objective": result.objective,
        "lower_bound": result.lower_bound,
        "placements": [
            {
                "household": p.household,
                "settlement": p.settlement,
                "rooms": p.rooms,
                "ready": p.ready,
                "period": p.period,
            }
            for p in result.placements
        ],
        "unplaced": list(result.unplaced),
        "convoys": [
            {
                "settlement": c.settlement,
                "period": c.period,
                "vehicles": c.vehicles,
                "households": list(c.households),
                "people": c.people,
                "loads": [list(load) for load in c.loads],
            }
            for c in result.convoys
        ],
        "seconds": result.seconds,
    }


def write_solution(result: Result, path: Path) -> None:
    # json.dumps, not json.dump: only a one-shot encode uses the C encoder (350,000 households: 0.8 s of CPU
    # against 2.7 s)
    path.write_text(json.dumps(solution_to_dict(result), separators=(",", ":")), encoding="utf-8")


def load_solution(path: Path) -> Result:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DomainError("allocation.not_a_solution_file", f"{path} cannot be read as JSON: {exc}") from None
    return solution_from_dict(document, str(path))


def solution_from_dict(document: Any, path: str = "solution") -> Result:
    """A solution document (as `solution_to_dict` writes it) back as a Result; `path` names it in errors."""
    if not isinstance(document, dict) or document.get("format") != SOLUTION_FORMAT:
        raise DomainError("allocation.not_a_solution_file", f"{path}: 'format' must be {SOLUTION_FORMAT!r}.")
    # The solution schema's arrays are huge too; structure is checked on a sample (see the module docstring).
    sample = {k: (v[:SAMPLE_ROWS] if isinstance(v, list) else v) for k, v in document.items()}
    try:
        jsonschema.validate(sample, schema("solution"))
    except jsonschema.ValidationError as exc:
        raise DomainError("allocation.not_a_solution_file", f"{path}: {exc.message}") from None
    try:
        return Result(
            status=document["status"],
            objective=document["objective"],
            lower_bound=document["lower_bound"],
            placements=tuple(
                Placement(p["household"], p["settlement"], p["rooms"], p["ready"], p["period"])
                for p in document["placements"]
            ),
            unplaced=tuple(document["unplaced"]),
            convoys=tuple(
                Convoy(
                    c["settlement"],
                    c["period"],
                    c["vehicles"],
                    tuple(c["households"]),
                    c["people"],
                    tuple(tuple(load) for load in c.get("loads", ())),
                )
                for c in document["convoys"]
            ),
            seconds=float(document.get("seconds", 0.0)),
        )
    except (KeyError, TypeError) as exc:
        raise DomainError("allocation.not_a_solution_file", f"{path}: a row lacks {exc}") from None
