"""Running `homecoming` in-process as a test: the output of a command that must succeed, or must fail."""

from __future__ import annotations

from typer.testing import CliRunner

from homecoming.cli.main import app

WIDE = {"COLUMNS": "200"}  # tables unwrapped, so a test can read their cells


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=WIDE)
    assert result.exit_code == 0, result.output
    return result.output


def fail(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=WIDE)
    assert result.exit_code == 1, result.output
    return result.output
