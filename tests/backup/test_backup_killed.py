"""A backup killed with SIGKILL half-way leaves no file at --out and the database it read intact."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from backup_support import add_rows, fingerprint
from typer.testing import CliRunner

from homecoming.cli.main import app
from homecoming.db import make_engine

SRC = Path(__file__).resolve().parents[2] / "src"
PADDING_ROWS, NOTE_BYTES = 10_000, 2_000  # about 20 MB: the backup takes a moment on either engine
PATIENCE_S = 120.0


def _started_dumping(folder: Path) -> bool:
    """The backup has made its partial file and its database dump has begun to fill."""
    partial = any(p.name.startswith(".homecoming.tar.partial-") for p in folder.iterdir())
    dumps = [f for d in folder.glob(".homecoming.tar.work-*") for f in d.iterdir()]
    return partial and any(f.stat().st_size > 0 for f in dumps)


def _kill_mid_way(url: str, files_dir: Path, out: Path) -> None:
    environment = {
        **os.environ,
        "HOMECOMING_DATABASE_URL": url,
        "HOMECOMING_FILES_DIR": str(files_dir),
        "PYTHONPATH": str(SRC),
    }
    command = [sys.executable, "-m", "homecoming", "backup", "--out", str(out)]
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + PATIENCE_S
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if _started_dumping(out.parent):
                break
        except FileNotFoundError:  # a temporary file went away while we looked
            pass
        time.sleep(0.001)
    ended = process.poll() is not None
    assert not ended, f"the backup ended before it could be killed: {process.communicate()[1]!r}"
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL


def test_a_backup_killed_mid_way_leaves_no_backup_and_the_database_intact(
    configured: str, files_dir: Path, tmp_path: Path
) -> None:
    engine = make_engine(configured)
    add_rows(engine, PADDING_ROWS, NOTE_BYTES)
    engine.dispose()
    before = fingerprint(configured)
    out = tmp_path / "backups" / "homecoming.tar"
    out.parent.mkdir()

    _kill_mid_way(configured, files_dir, out)

    assert not out.exists()
    leftovers = sorted(p.name for p in out.parent.iterdir())
    assert all(name.startswith(".homecoming.tar.") for name in leftovers)  # hidden, never taken for a backup
    if configured.startswith("sqlite"):
        with sqlite3.connect(Path(configured.removeprefix("sqlite:///"))) as database:
            assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert fingerprint(configured) == before
    for name in leftovers:  # what the killed backup left is refused by restore, never half-restored
        partial = out.parent / name
        if partial.is_file():
            result = CliRunner().invoke(app, ["restore", str(partial), "--force"], env={"COLUMNS": "200"})
            assert result.exit_code == 1 and "backup.corrupt" in result.output
    assert fingerprint(configured) == before
    # and a backup run to the end afterwards is complete
    result = CliRunner().invoke(app, ["backup", "--out", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    with tarfile.open(out) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["row_counts"] == {name: count for name, (count, _) in before.items()}


pytestmark = pytest.mark.slow
