"""Registry imports: a CSV or XLSX file uploaded here becomes an `import` job that a job worker runs.

Who may import which table is the domain's rule (`homecoming.interchange.import_jobs.WRITERS`): the registrar
households, mine action officers and planners the mine action tables, planners every other table; admin always.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from starlette.datastructures import UploadFile

from homecoming.accounts.models import User
from homecoming.errors import RuleViolation
from homecoming.http.deps import Comment, DbSession, Requires
from homecoming.interchange import actions, import_jobs
from homecoming.jobs import service as jobs_service
from homecoming.jobs.schemas import JobOut

router = APIRouter(prefix="/api", tags=["jobs"])
Importer = Annotated[User, Depends(Requires(*actions.IMPORTERS))]
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
    limit = request.app.state.settings.max_import_bytes  # the body as a whole: homecoming.http.body_limit
    filename, content = await _file_field(request, limit)
    job = actions.queue_import(session, user, table, filename, content, now=jobs_service.utcnow(), max_bytes=limit,
                               comment=comment)  # fmt: skip
    response.headers["Location"] = f"/api/jobs/{job.code}"
    return JobOut.of(job)


async def _file_field(request: Request, limit: int) -> tuple[str | None, bytes]:
    """The form's `file` part (name, at most limit + 1 bytes); the body was counted as it came (BodyLimit)."""
    form = await request.form(max_files=1, max_fields=5)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise RuleViolation("import.no_file", "send the file as the multipart/form-data field `file`",
                                {"field": "file"})  # fmt: skip
        return upload.filename, await upload.read(limit + 1)
    finally:
        await form.close()
