"""Registry files' use-cases, whichever door asks: import a table now (the command line), queue an import as a job
(the API, `homecoming import --queue`), export a table. (What a reader sees of an import job: homecoming.jobs.actions.)

Who may import which table is `import_jobs.WRITERS`; a table of personal data (the household registry) is exported
only to the registry's readers (homecoming.households.actions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.audit import service as audit
from homecoming.households import actions as households
from homecoming.interchange import import_jobs
from homecoming.interchange.exporter import export_file
from homecoming.interchange.importer import ImportReport, import_file
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import Job

IMPORTERS = import_jobs.IMPORTERS
PERSONAL_TABLES = frozenset({"households"})  # tables whose rows name people


def import_table(
    session: Session, actor: User | None, table: str, path: Path, *, now: dt.datetime,
    progress: Callable[[int], None] | None = None, comment: str | None = None,
) -> ImportReport:  # fmt: skip
    """Every row checked, then written, with one audit entry for the whole file (all rows or none)."""
    user = permissions.require_role(actor, *IMPORTERS)
    import_jobs.authorise(user, table)
    report = import_file(session, table, path, progress=progress)
    code = jobs_service.new_code(session, f"import-{table}", now)
    summary = {"table": table, "file": path.name, "rows": report.rows, "added": report.inserted,
               "updated": report.updated, "unchanged": report.unchanged}  # fmt: skip
    audit.record_import(session, user.username, table, code, summary, comment)
    return report


def queue_import(
    session: Session, actor: User | None, table: str, filename: str | None, content: bytes, *, now: dt.datetime,
    max_bytes: int, comment: str | None = None,
) -> Job:  # fmt: skip
    """An import job (flushed, not committed); the worker that runs it writes the rows and the one audit entry."""
    user = permissions.require_role(actor, *IMPORTERS)
    return import_jobs.start_import_job(session, user, table, filename, content, now, max_bytes=max_bytes,
                                        comment=comment)  # fmt: skip


def export_table(session: Session, actor: User | None, table: str, path: Path) -> int:
    """Every row of `table` written to `path`; the registry's personal data only for those who may read it."""
    if table in PERSONAL_TABLES:
        households.may_read_registry(actor)
    return export_file(session, table, path)
