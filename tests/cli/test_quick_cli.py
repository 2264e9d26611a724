"""The command line starts without the solvers and the web stack: only the command that runs imports its module."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import homecoming
from homecoming.cli import clock
from homecoming.cli.clock import engine_seconds
from homecoming.cli.main import COMMANDS, load_command

HEAVY = ("ortools", "highspy", "numba", "dask", "distributed", "fastapi", "starlette", "jinja2", "uvicorn", "pyxform")
SRC = str(Path(homecoming.__file__).parent.parent)


def imported_packages(code: str) -> set[str]:
    """The top-level packages a fresh interpreter holds after running `code` (then printing `sys.modules`)."""
    script = f"{code}\nimport sys\nprint(' '.join(sorted({{name.split('.')[0] for name in sys.modules}})))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    return set(result.stdout.split())


def test_importing_the_command_line_imports_no_solver_or_web_package() -> None:
    packages = imported_packages("import homecoming.cli.main")
    assert "typer" in packages
    assert packages.isdisjoint(HEAVY), sorted(packages & set(HEAVY))


@pytest.mark.parametrize(
    "args",
    [["--help"], ["admin", "--help"], ["audit", "--help"], ["init", "--help"], ["sequence", "--help"],
     ["allocate", "--help"], ["odk", "--help"]],
)  # fmt: skip
def test_help_of_light_commands_imports_no_solver_or_web_package(args: list[str]) -> None:
    code = f"from homecoming.cli.main import app\ntry:\n    app({args!r})\nexcept SystemExit:\n    pass"
    packages = imported_packages(code)
    assert packages.isdisjoint(HEAVY), sorted(packages & set(HEAVY))


@pytest.mark.parametrize("args", [["--help"], ["admin", "--help"], ["audit", "--help"]])
def test_help_of_the_account_and_trail_groups_builds_no_pydantic_adapter(args: list[str]) -> None:
    """Typer checks an option's value with a Pydantic adapter; the group's `--help` flag must not need one."""
    code = f"from homecoming.cli.main import app\ntry:\n    app({args!r})\nexcept SystemExit:\n    pass"
    packages = imported_packages(code)
    assert "typer" in packages and "pydantic" not in packages


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_listed_help_line_is_the_first_paragraph_of_the_commands_own_help(name: str) -> None:
    command = load_command(name)
    assert command.name == name
    assert COMMANDS[name][1] == (command.help or "").split("\n\n")[0].strip()


def test_time_spent_before_the_engine_comes_out_of_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "_started", time.monotonic() - 4.0)  # four seconds importing and reading
    assert engine_seconds(10.0) <= 10.0 - 4.0 - 0.5
    monkeypatch.setattr(clock, "_started", time.monotonic() - 60.0)  # a start slower than the limit
    assert engine_seconds(10.0) == 1.0
