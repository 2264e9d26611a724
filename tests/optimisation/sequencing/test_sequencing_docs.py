"""The examples in docs/formats.md are valid files and the solution shown is what the solver finds."""

from __future__ import annotations

import json
import math
from pathlib import Path

from homecoming.optimisation.sequencing.io import parse_problem, schema
from homecoming.optimisation.sequencing.solve import solve

DOC = Path(__file__).parents[3] / "docs" / "formats.md"


def _examples() -> list[str]:
    section = DOC.read_text(encoding="utf-8").split("## Sequencing problems and solutions")[1]
    section = section.split("<!-- end of sequencing section -->")[0]
    return [block.split("```")[0] for block in section.split("```json\n")[1:]]


def test_documented_problem_solves_to_documented_solution() -> None:
    problem_text, solution_text = _examples()
    problem = parse_problem(problem_text)
    shown = json.loads(solution_text)
    result = solve(problem, time_limit=math.inf)
    assert (result.status, result.objective, result.lower_bound) == (shown["status"], shown["objective"], 2864)
    assert dict(result.starts) == shown["starts"] and dict(result.goals) == shown["goals"]
    assert set(shown) == set(schema("solution")["required"])
