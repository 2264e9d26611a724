"""The two use-cases: make a backup of the database and the files store; restore one into an empty database.

Order matters. A backup dumps the database first and copies the files after: an attachment's file is stored before
its record commits, so every record in the dump finds its file in the backup (a file attached meanwhile is copied
too, unreferenced and harmless). A restore checks the whole file before it touches anything, writes the files
(content-addressed, so adding them never harms) and replaces the database last, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

import homecoming
from homecoming.backup import postgres, sqlite
from homecoming.backup.archive import BackupWriter, stored_files, verify
from homecoming.backup.manifest import DATABASE_MEMBER, FILES_PREFIX, Manifest
from homecoming.backup.tables import row_counts, rows_held
from homecoming.db.migrate import alembic_config
from homecoming.errors import Conflict, RuleViolation
from homecoming.files.store import FileStore

Step = Callable[[str, int, int | None], None]  # (what is being done, how far, out of how much)


def _quiet(_what: str, _done: int, _total: int | None) -> None:
    return None


@dataclass(frozen=True)
class BackupReport:
    out: Path
    size_bytes: int
    manifest: Manifest


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    row_counts: dict[str, int]  # counted in the restored database, equal to the manifest's
    files_written: int  # files the store did not hold already
    head_revision: str  # the schema the code expects; if the backup's is older, `homecoming init` upgrades it

    @property
    def needs_upgrade(self) -> bool:
        return self.manifest.alembic_revision != self.head_revision


def create_backup(
    engine: Engine, out: Path, store: FileStore, *, files_store: str, now: dt.datetime, step: Step = _quiet
) -> BackupReport:
    """Write one backup file at `out` (mode 0600), or nothing at all if anything goes wrong."""
    kind = _engine_kind(engine)
    with BackupWriter(out) as writer, tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.work-") as work:
        dumped = Path(work) / DATABASE_MEMBER[kind]
        step("database", 0, None)
        if kind == "sqlite":
            counts, revision = sqlite.dump(engine.url, dumped, lambda done, total: step("database", done, total))
        else:
            with _reachable(engine):
                counts, revision = postgres.dump(engine, dumped)
        step("writing the database dump", 0, None)
        writer.add_file(DATABASE_MEMBER[kind], dumped)
        dumped.unlink()
        keys = store.keys()
        for number, key in enumerate(keys):
            step("files", number, len(keys))
            writer.add_bytes(FILES_PREFIX + key, store.read(key))
        manifest = Manifest(
            engine=kind,
            alembic_revision=revision,
            created_at=now.astimezone(dt.UTC).isoformat(timespec="seconds"),
            homecoming_version=homecoming.__version__,
            row_counts=counts,
            files_store=files_store,
            members=dict(writer.members),
        )
        step("finishing", 0, None)
        writer.finish(manifest)
    return BackupReport(out=out, size_bytes=out.stat().st_size, manifest=manifest)


def restore_backup(
    engine: Engine, backup: Path, store: FileStore, *, force: bool = False, step: Step = _quiet
) -> RestoreReport:
    """Check `backup` whole, then put its files and database in place; refuse a database holding rows unless forced."""
    kind = _engine_kind(engine)
    with tempfile.TemporaryDirectory(prefix="homecoming-restore-") as work:
        dumped = Path(work) / "database"
        step("checking the backup", 0, None)
        manifest = verify(backup, dumped)
        _check_fits(manifest, kind, engine)
        _refuse_data(engine, force)
        engine.dispose()  # no pooled connection may hold the tables the restore replaces
        keys = manifest.file_keys
        written = 0
        for number, (key, content) in enumerate(stored_files(backup, manifest)):
            step("files", number, len(keys))
            written += int(store.put(key, content))
        step("database", 0, None)
        if kind == "sqlite":
            sqlite.restore(engine.url, dumped)
        else:
            postgres.restore(engine.url, dumped)
    engine.dispose()
    with engine.connect() as connection:
        restored = row_counts(connection)
    _check_counts(manifest, restored)
    return RestoreReport(manifest=manifest, row_counts=restored, files_written=written, head_revision=_head())


def _engine_kind(engine: Engine) -> str:
    kind = engine.dialect.name
    if kind not in DATABASE_MEMBER:
        raise RuleViolation(
            "backup.unsupported_database",
            f"backups are made of SQLite and PostgreSQL databases, not {kind}",
            {"engine": kind},
        )
    if kind == "sqlite":
        sqlite.database_path(engine.url)
    return kind


def _check_fits(manifest: Manifest, kind: str, engine: Engine) -> None:
    if manifest.engine != kind:
        raise RuleViolation(
            "backup.engine_mismatch",
            f"this backup is of a {manifest.engine} database and restores only into {manifest.engine}; "
            f"HOMECOMING_DATABASE_URL points at {kind}. (To move between engines, use `homecoming export` and "
            "`homecoming import`.)",
            {"backup_engine": manifest.engine, "database_engine": kind},
        )
    if manifest.alembic_revision is not None and not _known(manifest.alembic_revision):
        raise RuleViolation(
            "backup.newer_schema",
            f"this backup's schema (revision {manifest.alembic_revision}) is newer than this Homecoming knows "
            f"(made by version {manifest.homecoming_version}); upgrade Homecoming before restoring it.",
            {"backup_revision": manifest.alembic_revision, "head_revision": _head()},
        )


@contextmanager
def _reachable(engine: Engine) -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        raise RuleViolation(
            "backup.database_unreachable",
            f"cannot reach the database {engine.url.render_as_string()}: {str(exc.orig).strip()}; check "
            "HOMECOMING_DATABASE_URL and that the database exists",
            {"database_url": engine.url.render_as_string()},
        ) from None


def _refuse_data(engine: Engine, force: bool) -> None:
    if engine.dialect.name == "sqlite" and not sqlite.database_path(engine.url).exists():
        return  # nothing to lose; and connecting would create the file with the default mode
    with _reachable(engine), engine.connect() as connection:
        counts = row_counts(connection)
    if rows_held(counts) and not force:
        holding = {name: n for name, n in counts.items() if n}
        raise Conflict(
            "backup.database_not_empty",
            f"{engine.url.render_as_string()} holds {rows_held(counts):,} rows in {len(holding)} tables; restoring "
            "would replace them. Restore into an empty database, or pass --force to replace its content.",
            {"rows": rows_held(counts), "tables": holding},
        )


def _check_counts(manifest: Manifest, restored: dict[str, int]) -> None:
    differ = {
        name: {"backup": expected, "restored": restored.get(name)}
        for name, expected in manifest.row_counts.items()
        if restored.get(name) != expected
    }
    if differ:
        raise RuleViolation(
            "backup.count_mismatch",
            f"after the restore {len(differ)} tables do not hold the rows the backup lists; do not use this database, "
            "and report the backup file.",
            {"tables": differ},
        )


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def _known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except CommandError:
        return False


def _head() -> str:
    return str(_scripts().get_current_head())
