"""Files a command writes are readable by their owner only (issue: the database and exports were created 0644)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path


def test_the_database_and_exports_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    """Run as a user runs it (a process of its own, whatever the caller's umask): no file is left world-readable."""
    env = {**os.environ, "HOMECOMING_DATABASE_URL": f"sqlite:///{tmp_path / 'own.db'}"}
    for args in (["init"], ["export", "regions", str(tmp_path / "regions.csv")]):
        done = subprocess.run([sys.executable, "-m", "homecoming", *args], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    assert modes["own.db"] == 0o600 and modes["regions.csv"] == 0o600
    assert all(mode & 0o077 == 0 for mode in modes.values()), modes  # the -wal and -shm files too
