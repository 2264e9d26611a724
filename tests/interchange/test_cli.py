"""`homecoming import` / `export` as a user runs them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from homecoming.cli.main import app


@pytest.fixture(autouse=True)
def database(cli_database: str) -> str:
    """Each engine."""
    return cli_database


def test_bad_file_is_refused_with_every_row_listed(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("code,name\nnorth,North\n,Nameless\nnorth,Again\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["import", "regions", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "import.rejected" in result.output
    assert "a value is required" in result.output
    assert "duplicate code (first on row 2)" in result.output
    export = CliRunner().invoke(app, ["export", "regions", str(tmp_path / "out.csv")])
    assert export.exit_code == 0
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines() == ["code,name,source_url,source_date"]


def test_good_file_imports_then_reimports_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("code,name\nnorth,North\nsouth,South\n", encoding="utf-8")
    first = CliRunner().invoke(app, ["import", "regions", str(path)], env={"COLUMNS": "200"})
    assert first.exit_code == 0, first.output
    assert "2 added, 0 updated, 0 unchanged" in first.output
    second = CliRunner().invoke(app, ["import", "regions", str(path)], env={"COLUMNS": "200"})
    assert "0 added, 0 updated, 2 unchanged" in second.output


def test_the_database_and_exports_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    """Run as a user runs it (a process of its own, whatever the caller's umask): no file is left world-readable."""
    env = {**os.environ, "HOMECOMING_DATABASE_URL": f"sqlite:///{tmp_path / 'own.db'}"}
    for args in (["init"], ["export", "regions", str(tmp_path / "regions.csv")]):
        done = subprocess.run([sys.executable, "-m", "homecoming", *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    assert modes["own.db"] == 0o600 and modes["regions.csv"] == 0o600
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes  # the -wal and -shm files too
