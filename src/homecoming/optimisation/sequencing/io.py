"""Problem and solution files: our JSON (checked against the shipped JSON Schema) and PSPLIB single-mode files.

PSPLIB is read by hand because no maintained Python package reads both the `.sm` and the Patterson layout
(the one in ../shared/benchmarks/psplib); both are short fixed layouts.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources as package_files
from pathlib import Path
from typing import Any

import jsonschema

from homecoming.errors import RuleViolation
from homecoming.optimisation.sequencing.model import (
    CalendarWindow,
    Goal,
    Problem,
    Resource,
    Result,
    Task,
    validate,
)

PROBLEM_FORMAT = "homecoming-sequencing/1"
SOLUTION_FORMAT = "homecoming-sequencing-solution/1"


@cache
def schema(name: str) -> dict[str, Any]:
    """`problem` or `solution`: the JSON Schema shipped inside the package."""
    text = package_files.files("homecoming.optimisation.sequencing").joinpath(f"schema/{name}.schema.json")
    loaded: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return loaded


def read_problem(path: Path) -> Problem:
    """Read our JSON, a PSPLIB `.sm` file or a Patterson file, whichever the content is; then validate it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleViolation("sequencing.unreadable_file", f"cannot read {path}: {exc.strerror}", {}) from None
    text = raw.decode("utf-8") if raw[:1] in (b"{", b" ", b"\n") else raw.decode("latin-1")
    return parse_problem(text, path.stem)


def parse_problem(text: str, name: str = "problem") -> Problem:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        problem = problem_from_dict(_load_json(text, "problem"))
    elif "PRECEDENCE RELATIONS" in text and "REQUESTS/DURATIONS" in text:
        problem = parse_sm(text, name)
    elif _looks_like_patterson(stripped):
        problem = parse_patterson(text, name)
    else:
        raise RuleViolation(
            "sequencing.not_a_problem_file",
            "this is neither a homecoming-sequencing/1 JSON file nor a PSPLIB (.sm or Patterson) file",
            {},
        )
    validate(problem)
    return problem


def _load_json(text: str, kind: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RuleViolation(
            "sequencing.invalid_file", f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", {}
        ) from None
    expected = PROBLEM_FORMAT if kind == "problem" else SOLUTION_FORMAT
    if not isinstance(data, dict) or data.get("format") != expected:
        raise RuleViolation(
            "sequencing.not_a_problem_file" if kind == "problem" else "sequencing.not_a_solution_file",
            f'the JSON has no "format": "{expected}"',
            {},
        )
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema(kind)).iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise RuleViolation(
            "sequencing.invalid_file", f"{where}: {error.message}", {"field": where, "reason": error.message}
        )
    return data


def problem_from_dict(data: dict[str, Any]) -> Problem:
    return Problem(
        name=data["name"],
        periods=data["periods"],
        resources=tuple(
            Resource(
                id=r["id"],
                capacity=r["capacity"],
                calendar=tuple(CalendarWindow(w["from"], w["to"], w["capacity"]) for w in r.get("calendar", [])),
            )
            for r in data["resources"]
        ),
        tasks=tuple(
            Task(
                id=t["id"],
                duration=t["duration"],
                demand=dict(t.get("demand", {})),
                successors=tuple(t.get("successors", [])),
            )
            for t in data["tasks"]
        ),
        goals=tuple(Goal(id=g["id"], weight=g["weight"], requires=tuple(g["requires"])) for g in data["goals"]),
    )


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    resources: list[dict[str, Any]] = []
    for r in problem.resources:
        item: dict[str, Any] = {"id": r.id, "capacity": r.capacity}
        if r.calendar:
            item["calendar"] = [{"from": w.start, "to": w.end, "capacity": w.capacity} for w in r.calendar]
        resources.append(item)
    return {
        "format": PROBLEM_FORMAT,
        "name": problem.name,
        "periods": problem.periods,
        "resources": resources,
        "tasks": [
            {"id": t.id, "duration": t.duration, "demand": dict(t.demand), "successors": list(t.successors)}
            for t in problem.tasks
        ],
        "goals": [{"id": g.id, "weight": g.weight, "requires": list(g.requires)} for g in problem.goals],
    }


def write_problem(problem: Problem, path: Path) -> None:
    path.write_text(json.dumps(problem_to_dict(problem), indent=1) + "\n", encoding="utf-8")


def result_to_dict(result: Result) -> dict[str, Any]:
    return {
        "format": SOLUTION_FORMAT,
        "problem": result.problem,
        "status": result.status,
        "objective": result.objective,
        "lower_bound": result.lower_bound,
        "starts": dict(result.starts),
        "goals": dict(result.goals),
        "seconds": round(result.seconds, 3),
    }


def write_solution(result: Result, path: Path) -> None:
    path.write_text(json.dumps(result_to_dict(result), indent=1) + "\n", encoding="utf-8")


def read_solution(path: Path) -> Result:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleViolation("sequencing.unreadable_file", f"cannot read {path}: {exc.strerror}", {}) from None
    data = _load_json(text, "solution")
    return Result(
        problem=data["problem"],
        status=data["status"],
        objective=data["objective"],
        lower_bound=data["lower_bound"],
        starts=data["starts"],
        goals=data["goals"],
        seconds=float(data["seconds"]),
    )


def _makespan_problem(name: str, capacities: list[int], jobs: list[tuple[int, list[int], list[int]]]) -> Problem:
    """PSPLIB as our problem: job k is task "k", resources "R1".., one goal `makespan` requiring every task."""
    resources = tuple(Resource(id=f"R{k + 1}", capacity=c) for k, c in enumerate(capacities))
    tasks = tuple(
        Task(
            id=str(j + 1),
            duration=duration,
            demand={f"R{k + 1}": d for k, d in enumerate(demands) if d},
            successors=tuple(str(s) for s in successors),
        )
        for j, (duration, demands, successors) in enumerate(jobs)
    )
    horizon = sum(duration for duration, _, _ in jobs)
    return Problem(name, horizon, resources, tasks, (Goal("makespan", 1, tuple(t.id for t in tasks)),))


def _bad_psplib(reason: str) -> RuleViolation:
    return RuleViolation("sequencing.bad_psplib", f"PSPLIB file: {reason}", {"reason": reason})


def _looks_like_patterson(text: str) -> bool:
    first = text.splitlines()[0].split() if text else []
    return len(first) == 2 and all(tok.isdigit() for tok in first)


def parse_patterson(text: str, name: str) -> Problem:
    """Patterson layout: `jobs resources`, the capacities, then per job `duration demands... nsucc succ...`."""
    try:
        numbers = [int(tok) for tok in text.split()]
    except ValueError:
        raise _bad_psplib("the Patterson layout holds only whole numbers") from None
    try:
        n_jobs, n_res = numbers[0], numbers[1]
        pos = 2 + n_res
        capacities = numbers[2:pos]
        jobs: list[tuple[int, list[int], list[int]]] = []
        for _ in range(n_jobs):
            duration, demands = numbers[pos], numbers[pos + 1 : pos + 1 + n_res]
            n_succ = numbers[pos + 1 + n_res]
            start = pos + 2 + n_res
            jobs.append((duration, demands, numbers[start : start + n_succ]))
            if len(jobs[-1][2]) < n_succ:
                raise IndexError
            pos = start + n_succ
    except IndexError:
        raise _bad_psplib(f"the file ends before its {numbers[0]} jobs are all listed") from None
    return _makespan_problem(name, capacities, jobs)


def _section(text: str, title: str) -> list[list[int]]:
    """The rows of whole numbers of one `.sm` section (the lines between its title and the next ****** rule)."""
    match = re.search(re.escape(title) + r"[^\n]*\n(.*?)(?:\n\*{10,}|\Z)", text, re.S)
    if match is None:
        raise _bad_psplib(f"no {title} section")
    rows = []
    for line in match.group(1).splitlines():
        tokens = line.split()
        if tokens and all(tok.isdigit() for tok in tokens):
            rows.append([int(tok) for tok in tokens])
    return rows


def parse_sm(text: str, name: str) -> Problem:
    """PSPLIB `.sm` single-mode file (the modes column must be 1 everywhere)."""
    precedence = _section(text, "PRECEDENCE RELATIONS:")
    requests = _section(text, "REQUESTS/DURATIONS:")
    availability = _section(text, "RESOURCEAVAILABILITIES:")
    if not availability or len(precedence) != len(requests) or not precedence:
        raise _bad_psplib("the precedence and request sections list different jobs")
    if any(row[1] != 1 for row in precedence):
        raise _bad_psplib("only single-mode (.sm) instances are supported")
    durations = {row[0]: (row[2], row[3:]) for row in requests}
    jobs = []
    for row in precedence:
        if row[0] not in durations:
            raise _bad_psplib(f"job {row[0]} has no duration")
        duration, demands = durations[row[0]]
        jobs.append((duration, demands, row[3 : 3 + row[2]]))
    return _makespan_problem(name, availability[0], jobs)
