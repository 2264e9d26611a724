"""SQLite through its online backup API: a consistent copy of a live database, page by page, without stopping it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import URL

from homecoming.backup.tables import revision, row_counts
from homecoming.errors import NotFound, RuleViolation

PAGES_PER_STEP = 2048  # 8 MiB of 4 KiB pages between two progress reports
BUSY_TIMEOUT_S = 30.0
OWNER_ONLY = 0o600


def database_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise RuleViolation(
            "backup.unsupported_database",
            "only a SQLite database in a file can be backed up or restored (HOMECOMING_DATABASE_URL=sqlite:///PATH)",
            {"database_url": url.render_as_string()},
        )
    return Path(url.database)


def dump(url: URL, to: Path, progress: Callable[[int, int], None] | None = None) -> tuple[dict[str, int], str | None]:
    """Copy the live database to `to`; return the copy's row counts and schema revision (the same snapshot)."""
    path = database_path(url)
    if not path.is_file():
        raise NotFound("backup.database_missing", f"no database at {path}", {"database": str(path)})
    source = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    target = sqlite3.connect(to)
    try:
        report = None if progress is None else (lambda _status, left, total: progress(total - left, total))
        source.backup(target, pages=PAGES_PER_STEP, progress=report)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()
        source.close()
    copy = create_engine(f"sqlite:///{to}")
    try:
        with copy.connect() as connection:
            return row_counts(connection), revision(connection)
    finally:
        copy.dispose()


def restore(url: URL, dump_file: Path) -> None:
    """Replace the database's whole content by the dump's, in one transaction of the target database."""
    path = database_path(url)
    if not path.parent.is_dir():
        raise NotFound("backup.database_folder_missing", f"no such folder: {path.parent}", {"database": str(path)})
    if not path.exists():  # a database made by the restore is readable by its owner only
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY))
    source = sqlite3.connect(dump_file)
    target = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    try:
        source.backup(target)  # all pages in one step: a reader sees the old database or the new one
    finally:
        target.close()
        source.close()
