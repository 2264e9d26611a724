"""A request body may be only so large: counted as it arrives, so a large body is refused without being read.

Most bodies are JSON or a form, and small (HOMECOMING_MAX_BODY_BYTES, 1 MiB). The upload routes take files: a
registry import up to HOMECOMING_MAX_IMPORT_BYTES, an inspection photo up to HOMECOMING_MAX_FILE_BYTES and a field
submission (/odk/submission, its XML and photographs) up to HOMECOMING_MAX_SUBMISSION_BYTES, each with room for
the multipart envelope. A declared Content-Length over the limit is refused before anything is read;
without one (chunked), or when it lies, the bytes are counted as they come and reading stops at the limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORM_OVERHEAD_BYTES = 64 * 1024  # the multipart envelope around an uploaded file (boundaries, part headers)


@dataclass(frozen=True)
class Limit:
    setting: str  # the Settings field that holds the limit of the content
    envelope_bytes: int  # allowed on top of it: the form around an uploaded file
    code: str
    advice: str

    def body_bytes(self, settings: Any) -> int:
        return int(getattr(settings, self.setting)) + self.envelope_bytes


JSON_OR_FORM = Limit("max_body_bytes", 0, "request.too_large", "send less")
UPLOADS: tuple[tuple[re.Pattern[str], Limit], ...] = (
    (re.compile(r"/api/imports/[^/]+"),
     Limit("max_import_bytes", FORM_OVERHEAD_BYTES, "import.file_too_large", "split it into several files")),
    (re.compile(r"/api/inspections/\d+/photos"),
     Limit("max_file_bytes", FORM_OVERHEAD_BYTES, "files.too_large", "send a smaller photograph")),
    (re.compile(r"/api/grievances/[^/]+/photo|/grievances"),
     Limit("max_file_bytes", FORM_OVERHEAD_BYTES, "files.too_large", "send a smaller photograph")),
    (re.compile(r"/odk/submission"),
     Limit("max_submission_bytes", FORM_OVERHEAD_BYTES, "fielddata.submission_too_large",
           "send fewer or smaller photographs")),
)  # fmt: skip


class BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTPException, so FastAPI's body parsing passes it on untouched."""

    def __init__(self, limit: Limit, settings: Any) -> None:
        self.code = limit.code
        allowed = int(getattr(settings, limit.setting))
        self.message = (
            f"the request is larger than the {allowed:,} bytes allowed here "
            f"(HOMECOMING_{limit.setting.upper()}): {limit.advice}"
        )
        self.details = {"max_bytes": allowed}
        super().__init__(413, self.message)


def limit_for(path: str) -> Limit:
    return next((limit for pattern, limit in UPLOADS if pattern.fullmatch(path)), JSON_OR_FORM)


class BodyLimit:
    """ASGI middleware: refuses (413, the error shape) a body over the limit of its route, reading no more of it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = scope["app"].state.settings  # read per request: a running app's settings may be swapped
        limit = limit_for(scope["path"])
        most = limit.body_bytes(settings)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > most:
            await self._refuse(scope, receive, send, BodyTooLarge(limit, settings))
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > most:
                raise BodyTooLarge(limit, settings)
            return message

        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as exc:  # read outside the app's error handlers (they normally answer it)
            if started:
                raise
            await self._refuse(scope, receive, send, exc)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, exc: BodyTooLarge) -> None:
        from homecoming.http.errors import too_large  # the errors module installs the handler of BodyTooLarge

        response = await too_large(Request(scope, receive), exc)
        response.headers["connection"] = "close"  # the rest of the body is never read
        await response(scope, receive, send)
