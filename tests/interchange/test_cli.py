"""`homecoming import` / `export` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.cli.main import app
from homecoming.db import get_engine
from homecoming.interchange.import_jobs import run_import_job
from homecoming.jobs.models import Job, JobKind, JobStatus
from homecoming.jobs.worker import Worker


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


def test_queue_makes_an_import_job_that_a_worker_runs(tmp_path: Path, cli_database: str) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("code,name\nnorth,North\nsouth,South\n", encoding="utf-8")
    queued = CliRunner().invoke(app, ["import", "regions", str(path), "--queue"], env={"COLUMNS": "200"})
    assert queued.exit_code == 0, queued.output
    code = queued.output.split("queued as job ", 1)[1].split(":", 1)[0]
    assert code.startswith("import-regions-")
    engine = get_engine()
    assert Worker(engine, handlers={JobKind.IMPORT: run_import_job}).run(once=True) == 1
    with Session(engine) as session:
        job = session.scalars(select(Job).where(Job.code == code)).one()
        assert (job.status, job.result) == (JobStatus.DONE, {"table": "regions", "file": "regions.csv", "rows": 2,
                                                              "added": 2, "updated": 0, "unchanged": 0})  # fmt: skip
        assert job.requested_by.startswith("cli:")
