"""Registry imports asked for from the API: an `import` job in the jobs table, run by a job worker.

A large file takes a while to check and write, so it never runs inside a request (house rule 3). The request checks
what it can at once (the table, who may write it, the file's type and size; a workbook's unpacked size), then keeps
the file's bytes in `job_files` beside a queued job, in one transaction. A worker reads them there (any worker, on
any machine: they share only the database), checks every row and writes the table in ONE unit of work that also
writes the audit entry and marks the job done, so the rows, the entry and the 'done' commit together or not at
all. A rejected file fails the job with `import.rejected`, every bad row in the job's result; the file is dropped
when the job ends, whichever way.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path, PurePosixPath

from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.db.session import unit_of_work
from homecoming.errors import Forbidden, RuleViolation
from homecoming.interchange.files import NOT_A_WORKBOOK, bad_file, check_workbook, file_format, read_content
from homecoming.interchange.importer import import_rows, outline_of, spec_for
from homecoming.interchange.spec import IMPORT_ORDER
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import Job, JobKind
from homecoming.jobs.worker import JobContext

# Who may import each table (admin always): the registrar the household registry (personal data), mine action
# officers their own tables beside planners, planners everything else.
MINE_ACTION_TABLES = ("hazard_areas", "hazard_area_blocked_projects", "clearance_statistics", "mine_action_operators",
                      "mine_casualty_figures")  # fmt: skip
WRITERS: dict[str, frozenset[Role]] = {
    table: frozenset({Role.REGISTRAR} if table == "households" else
                     {Role.PLANNER, Role.MINE_ACTION_OFFICER} if table in MINE_ACTION_TABLES else {Role.PLANNER})
    for table in IMPORT_ORDER
}  # fmt: skip
IMPORTERS = tuple(sorted({role for roles in WRITERS.values() for role in roles}))  # any of them, for the route
ZIP_MAGIC = b"PK\x03\x04"
# The stage keys of an import job (for the workers' test hook, see homecoming.jobs.worker): "writing" is reached
# once every row is checked, "committing" once every row is written and only the commit is left.
CHECKING, WRITING, COMMITTING = "checking", "writing", "committing"
CHECKING_PERCENT, WRITING_PERCENT = 5, 60


utcnow = jobs_service.utcnow


def may_import(role: Role, table: str) -> bool:
    return role == Role.ADMIN or role in WRITERS.get(table, frozenset())


def authorise(actor: User, table: str) -> None:
    """Refuse an unknown table (import.unknown_table) or a role that may not write it (auth.forbidden)."""
    spec_for(table)
    if not may_import(actor.role, table):
        allowed = sorted({*WRITERS[table], Role.ADMIN})
        raise Forbidden(
            "auth.forbidden",
            f"the role {actor.role} may not import {table}; it needs one of: {', '.join(allowed)}",
            {"role": str(actor.role), "allowed": allowed, "table": table},
        )


def may_read(user: User | None, job: Job) -> bool:
    """An import job's message and result (a refused file's bad rows may quote a household's values) are read only by
    the account that asked and by the roles that may import its table; others see its status and progress."""
    if job.kind != JobKind.IMPORT:
        return True
    if user is None:
        return False
    return user.username == job.requested_by or may_import(user.role, str(job.payload.get("table")))


def upload_name(filename: str | None) -> str:
    """The sender's file name without any folder: only its last part is kept, and only for messages and its type."""
    base = PurePosixPath((filename or "").replace("\\", "/")).name
    return "".join(ch for ch in base if ch.isprintable()).strip()[-200:]


def start_import_job(
    session: Session, actor: User, table: str, filename: str | None, content: bytes, now: dt.datetime, *,
    max_bytes: int, comment: str | None = None,
) -> Job:  # fmt: skip
    """A queued import of `content` into `table` (flushed, not committed), after the checks a request can make."""
    authorise(actor, table)
    name = upload_name(filename)
    suffix = file_format(Path(name or "(no name)"))  # import.unsupported_format
    _check_content(name, suffix, content, max_bytes)
    code = jobs_service.new_code(session, f"import-{table}", now)
    payload = {"table": table, "file": name, "size_bytes": len(content), "comment": comment}
    job = jobs_service.enqueue(session, JobKind.IMPORT, code, payload, actor.username, now)
    jobs_service.attach_file(session, job, name, content)
    return job


def _check_content(name: str, suffix: str, content: bytes, max_bytes: int) -> None:
    if len(content) > max_bytes:
        raise RuleViolation("import.file_too_large", f"{name} is over {max_bytes:,} bytes, the limit for an import "
                            "(HOMECOMING_MAX_IMPORT_BYTES): split it into several files",
                            {"file": name, "max_bytes": max_bytes})  # fmt: skip
    if suffix == ".xlsx":
        if not content.startswith(ZIP_MAGIC):
            raise bad_file(name, NOT_A_WORKBOOK)
        check_workbook(io.BytesIO(content), name)  # a zip bomb is refused here, unread
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise bad_file(name, f"not UTF-8 text (byte {exc.start:,}); save it as CSV UTF-8") from None
    if not text.strip():
        raise RuleViolation("import.empty_file", f"{name} is empty: nothing to import", {"file": name})
    if "\x00" in text:
        raise bad_file(name, "a CSV file holds text only, and this one holds NUL bytes")


def run_import_job(context: JobContext) -> None:
    """The worker's side: every row checked, then written, audited and the job marked done in one transaction."""
    table, name = context.payload["table"], context.payload["file"]
    spec = spec_for(table)
    with unit_of_work(context.engine) as session:
        kept = jobs_service.file_of(session, context.job_id)
        if kept is None:
            raise RuleViolation("import.file_gone", f"the file {name} of this import is no longer kept; upload it "
                                "again", {"file": name})  # fmt: skip
        context.stage(CHECKING, f"checking {name}", CHECKING_PERCENT)
        header, rows = read_content(name, bytes(kept.content), outline_of(spec))

        def checked(count: int) -> None:
            context.record(stage=f"checking {name}: {count:,} rows checked")
            context.check()

        def writing(count: int) -> None:
            context.stage(WRITING, f"writing {count:,} rows into {table}", WRITING_PERCENT)

        report = import_rows(session, spec, header, rows, source=name, progress=checked, writing=writing)
        result = {"table": table, "file": name, "rows": report.rows, "added": report.inserted,
                  "updated": report.updated, "unchanged": report.unchanged}  # fmt: skip
        summary = result | {"sha256": kept.sha256, "size_bytes": kept.size_bytes}
        audit.record_import(session, _requested_by(session, context), table, context.code, summary,
                            context.payload.get("comment"))  # fmt: skip
        context.checkpoint(COMMITTING)
        message = (f"{table}: {report.rows:,} rows read from {name} — {report.inserted:,} added, "
                   f"{report.updated:,} updated, {report.unchanged:,} unchanged")  # fmt: skip
        context.finish(session, message, result)


def _requested_by(session: Session, context: JobContext) -> str:
    return jobs_service.get(session, context.code).requested_by
