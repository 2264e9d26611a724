"""An import killed with SIGKILL while it writes leaves the database as it was, and the next import succeeds.

A real `homecoming import` process on each engine is killed once it is seen writing (SQLite: its write-ahead log
grows; PostgreSQL: its INSERT is running), which is the moment a non-atomic import would leave half a file behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

from homecoming.territory.models import Region

ROWS = 100_000  # enough that writing them takes a moment on any machine
PATIENCE_S = 300


def _import(database_url: str, path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "HOMECOMING_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "homecoming", "import", "regions", str(path)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _writing(engine: Engine, database_url: str) -> bool:
    if engine.dialect.name == "sqlite":
        wal = Path(f"{make_url(database_url).database}-wal")
        return wal.exists() and wal.stat().st_size > 1_000_000
    query = "SELECT count(*) FROM pg_stat_activity WHERE datname = :name AND state = 'active' AND query ILIKE 'INSERT%'"
    with engine.connect() as connection:
        return bool(connection.scalar(text(query), {"name": engine.url.database}))


def _kill_while_writing(engine: Engine, database_url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not _writing(engine, database_url):
        assert process.poll() is None, f"the import ended before it was seen writing: {process.stderr.read()!r}"
        assert time.monotonic() < deadline, "the import was never seen writing"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def test_an_import_killed_while_writing_leaves_nothing_and_the_next_one_succeeds(
    engine: Engine, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n" + "".join(f"r{n},Region {n}\n" for n in range(ROWS)), encoding="utf-8")
    _kill_while_writing(engine, database_url, _import(database_url, path))
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Region)) == 0
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    again = _import(database_url, path)
    assert again.wait() == 0, again.stderr.read()
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Region)) == ROWS
