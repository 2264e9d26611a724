"""`homecoming worker`: take queued jobs (plan runs, risk runs, sweeps, imports) from the database and run them.

Start as many as you like on any machine that reaches the same PostgreSQL database; on SQLite run one (the one
`homecoming serve` embeds is enough on a laptop). SIGTERM or Ctrl-C stops it: a job under way is rolled back at its
next stage and queued again for the next worker.
"""

from __future__ import annotations

import logging
import signal
from types import FrameType

import typer
from sqlalchemy.exc import DBAPIError

from homecoming.cli.output import console, user_errors
from homecoming.db import get_engine
from homecoming.errors import RuleViolation
from homecoming.jobs import worker as jobs_worker


def worker(
    once: bool = typer.Option(False, "--once", help="Run the jobs queued now, then stop (default: wait for more)."),
    poll_seconds: float = typer.Option(
        jobs_worker.POLL_S, "--poll-seconds", min=0.05, help="How often an idle worker looks for a queued job."
    ),
    lease_seconds: float = typer.Option(
        jobs_worker.LEASE_S,
        "--lease-seconds",
        min=1.0,
        help="How long a job stays this worker's without a heartbeat (renewed every "
        "quarter of it); after that another worker may take it over.",
    ),
) -> None:
    """Run queued jobs until stopped; several workers share the queue through the jobs table."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with user_errors():
        engine = get_engine()
        runner = jobs_worker.Worker(engine, poll_s=poll_seconds, lease_s=lease_seconds)

        def stop(signum: int, _frame: FrameType | None) -> None:
            console.print(f"worker {runner.name}: {signal.Signals(signum).name}, stopping")
            runner.stopping.set()

        signal.signal(signal.SIGTERM, stop)
        console.print(f"worker {runner.name} waiting for jobs on {engine.url.render_as_string(hide_password=True)}"
                      f"{' (until the queue is empty)' if once else ''}", soft_wrap=True)  # fmt: skip
        try:
            ran = runner.run(once=once)
        except DBAPIError as exc:
            raise RuleViolation(
                "job.database_unusable",
                f"the worker cannot use the database ({type(exc.orig).__name__}); check HOMECOMING_DATABASE_URL and "
                "run `homecoming init` to bring its schema up to date",
            ) from None
    console.print(f"worker {runner.name}: {ran} job(s) run")
