"""A job worker: claims queued jobs from the database, runs them, keeps its lease alive with a heartbeat.

`homecoming worker` runs one in its own process; `homecoming serve` runs one in a thread beside the web server. Any
number may point at one PostgreSQL database, on any machine: only the jobs table decides who runs what.

Each job's work happens in the handler's own unit of work, which also marks the job done (`JobContext.finish`), so
the work and its 'done' commit together or not at all: a worker killed at any point leaves no half-written result,
and the job is run again by the next worker (once; see `service.reap_expired`).

Test hook (the fault tests use it, nothing else should): with HOMECOMING_JOB_TEST_PAUSE_AT=<stage key> in its
environment, a worker prints `paused at <key>` on its standard output when a job reaches that stage and then waits
for ever, so that a test can kill it there. The plan run's keys are in `homecoming.planning.jobs.STAGE_KEYS`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from homecoming.db.session import unit_of_work
from homecoming.errors import DomainError
from homecoming.jobs import service
from homecoming.jobs.models import JobKind, JobStatus
from homecoming.jobs.service import LeaseLost

log = logging.getLogger(__name__)
PAUSE_ENV = "HOMECOMING_JOB_TEST_PAUSE_AT"
LEASE_S = 60.0  # a job's lease; renewed every quarter of it while the job runs
POLL_S = 1.0  # how often an idle worker looks for a queued job
Clock = Callable[[], dt.datetime]


class WorkerStopping(Exception):  # the worker was asked to stop: the job goes back to the queue
    """Raised at the next stage boundary once the worker is stopping (SIGTERM, or the server shutting down)."""


class JobCancelled(Exception):  # a request, not an error
    """Somebody asked to cancel the job; raised at the next stage boundary or tick, so the work rolls back."""


@dataclass
class JobContext:
    """What a handler gets: the job's input, and the means to report progress and to finish."""

    engine: Engine
    job_id: int
    code: str
    payload: dict[str, Any]
    owner: str
    clock: Clock
    cancel: threading.Event = field(default_factory=threading.Event)
    lost: threading.Event = field(default_factory=threading.Event)
    stopping: threading.Event = field(default_factory=threading.Event)
    pause_at: str | None = None

    def check(self) -> None:
        """Stop here if the job was cancelled, another worker holds it now, or this worker is stopping."""
        if self.lost.is_set():
            raise LeaseLost(f"job {self.code} is no longer held by {self.owner}")
        if self.cancel.is_set():
            raise JobCancelled(self.code)
        if self.stopping.is_set():
            raise WorkerStopping(self.code)

    def stage(self, key: str, text: str, percent: int) -> None:
        """A stage boundary: written in a short transaction of its own (a poller sees it), then checked."""
        self.check()
        self.record(stage=text[:200], percent=percent)
        self.checkpoint(key)

    def checkpoint(self, key: str) -> None:
        """A boundary that writes nothing (e.g. inside the work's open write transaction, which SQLite would lock)."""
        self.check()
        if self.pause_at == key:
            _pause(key)

    def record(self, **values: Any) -> None:
        with unit_of_work(self.engine) as session:
            held, cancel = service.record(session, self.job_id, self.owner, **values)
        if not held:
            self.lost.set()
        if cancel:
            self.cancel.set()

    def finish(self, session: Session, message: str, result: dict[str, Any]) -> None:
        """Mark the job done inside the work's own transaction (committed with it, or not at all)."""
        self.check()
        service.finish(session, self.job_id, self.owner, self.clock(), JobStatus.DONE, message=message, result=result)


Handler = Callable[[JobContext], None]


def _plain(details: dict[str, Any]) -> dict[str, Any]:
    """An error's details as JSON can hold them (a date or a phrase as its text), for the failed job's result."""
    return dict(json.loads(json.dumps(details, default=str)))


def _pause(key: str) -> None:
    print(f"paused at {key}", flush=True)
    while True:
        time.sleep(3600)


def default_handlers() -> dict[JobKind, Handler]:
    """Each kind's work (imported here: the domains import this package's service, not the other way round)."""
    from homecoming.households import jobs as household_jobs
    from homecoming.interchange import import_jobs
    from homecoming.planning import jobs as plan_jobs
    from homecoming.risk import jobs as risk_jobs

    return {
        JobKind.PLAN_RUN: plan_jobs.run_plan_job,
        JobKind.RISK_RUN: risk_jobs.run_risk_job,
        JobKind.SWEEP: risk_jobs.run_sweep_job,
        JobKind.IMPORT: import_jobs.run_import_job,
        JobKind.DUPLICATE_SEARCH: household_jobs.run_search_job,
    }


class Worker:
    def __init__(
        self, engine: Engine, *, poll_s: float = POLL_S, lease_s: float = LEASE_S, clock: Clock = service.utcnow,
        handlers: dict[JobKind, Handler] | None = None,
    ) -> None:  # fmt: skip
        self.engine, self.poll_s, self.lease_s, self.clock = engine, poll_s, lease_s, clock
        self.handlers = handlers if handlers is not None else default_handlers()
        self.name = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.stopping = threading.Event()
        self.current: JobContext | None = None
        self.pause_at = os.environ.get(PAUSE_ENV) or None

    def run(self, once: bool = False) -> int:
        """Take jobs until stopped (or, with `once`, until none is queued); answers how many it ran.

        `stopping.set()` (from a signal handler or another thread) stops it: a job under way is rolled back at its
        next stage boundary and queued again, its try not counted.
        """
        with unit_of_work(self.engine) as session:
            service.register_worker(session, self.name, socket.gethostname(), os.getpid(), self.clock())
        heart = threading.Thread(target=self._heartbeat, name=f"job-worker-heartbeat-{self.name}", daemon=True)
        heart.start()
        ran = 0
        try:
            while not self.stopping.is_set():
                try:
                    took = self.run_one()
                except OperationalError:  # a busy SQLite file or a dropped connection: look again after a pause
                    log.warning("worker %s: the database did not answer; trying again", self.name, exc_info=True)
                    took = False
                if took:
                    ran += 1
                elif once:
                    break
                else:
                    self.stopping.wait(self.poll_s)
        finally:
            self.stopping.set()
            heart.join(timeout=self.lease_s)
            try:
                with unit_of_work(self.engine) as session:
                    service.deregister_worker(session, self.name)
            except Exception:  # the database may be what stopped us
                log.warning("could not remove worker %s from the workers table", self.name, exc_info=True)
        return ran

    def run_one(self) -> bool:
        """Reap jobs of dead workers, claim one, run it; False when nothing was queued."""
        with unit_of_work(self.engine) as session:
            for code, status in service.reap_expired(session, self.clock()):
                log.warning("job %s lost its worker: now %s", code, status)
        with unit_of_work(self.engine) as session:
            job = service.claim(session, self.name, self.clock(), self.lease_s, tuple(self.handlers))
            if job is None:
                return False
            context = JobContext(self.engine, job.id, job.code, dict(job.payload), self.name, self.clock,
                                 stopping=self.stopping, pause_at=self.pause_at)  # fmt: skip
            kind = job.kind
        log.info("job %s (%s): taken by %s, try %d", job.code, kind, self.name, job.attempts)
        self.current = context
        try:
            self._execute(context, self.handlers[kind])
        except BaseException:  # stopped on purpose mid-job (Ctrl-C): let the next worker take it, try not counted
            self._release(context)
            raise
        finally:
            self.current = None
        return True

    def _execute(self, context: JobContext, handler: Handler) -> None:
        try:
            handler(context)
            log.info("job %s: done", context.code)
        except WorkerStopping:
            log.info("job %s: worker stopping; rolled back and queued again", context.code)
            self._release(context)
        except JobCancelled:
            self._end(context, JobStatus.CANCELLED, None, "cancelled on request; nothing of it was kept")
        except LeaseLost:
            log.warning("job %s: lease lost; its work was rolled back and is left to the worker holding it now",
                        context.code)  # fmt: skip
        except DomainError as exc:
            log.info("job %s: failed (%s)", context.code, exc.code)
            self._end(context, JobStatus.FAILED, exc.code, str(exc.message), _plain(exc.details))
        except Exception as exc:  # a bug or a lost database: still tell the poller, not only the log
            log.exception("job %s stopped", context.code)
            self._end(context, JobStatus.FAILED, "job.crashed", f"the job stopped unexpectedly "
                      f"({type(exc).__name__}); the worker's log has the details")  # fmt: skip

    def _end(
        self, context: JobContext, status: JobStatus, error_code: str | None, message: str,
        details: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        try:
            with unit_of_work(self.engine) as session:
                service.finish(session, context.job_id, self.name, self.clock(), status, message=message,
                               error_code=error_code, result=details or None)  # fmt: skip
        except LeaseLost:
            log.warning("job %s ended (%s) after its lease was lost; left to the worker holding it", context.code,
                        status)  # fmt: skip
        except Exception:
            log.exception("could not record that job %s ended (%s)", context.code, status)

    def _release(self, context: JobContext) -> None:
        try:
            with unit_of_work(self.engine) as session:
                service.release(session, context.job_id, self.name)
        except Exception:
            log.warning("could not release job %s; its lease will run out", context.code, exc_info=True)

    def _heartbeat(self) -> None:
        """Say the worker is alive and renew the running job's lease, every quarter of the lease."""
        while not self.stopping.wait(self.lease_s / 4):
            try:
                self._beat()
            except Exception:  # a busy SQLite file or a dropped connection: the next beat tries again
                log.warning("worker %s: heartbeat failed", self.name, exc_info=True)

    def _beat(self) -> None:
        current, now = self.current, self.clock()
        with unit_of_work(self.engine) as session:
            if not service.beat(session, self.name, now, current.job_id if current else None):
                service.register_worker(session, self.name, socket.gethostname(), os.getpid(), now)
            if current is not None:
                held, cancel = service.renew(session, current.job_id, self.name, now, self.lease_s)
                if not held:
                    current.lost.set()
                if cancel:
                    current.cancel.set()


def start_in_thread(
    engine: Engine, *, poll_s: float = POLL_S, lease_s: float = LEASE_S
) -> tuple[Worker, threading.Thread]:
    """An embedded worker (for `homecoming serve` and tests): stop it with `worker.stopping.set()` and join."""
    worker = Worker(engine, poll_s=poll_s, lease_s=lease_s)

    def run() -> None:
        try:
            worker.run()
        except Exception:  # say so beside the server's own log: without a worker, jobs wait in the queue
            log.exception("the embedded job worker stopped; queued jobs wait for a `homecoming worker`")

    thread = threading.Thread(target=run, name="job-worker", daemon=True)
    thread.start()
    return worker, thread
