"""Running `homecoming` in-process as a test: the output of a command that must succeed, or must fail; the smallest
territory a command needs, imported as a user would."""

from __future__ import annotations

from pathlib import Path

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


def import_territory(folder: Path) -> None:
    """One region, one district (lachin) and one village (zabukh), each table by `homecoming import` from a CSV
    written into `folder`."""
    for table, text in (
        ("regions", "code,name\nkarabakh,Karabakh\n"),
        ("districts", "code,name,region_code\nlachin,Lachin,karabakh\n"),
        ("settlements", "code,name,district_code,kind\nzabukh,Zabukh,lachin,village\n"),
    ):
        (folder / f"{table}.csv").write_text(text, encoding="utf-8")
        run("import", table, str(folder / f"{table}.csv"))
