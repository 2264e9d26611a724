"""`homecoming allocate generate | solve | check` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from homecoming.cli.main import app

runner = CliRunner()


def test_generate_solve_check(tmp_path: Path) -> None:
    problem, solution = tmp_path / "p", tmp_path / "s.json"
    made = runner.invoke(
        app,
        [
            "allocate",
            "generate",
            "--households",
            "400",
            "--settlements",
            "6",
            "--periods",
            "24",
            "--seed",
            "1",
            "--out",
            str(problem),
        ],
    )
    assert made.exit_code == 0, made.output
    assert (problem / "households.csv").exists()
    # A limit no load reaches: this tests optimality, not speed (bench/ measures speed); a solve ends once proven.
    solved = runner.invoke(app, ["allocate", "solve", str(problem), "--out", str(solution), "--time-limit", "600"])
    assert solved.exit_code == 0, solved.output
    assert "optimal" in solved.output
    document = json.loads(solution.read_text())
    assert document["format"] == "homecoming-allocation-solution/1"
    assert len(document["placements"]) + len(document["unplaced"]) == 400
    checked = runner.invoke(app, ["allocate", "check", str(problem), str(solution)])
    assert checked.exit_code == 0, checked.output
    assert f"objective {document['objective']} recomputed" in checked.output


def test_check_lists_violations_and_fails(tmp_path: Path) -> None:
    problem, solution = tmp_path / "p.json", tmp_path / "s.json"
    runner.invoke(
        app,
        ["allocate", "generate", "--households", "50", "--settlements", "2", "--periods", "10", "--out", str(problem)],
    )
    runner.invoke(app, ["allocate", "solve", str(problem), "--out", str(solution)])
    document = json.loads(solution.read_text())
    document["objective"] += 5
    document["placements"][0]["period"] = 99
    solution.write_text(json.dumps(document))
    checked = runner.invoke(app, ["allocate", "check", str(problem), str(solution)])
    assert checked.exit_code == 1
    assert "outside its window" in checked.output
    assert "objective is" in checked.output


def test_bad_problem_exits_1_with_its_code(tmp_path: Path) -> None:
    problem = tmp_path / "p.json"
    problem.write_text('{"format": "something-else"}')
    result = runner.invoke(app, ["allocate", "solve", str(problem), "--out", str(tmp_path / "s.json")])
    assert result.exit_code == 1
    assert "allocation.not_a_problem_file" in result.output


def test_generate_a_shape_of_the_family_and_solve_it(tmp_path: Path) -> None:
    problem, solution = tmp_path / "p.json", tmp_path / "s.json"
    arguments = ["--households", "200", "--settlements", "4", "--periods", "30", "--shape", "shortage"]
    made = runner.invoke(app, ["allocate", "generate", *arguments, "--out", str(problem)])
    assert made.exit_code == 0, made.output
    solved = runner.invoke(app, ["allocate", "solve", str(problem), "--out", str(solution), "--time-limit", "30"])
    assert solved.exit_code == 0, solved.output
    checked = runner.invoke(app, ["allocate", "check", str(problem), str(solution)])
    assert checked.exit_code == 0, checked.output


def test_generate_refuses_an_unknown_shape(tmp_path: Path) -> None:
    arguments = ["--households", "20", "--settlements", "2", "--periods", "5", "--shape", "flat"]
    made = runner.invoke(app, ["allocate", "generate", *arguments, "--out", str(tmp_path / "p.json")])
    assert made.exit_code != 0
    assert "unknown shape" in made.output


def test_a_time_limit_spent_on_reading_still_writes_a_valid_plan(tmp_path: Path) -> None:
    """--time-limit covers the whole command; with none of it left for the solver the plan is still complete."""
    problem, solution = tmp_path / "p.json", tmp_path / "s.json"
    arguments = ["--households", "300", "--settlements", "4", "--periods", "30", "--shape", "national"]
    assert runner.invoke(app, ["allocate", "generate", *arguments, "--out", str(problem)]).exit_code == 0
    solved = runner.invoke(app, ["allocate", "solve", str(problem), "--out", str(solution), "--time-limit", "0"])
    assert solved.exit_code == 0, solved.output
    checked = runner.invoke(app, ["allocate", "check", str(problem), str(solution)])
    assert checked.exit_code == 0, checked.output
