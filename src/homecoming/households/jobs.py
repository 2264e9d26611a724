"""The duplicate search as a `duplicate_search` job for the job workers (or inline, from the command line).

The search over the whole registry is long work (splink on DuckDB), so a request only queues it (house rule 3). The
worker reads the people in a short transaction of its own, searches outside any transaction, then stores the pairs,
writes the one audit entry and marks the job done in ONE unit of work: a worker killed at any point leaves the review
list as it was, and the next worker runs the search again. Stored pairs keep the registrars' decisions
(duplicates.store_candidates), so a second search never puts a decided pair back. One search at a time: a second one
is refused while one is queued or running (two would race for the same new pairs).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.audit import service as audit
from homecoming.db.session import unit_of_work
from homecoming.errors import Conflict
from homecoming.households import dedupe, duplicates
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import Job, JobKind, JobStatus
from homecoming.jobs.worker import JobContext

# The stage keys of a duplicate search (for the workers' test hook, see homecoming.jobs.worker): "storing" once the
# search is done, "committing" once the pairs and the audit entry are written and only the commit is left.
READING, SEARCHING, STORING, COMMITTING = "reading", "searching", "storing", "committing"
READING_PERCENT, SEARCHING_PERCENT, STORING_PERCENT = 5, 10, 90


def start_search_job(session: Session, requested_by: str, now: dt.datetime, seed: int = 0) -> Job:
    """A queued duplicate search (flushed, not committed); refused while another one is under way."""
    under_way = session.scalar(
        select(Job.code).where(Job.kind == JobKind.DUPLICATE_SEARCH,
                               Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING))).limit(1)
    )  # fmt: skip
    if under_way is not None:
        raise Conflict("households.search_under_way", f"a duplicate search is under way already ({under_way}): follow "
                       "it, or cancel it first", {"job": under_way})  # fmt: skip
    code = jobs_service.new_code(session, "duplicate-search", now)
    return jobs_service.enqueue(session, JobKind.DUPLICATE_SEARCH, code, {"seed": seed}, requested_by, now)


def latest_search(session: Session) -> Job | None:
    """The duplicate search asked for last (under way or finished), if any."""
    query = select(Job).where(Job.kind == JobKind.DUPLICATE_SEARCH).order_by(Job.created_at.desc(), Job.id.desc())
    return session.scalars(query.limit(1)).first()


def store_search(
    session: Session, found: list[dedupe.Candidate], username: str, code: str, now: dt.datetime
) -> duplicates.StoredPairs:
    """The search's pairs onto the review list, and one audit entry for the run (found, added, dropped)."""
    stored = duplicates.store_candidates(session, found, now)
    audit.record_import(session, username, "duplicate_candidates", code, summary(stored))
    return stored


def summary(stored: duplicates.StoredPairs) -> dict[str, float]:
    return {"found": stored.found, "added": stored.added, "dropped": stored.dropped, "threshold": dedupe.THRESHOLD}


def run_search_job(context: JobContext) -> None:
    """The worker's side: read, search, then store, audit and finish in one transaction."""
    context.stage(READING, "reading the registry's people", READING_PERCENT)
    with unit_of_work(context.engine) as session:
        people = duplicates.people_for_search(session)
        requested_by = jobs_service.get(session, context.code).requested_by
    context.stage(SEARCHING, f"comparing {len(people):,} people (splink)", SEARCHING_PERCENT)
    found = dedupe.find_duplicates(people, seed=int(context.payload.get("seed", 0)))
    context.stage(STORING, f"{len(found):,} likely pairs: putting them on the review list", STORING_PERCENT)
    with unit_of_work(context.engine) as session:
        stored = store_search(session, found, requested_by, context.code, context.clock())
        context.checkpoint(COMMITTING)
        message = (f"{stored.found:,} likely pairs — {stored.added:,} new on the review list, {stored.dropped:,} "
                   "open pairs no longer found taken off")  # fmt: skip
        result = summary(stored) | {"people": len(people), "review_url": "/duplicate-candidates"}
        context.finish(session, message, result)
