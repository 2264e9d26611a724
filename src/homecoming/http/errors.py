"""Every error leaves the API in one shape: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from homecoming.errors import DomainError, TooManyRequests, Unauthorized
from homecoming.http.body_limit import BodyTooLarge
from homecoming.http.headers import SECURITY_HEADERS

log = logging.getLogger(__name__)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


ErrorPage = Callable[[Request, int, str, Any], Response]


def install(app: FastAPI, error_page: ErrorPage) -> None:
    """Answer every error in the one shape; a browser asking for a page gets `error_page(request, status, code,
    message)` instead (the pages' own renderer, handed in by the app factory so this layer imports no door)."""
    app.state.error_page = error_page
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(IntegrityError, _constraint)
    app.add_exception_handler(DataError, _out_of_range)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(InterfaceError, _database_unavailable)
    app.add_exception_handler(BodyTooLarge, too_large)
    # A crash is answered outside every middleware (Starlette's ServerErrorMiddleware), so this answer carries the
    # security headers itself.
    app.add_exception_handler(Exception, _server_error)


def _page(request: Request, status: int, code: str, message: Any) -> Response:
    page: Response = request.app.state.error_page(request, status, code, message)
    return page


def _wants_page(request: Request) -> bool:
    path = request.url.path
    return not path.startswith(("/api", "/odk")) and "text/html" in request.headers.get("accept", "")


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    headers = {"Retry-After": str(exc.details["retry_after_s"])} if isinstance(exc, TooManyRequests) else {}
    headers.update(exc.headers)
    if _wants_page(request):
        if isinstance(exc, Unauthorized):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        page = _page(request, exc.status, exc.code, exc.message)
        page.headers.update(headers)
        return page
    return JSONResponse(exc.to_dict(), status_code=exc.status, headers=headers)


async def _invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"field": ".".join(str(p) for p in err["loc"]), "problem": err["msg"], "type": err["type"]}
        for err in exc.errors()
    ]
    where = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:5])
    body = error_body("request.invalid", f"the request is not valid — {where}", {"errors": problems})
    return JSONResponse(body, status_code=422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "request.not_found", 405: "request.method_not_allowed", 413: "request.too_large"}.get(
        exc.status_code, "request.error"
    )
    if _wants_page(request):
        return _page(request, exc.status_code, code, str(exc.detail))
    return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)


async def _stale(request: Request, exc: Exception) -> Response:
    """Two writers raced past the version check: the second one's flush found the row already changed."""
    message = "the record was changed by someone else meanwhile; read it again and reapply your change"
    return JSONResponse(error_body("record.stale_version", message), status_code=409)


async def _constraint(request: Request, exc: Exception) -> Response:
    """A database rule caught what the services did not (the request was rolled back): a conflict, not a crash."""
    assert isinstance(exc, IntegrityError)
    message = "the change breaks a rule of the database and was not saved: " + str(exc.orig).splitlines()[0]
    return JSONResponse(error_body("record.constraint", message), status_code=409)


async def _out_of_range(request: Request, exc: Exception) -> Response:
    """A number too large for the database's column (the request was rolled back)."""
    message = "a value is out of the range the database can store; nothing was saved"
    return JSONResponse(error_body("request.value_out_of_range", message), status_code=422)


RETRY_AFTER_S = 5


async def _database_unavailable(request: Request, exc: Exception) -> Response:
    """The database is locked by another writer, restarting or out of reach: nothing was saved, try again shortly.

    The pool checks a connection before lending it (pre-ping), so the next request after the database is back works.
    """
    assert isinstance(exc, DBAPIError)
    reason = str(exc.orig).splitlines()[0] if exc.orig is not None and str(exc.orig) else type(exc).__name__
    if "locked" in reason or "busy" in reason:
        code, message = "database.busy", "the database is busy with another change; nothing was saved, try again"
    else:
        code, message = "database.unavailable", "the database cannot be reached; nothing was saved, try again"
    log.warning("database unavailable during %s %s: %s", request.method, request.url.path, reason)  # not shown
    headers = {"Retry-After": str(RETRY_AFTER_S)}
    if _wants_page(request):
        page = _page(request, 503, code, message)
        page.headers.update(headers)
        return page
    return JSONResponse(error_body(code, message), status_code=503, headers=headers)


async def too_large(request: Request, exc: Exception) -> Response:
    """A body over its route's limit (homecoming.http.body_limit): refused before it was read whole."""
    assert isinstance(exc, BodyTooLarge)
    if _wants_page(request):
        return _page(request, 413, exc.code, exc.message)
    return JSONResponse(error_body(exc.code, exc.message, exc.details), status_code=413)


async def _server_error(request: Request, exc: Exception) -> Response:
    """A bug, not the caller's fault: the error shape, without any detail of the failure (the server logs it)."""
    message = "the server failed to answer this request; nothing more is said here, the server log has the details"
    return JSONResponse(error_body("server.error", message), status_code=500, headers=dict(SECURITY_HEADERS))
