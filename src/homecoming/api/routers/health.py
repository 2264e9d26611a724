"""Health for load balancers and operators: /healthz (the process answers), /readyz (it can serve)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from homecoming import health
from homecoming.http.deps import public
from homecoming.http.errors import error_body
from homecoming.jobs import service as jobs_service

router = APIRouter(tags=["health"])
RETRY_AFTER_S = 5


@router.get("/healthz", dependencies=[Depends(public)])
def healthz() -> dict[str, str]:
    """The process answers. It asks nothing of the database: use /readyz for that."""
    return {"status": "ok"}


@router.get("/readyz", dependencies=[Depends(public)], responses={503: {"description": "not ready"}})
async def readyz(request: Request) -> Any:
    """The database answers, its schema is at the newest migration and a job worker is alive; else 503."""
    state = await run_in_threadpool(health.readiness, request.app.state.engine, jobs_service.utcnow())
    if state.ready:
        return {"status": "ready", "checks": state.as_details()}
    failed = [check for check in state.checks if not check.ok]
    body = error_body("health.not_ready", "; ".join(check.message for check in failed), {"checks": state.as_details()})
    return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})
