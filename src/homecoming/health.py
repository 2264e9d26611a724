"""Is this process able to serve: the checks behind `GET /readyz`, written once for the API and the CLI.

Each check answers with a stable code when it fails, so a load balancer or an operator's script can tell a database
that is down from one that is only behind on its migrations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from homecoming.db.migrate import newest_revision, schema_behind, schema_revision
from homecoming.db.session import unit_of_work
from homecoming.jobs import service as jobs_service
from homecoming.jobs.service import WORKER_ALIVE_S


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    code: str | None = None  # stable, when not ok
    message: str = ""


@dataclass(frozen=True)
class Readiness:
    checks: list[Check] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_details(self) -> dict[str, dict[str, object]]:
        return {c.name: {"ok": c.ok, "code": c.code, "message": c.message} for c in self.checks}


def readiness(engine: Engine, now: dt.datetime) -> Readiness:
    """Database reachable, its schema at the newest migration this installation ships, and a job worker alive."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            database = Check("database", True, message=f"{engine.dialect.name} answers")
            at = schema_revision(connection)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).splitlines()[0] if str(exc) else type(exc).__name__
        database = Check("database", False, "health.database_unreachable", f"the database does not answer: {reason}")
        unknown = Check("schema", False, "health.schema_unknown", "not checked: no database")
        return Readiness([database, unknown, Check("workers", False, "health.workers_unknown", "not checked")])
    behind = schema_behind(at)
    if behind is None:
        schema = Check("schema", True, message=f"at revision {newest_revision()}")
    else:
        schema = Check("schema", False, "health.schema_behind", behind)
    return Readiness([database, schema, _workers(engine, now) if schema.ok else _NOT_CHECKED])


_NOT_CHECKED = Check("workers", False, "health.workers_unknown", "not checked: the schema is not current")


def _workers(engine: Engine, now: dt.datetime) -> Check:
    with unit_of_work(engine) as session:
        alive = jobs_service.live_workers(session, now)
    if alive:
        return Check("workers", True, message=f"{alive} job worker(s) heard from in the last {WORKER_ALIVE_S} s")
    return Check(
        "workers", False, "health.no_worker",
        f"no job worker heard from in the last {WORKER_ALIVE_S} s: long work would wait; "
        "start `homecoming worker` or `homecoming serve` without --no-worker",
    )  # fmt: skip
