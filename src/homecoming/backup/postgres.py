"""PostgreSQL through its own tools: `pg_dump --format=custom` from one exported snapshot, `pg_restore` back.

The row counts in the manifest are read in the transaction whose snapshot pg_dump uses, so they describe exactly
the dumped data. pg_dump writes to a pipe this process reads: if the backup is killed, pg_dump stops too.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL

from homecoming.backup.tables import revision, row_counts
from homecoming.errors import RuleViolation

CHUNK_BYTES = 1024 * 1024
SERVER_BINARIES = "/usr/lib/postgresql/*/bin"
_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")


def find_tool(name: str) -> Path:
    """The newest `name` (pg_dump, pg_restore) on PATH or under /usr/lib/postgresql/*/bin."""
    candidates = {Path(p) for p in glob.glob(f"{SERVER_BINARIES}/{name}")}
    on_path = shutil.which(name)
    if on_path:
        candidates.add(Path(on_path))
    versions = {path: _version(path) for path in candidates}
    usable = {path: version for path, version in versions.items() if version is not None}
    if not usable:
        raise RuleViolation(
            "backup.tool_missing",
            f"{name} is needed to back up or restore a PostgreSQL database and was found neither on PATH nor under "
            f"{SERVER_BINARIES}; install the PostgreSQL client (Debian: apt-get install postgresql-client) in the "
            "version of the server or newer.",
            {"tool": name},
        )
    return max(usable, key=lambda path: (usable[path], str(path)))


def _version(path: Path) -> tuple[int, int] | None:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = _VERSION.search(out)
    return (int(found.group(1)), int(found.group(2) or 0)) if found else None


def connection_arguments(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for the tools, and their environment (the password goes there, not on argv)."""
    from psycopg.conninfo import make_conninfo  # PostgreSQL's driver; only loaded when PostgreSQL is used

    params: dict[str, str] = {}
    for name, given in url.query.items():
        params[name] = given if isinstance(given, str) else given[-1]
    named: dict[str, object] = {"dbname": url.database, "host": url.host, "port": url.port, "user": url.username}
    params.update({key: str(value) for key, value in named.items() if value is not None})
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    return make_conninfo(**params), environment


def dump(engine: Engine, to: Path) -> tuple[dict[str, int], str | None]:
    """Dump the database into `to`; return its row counts and schema revision, read from the dumped snapshot."""
    pg_dump = find_tool("pg_dump")
    conninfo, environment = connection_arguments(engine.url)
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            counts, schema = row_counts(connection), revision(connection)
            command = [str(pg_dump), "--format=custom", f"--snapshot={snapshot}", "--no-password", "--dbname", conninfo]
            _run_into(command, environment, to)
    return counts, schema


def _run_into(command: list[str], environment: dict[str, str], to: Path) -> None:
    with tempfile.TemporaryFile() as errors, to.open("wb") as out:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, env=environment)
        assert process.stdout is not None
        _copy(process.stdout, out)
        if process.wait() != 0:
            raise _failed("backup.dump_failed", "pg_dump", errors)


def _copy(source: IO[bytes], out: IO[bytes]) -> None:
    while chunk := source.read(CHUNK_BYTES):
        out.write(chunk)


def restore(url: URL, dump_file: Path) -> None:
    """Replace the dumped tables in one transaction: on any error nothing of the target changes."""
    pg_restore = find_tool("pg_restore")
    conninfo, environment = connection_arguments(url)
    command = [
        str(pg_restore),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        "--dbname",
        conninfo,
        str(dump_file),
    ]
    with tempfile.TemporaryFile() as errors:
        if subprocess.run(command, stdout=subprocess.DEVNULL, stderr=errors, env=environment).returncode != 0:
            raise _failed("backup.restore_failed", "pg_restore", errors)


def _failed(code: str, tool: str, errors: IO[bytes]) -> RuleViolation:
    errors.seek(0)
    said = errors.read().decode("utf-8", errors="replace").strip()[-2000:]
    return RuleViolation(code, f"{tool} failed: {said or 'no message'}", {"tool": tool, "stderr": said})
