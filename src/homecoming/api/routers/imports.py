"""Registry imports: a CSV or XLSX file uploaded here becomes an `import` job that a job worker runs.

Who may import which table is the domain's rule (`homecoming.interchange.import_jobs.WRITERS`): the registrar
households, mine action officers and planners the mine action tables, planners every other table; admin always.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, status
from starlette.datastructures import UploadFile

from homecoming.accounts.models import User
from homecoming.api.deps import Comment, DbSession, Requires
from homecoming.errors import RuleViolation
from homecoming.interchange import import_jobs
from homecoming.jobs import service as jobs_service
from homecoming.jobs.schemas import JobOut

router = APIRouter(prefix="/api", tags=["jobs"])
Importer = Annotated[User, Depends(Requires(*import_jobs.IMPORTERS))]
FORM_OVERHEAD_BYTES = 64 * 1024  # the multipart envelope around the file (boundaries, part headers)
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary", "description": ".csv or .xlsx"}},
                }
            }
        },
    }
}


@router.post("/imports/{table}", status_code=status.HTTP_202_ACCEPTED, openapi_extra=UPLOAD_BODY)
async def start_import(
    request: Request, response: Response, session: DbSession, user: Importer, table: str, comment: Comment = None
) -> JobOut:
    """Queue an import of one registry table from an uploaded .csv or .xlsx (multipart field `file`).

    All rows or none: the job's result is the report (added, updated, unchanged), or, when the file is refused
    (`import.rejected`), every bad row. Its progress is at the Location given."""
    import_jobs.authorise(user, table)  # an unknown table or a role that may not write it: refused unread
    limit = request.app.state.settings.max_import_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + FORM_OVERHEAD_BYTES:
        raise _too_large(limit)
    filename, content = await _file_field(request, limit)
    job = import_jobs.start_import_job(session, user, table, filename, content, jobs_service.utcnow(),
                                       max_bytes=limit, comment=comment)  # fmt: skip
    response.headers["Location"] = f"/api/jobs/{job.code}"
    return JobOut.of(job)


async def _file_field(request: Request, limit: int) -> tuple[str | None, bytes]:
    """The form's `file` part (name, at most limit + 1 bytes), reading at most the limit and the form's envelope of
    body (a body without a Content-Length is counted as it comes)."""
    limited = Request(request.scope, _counting(request.receive, limit + FORM_OVERHEAD_BYTES, limit))
    form = await limited.form(max_files=1, max_fields=5)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise RuleViolation("import.no_file", "send the file as the multipart/form-data field `file`",
                                {"field": "file"})  # fmt: skip
        return upload.filename, await upload.read(limit + 1)
    finally:
        await form.close()


def _counting(receive: Callable[[], Awaitable[Any]], body_limit: int, limit: int) -> Callable[[], Awaitable[Any]]:
    seen = 0

    async def counted() -> Any:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > body_limit:
            raise _too_large(limit)
        return message

    return counted


def _too_large(limit: int) -> RuleViolation:
    return RuleViolation(
        "import.file_too_large",
        f"the upload is over {limit:,} bytes, the limit for an import (HOMECOMING_MAX_IMPORT_BYTES): split it into "
        "several files",
        {"max_bytes": limit},
    )
