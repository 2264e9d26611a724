"""Issue 22: the duplicate search as a durable job, both engines: queued by a registrar, one at a time, run by a worker
into the review list with its audit entry, cancelled by a registrar (not a planner), a second run keeping the
decisions; and a real `homecoming worker` SIGKILLed mid-run leaves no half-written list, the next worker completing it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from job_support import job, queue_plan, wait_finished
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from worker_process import integrity, kill_paused, rescuer

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.db.session import unit_of_work
from homecoming.errors import Conflict, Forbidden
from homecoming.households import actions
from homecoming.households import jobs as search_jobs
from homecoming.households.models import DuplicateCandidate, DuplicateStatus, Household, HouseholdMember, Sex
from homecoming.jobs import actions as jobs_actions
from homecoming.jobs import service as jobs_service
from homecoming.jobs.models import JobStatus
from homecoming.jobs.worker import Worker

GIVEN = ("Rəşad", "Könül", "Elvin", "Aysel", "Tural", "Nərmin", "Orxan", "Səbinə", "Kamran", "Günay")
FAMILY = ("Həsənov", "Əliyeva", "Quliyev", "Məmmədova", "Cəfərov", "İsmayılova", "Abbasov", "Hüseynova", "Babayev",
          "Nəbiyeva")  # fmt: skip
# Two people registered twice, in another household and another spelling (zabukh-0/1 and zabukh-1/1).
TWICE = (("zabukh-5", "Rashad", "Hasanov", 0), ("zabukh-6", "Konul", "Aliyeva", 1))


def born(n: int) -> dt.date:
    return dt.date(1950 + n, 1 + n % 12, 1 + n)


def with_people(engine: Engine) -> None:
    """One person in each of the ten households (each born in another year), and two of them registered twice."""
    with unit_of_work(engine) as session:
        homes = {h.code: h.id for h in session.scalars(select(Household))}
        for n in range(10):
            session.add(HouseholdMember(household_id=homes[f"zabukh-{n}"], number=1, given_name=GIVEN[n],
                                        family_name=FAMILY[n], birth_date=born(n), sex=Sex.MALE if n % 2 == 0
                                        else Sex.FEMALE, specific_needs=[]))  # fmt: skip
        for code, given, family, n in TWICE:
            session.add(HouseholdMember(household_id=homes[code], number=2, given_name=given, family_name=family,
                                        birth_date=born(n), sex=Sex.MALE if n % 2 == 0 else Sex.FEMALE,
                                        specific_needs=[]))  # fmt: skip
        session.add_all([User(username=role.value, password_hash="x", role=role, active=True)
                         for role in (Role.REGISTRAR, Role.PLANNER)])  # fmt: skip


def user(session: Session, role: Role) -> User:
    return session.scalars(select(User).where(User.username == role.value)).one()


def start(engine: Engine) -> str:
    with unit_of_work(engine) as session:
        return actions.start_duplicate_search(session, user(session, Role.REGISTRAR), now=jobs_service.utcnow()).code


def review_list(engine: Engine) -> list[tuple[str, str, DuplicateStatus]]:
    with Session(engine) as session:
        pairs = session.scalars(select(DuplicateCandidate))
        return sorted((c.member.code, c.other_member.code, c.status) for c in pairs)


def searches_audited(engine: Engine) -> list[tuple[str, str, str]]:
    with Session(engine) as session:
        query = select(AuditEntry).where(AuditEntry.table_name == "duplicate_candidates").order_by(AuditEntry.id)
        return [(e.username, e.action, e.record_code) for e in session.scalars(query)]


FOUND = [("zabukh-0/1", "zabukh-5/2", DuplicateStatus.OPEN), ("zabukh-1/1", "zabukh-6/2", DuplicateStatus.OPEN)]


def test_a_search_job_fills_the_review_list_once_and_a_second_keeps_the_decisions(registry: Engine) -> None:
    with_people(registry)
    code = start(registry)
    with pytest.raises(Conflict) as twice:
        start(registry)
    assert twice.value.code == "households.search_under_way" and twice.value.details == {"job": code}
    assert Worker(registry, poll_s=0.1).run(once=True) == 1
    done = job(registry, code)
    assert (done.status, done.percent, done.requested_by) == (JobStatus.DONE, 100, "registrar"), done.message
    assert done.result == {"found": 2, "added": 2, "dropped": 0, "threshold": 0.5, "people": 12,
                           "review_url": "/duplicate-candidates"}  # fmt: skip
    assert review_list(registry) == FOUND
    assert searches_audited(registry) == [("registrar", "import", code)]
    with Session(registry) as session:  # counts of the registry's people: for those who may read the registry
        withheld = [jobs_actions.visible_job(session, reader, code)[1]
                    for reader in (None, user(session, Role.PLANNER), user(session, Role.REGISTRAR))]  # fmt: skip
    assert withheld == [True, True, False]
    with unit_of_work(registry) as session:
        first = session.scalars(select(DuplicateCandidate).order_by(DuplicateCandidate.id)).first()
        assert first is not None
        actions.decide_duplicate(session, user(session, Role.REGISTRAR), first.id, DuplicateStatus.DIFFERENT,
                                 now=jobs_service.utcnow(), version=first.version)  # fmt: skip
    again = start(registry)
    Worker(registry, poll_s=0.1).run(once=True)
    assert job(registry, again).result == done.result | {"added": 0}  # nothing put on the list twice
    assert review_list(registry) == [(*FOUND[0][:2], DuplicateStatus.DIFFERENT), FOUND[1]]


def test_a_registrar_cancels_a_search_and_only_the_kind_of_job_their_role_runs(registry: Engine) -> None:
    with_people(registry)
    code = start(registry)
    queue_plan(registry, "plan-1")
    with unit_of_work(registry) as session:
        registrar, planner = user(session, Role.REGISTRAR), user(session, Role.PLANNER)
        for actor, other in ((planner, code), (registrar, "plan-1")):
            with pytest.raises(Forbidden):
                jobs_actions.cancel_job(session, actor, other, now=jobs_service.utcnow())
        assert jobs_actions.may_cancel(registrar, jobs_service.get(session, code))
        assert not jobs_actions.may_cancel(planner, jobs_service.get(session, code))
        jobs_actions.cancel_job(session, registrar, code, now=jobs_service.utcnow())
    assert job(registry, code).status == JobStatus.CANCELLED
    assert review_list(registry) == []
    assert job(registry, "plan-1").status == JobStatus.QUEUED
    start(registry)  # a cancelled search no longer stands in the way of the next


@pytest.mark.parametrize("stage", [search_jobs.STORING, search_jobs.COMMITTING])
def test_a_worker_killed_mid_search_leaves_no_pair_and_the_next_worker_completes_it(
    registry: Engine, database_url: str, stage: str
) -> None:
    with_people(registry)
    code = start(registry)
    kill_paused(database_url, stage)
    assert (job(registry, code).status, job(registry, code).attempts) == (JobStatus.RUNNING, 1)
    assert integrity(registry) == "ok"
    assert (review_list(registry), searches_audited(registry)) == ([], [])  # not a pair, no entry
    with rescuer(database_url):
        done = wait_finished(registry, code)
    assert (done.status, done.attempts, done.result and done.result["added"]) == (JobStatus.DONE, 2, 2), done.message
    assert review_list(registry) == FOUND
    assert searches_audited(registry) == [("registrar", "import", code)]
    with Session(registry) as session:
        assert session.scalar(select(func.count()).select_from(DuplicateCandidate)) == 2
