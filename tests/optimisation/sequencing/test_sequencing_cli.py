"""`homecoming sequence solve | check | generate` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from sequencing_builders import problem_dict
from typer.testing import CliRunner

from homecoming.cli.main import app

runner = CliRunner()


def test_solve_then_check(tmp_path: Path) -> None:
    problem = tmp_path / "p.json"
    problem.write_text(json.dumps(problem_dict()))
    solution = tmp_path / "s.json"
    solved = runner.invoke(app, ["sequence", "solve", str(problem), "--time-limit", "3", "--out", str(solution)])
    assert solved.exit_code == 0, solved.output
    assert "optimal, objective 51, lower bound 51" in solved.output
    written = json.loads(solution.read_text())
    assert (written["status"], written["objective"], written["goals"]) == ("optimal", 51, {"big": 5, "small": 1})
    checked = runner.invoke(app, ["sequence", "check", str(problem), str(solution)])
    assert checked.exit_code == 0 and "valid, objective 51" in checked.output


def test_check_lists_violations_and_fails(tmp_path: Path) -> None:
    problem = tmp_path / "p.json"
    problem.write_text(json.dumps(problem_dict()))
    solution = tmp_path / "s.json"
    solution.write_text(json.dumps({
        "format": "homecoming-sequencing-solution/1", "problem": "two-settlements", "status": "feasible",
        "objective": 50, "lower_bound": 0, "starts": {"big-clearance": 0, "big-houses": 1, "small-school": 1},
        "goals": {"big": 4, "small": 2}, "seconds": 0.1,
    }))  # fmt: skip
    checked = runner.invoke(app, ["sequence", "check", str(problem), str(solution)])
    assert checked.exit_code == 1
    assert "precedence: 'big-houses' starts at 1" in checked.output
    assert "capacity: 'crews' is used 2 in period 1; capacity 1" in checked.output


def test_psplib_file_is_detected_from_content(tmp_path: Path, psplib: Path) -> None:
    solution = tmp_path / "s.json"
    args = [
        "sequence",
        "solve",
        str(psplib / "j301_1.sm"),
        "--time-limit",
        "5",
        "--workers",
        "2",
        "--out",
        str(solution),
    ]
    solved = runner.invoke(app, args)
    assert solved.exit_code == 0, solved.output
    assert json.loads(solution.read_text())["objective"] == 43


def test_bad_problem_gives_code_and_exit_1(tmp_path: Path) -> None:
    problem = tmp_path / "p.json"
    problem.write_text(json.dumps(problem_dict(periods=3)))
    solved = runner.invoke(app, ["sequence", "solve", str(problem), "--time-limit", "1", "--out", str(tmp_path / "s")])
    assert solved.exit_code == 1
    assert "sequencing.horizon_too_short" in solved.output
    assert not (tmp_path / "s").exists()


def test_generate_writes_a_valid_problem(tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    made = runner.invoke(app, ["sequence", "generate", "--settlements", "16", "--seed", "2", "--out", str(out)])
    assert made.exit_code == 0, made.output
    data = json.loads(out.read_text())
    assert data["format"] == "homecoming-sequencing/1" and len(data["goals"]) == 16
