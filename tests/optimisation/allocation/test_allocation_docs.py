"""The examples in the allocation section of docs/formats.md are valid files of their formats."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from homecoming.optimisation.allocation import io

DOC = Path(__file__).parents[3] / "docs" / "formats.md"


def examples() -> list[dict[str, object]]:
    section = DOC.read_text(encoding="utf-8").split("## Allocation problems and solutions")[1]
    blocks = [part.split("```")[0] for part in section.split("```json\n")[1:]]
    return [json.loads(block) for block in blocks]


def test_problem_example_loads() -> None:
    problem_doc = examples()[0]
    problem_doc["settlements"].append({"id": "qirmizi-bazar", "opens": 0})  # type: ignore[attr-defined]
    problem = io.problem_from_dict(problem_doc)
    assert problem.households[0].accepts == ("qirmizi-bazar",)
    assert problem.weights.not_origin == 24


def test_solution_example_follows_its_schema() -> None:
    jsonschema.validate(examples()[1], io.schema("solution"))
