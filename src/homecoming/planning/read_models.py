"""What the plan pages read: the runs listed, the jobs under way, a run's ready dates, its districts and its
schedule as the Gantt chart lays it out. Plain records (stored rows where a page shows many of their fields); the
pages only render them. Counts of households and people go through `actions.visible_figures`, never from here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from homecoming.audit.models import AuditEntry
from homecoming.db.crud import get_by_code
from homecoming.jobs.models import Job, JobKind, JobStatus
from homecoming.phrases import N_, Phrase
from homecoming.planning import approvals, messages, results
from homecoming.planning.models import ApprovalState, PlanApproval, PlanRun, PlanSettlement, PlanTask
from homecoming.risk.models import PlanRisk
from homecoming.territory.models import District, Settlement

RUNS_LISTED = 100
JOBS_UNDER_WAY = 20
PLAN_JOBS_LISTED = 10


def recent_runs(session: Session, limit: int = RUNS_LISTED) -> list[PlanRun]:
    """The latest plan runs, newest first (what-ifs included: the staff's list, not the official forecast)."""
    query = select(PlanRun).order_by(PlanRun.created_at.desc(), PlanRun.id.desc()).limit(limit)
    return list(session.scalars(query))


def runs_under_way(session: Session) -> list[Job]:
    query = (
        select(Job)
        .where(Job.kind == JobKind.PLAN_RUN, Job.status != JobStatus.DONE)
        .order_by(Job.created_at.desc(), Job.id.desc())
        .limit(JOBS_UNDER_WAY)
    )
    return list(session.scalars(query))


def run_named(session: Session, code: str) -> PlanRun | None:
    """The stored run of this code, or None while it is still a job (or never was)."""
    return session.scalars(select(PlanRun).where(PlanRun.code == code)).one_or_none()


def run_of_code(session: Session, code: str) -> PlanRun:
    """The stored run of this code; NotFound (plan_runs.not_found) when there is none."""
    return get_by_code(session, PlanRun, code)


def has_risk(session: Session, run: PlanRun) -> bool:
    return session.scalar(select(PlanRisk.id).where(PlanRisk.plan_run_id == run.id).limit(1)) is not None


def task_labels(session: Session, run: PlanRun) -> dict[str, str]:
    """Each task's label as a sentence a page translates (a risk run keeps only its English words)."""
    query = select(PlanTask.task, PlanTask.label).where(PlanTask.plan_run_id == run.id)
    return {task: messages.label(label).phrase() for task, label in session.execute(query)}


def plan_jobs(session: Session, plan_code: str) -> list[Job]:
    """The latest risk runs and sweeps made from this plan run (the payload names it)."""
    recent = session.scalars(
        select(Job).where(Job.kind.in_([JobKind.RISK_RUN, JobKind.SWEEP])).order_by(Job.id.desc()).limit(200)
    )
    return [job for job in recent if job.payload.get("plan_run") == plan_code][:PLAN_JOBS_LISTED]


@dataclass(frozen=True)
class ReadyRow:
    settlement_id: int
    code: str
    name: str
    district: str
    ready_date: dt.date


def ready_rows(session: Session, run: PlanRun) -> list[ReadyRow]:
    """Each settlement of the plan with its district and the date it is ready, soonest first."""
    query = (
        select(Settlement.id, Settlement.code, Settlement.name, District.name, PlanSettlement.ready_date)
        .join(Settlement, Settlement.id == PlanSettlement.settlement_id)
        .join(District, District.id == Settlement.district_id)
        .where(PlanSettlement.plan_run_id == run.id)
        .order_by(PlanSettlement.ready_date, Settlement.name)
    )  # fmt: skip
    return [ReadyRow(i, code, name, district, day) for i, code, name, district, day in session.execute(query)]


def districts_of(session: Session, run: PlanRun) -> list[tuple[str, str]]:
    """Code and name of the districts with a settlement in the plan, by name (the Gantt's filter)."""
    rows = session.execute(
        select(District.code, District.name)
        .join(Settlement, Settlement.district_id == District.id)
        .join(PlanSettlement, PlanSettlement.settlement_id == Settlement.id)
        .where(PlanSettlement.plan_run_id == run.id)
        .group_by(District.code, District.name)
        .order_by(District.name)
    )
    return [(c, n) for c, n in rows]


@dataclass(frozen=True)
class Named:
    code: str
    name: str


@dataclass(frozen=True)
class Schedule:
    """A run's tasks (of one district, or all) with where each is, the settlements' ready months, and the names."""

    tasks: list[PlanTask]
    places: dict[int, results.Place]  # by task id
    ready: dict[int, PlanSettlement]  # by settlement id
    settlements: dict[int, Named]
    districts: dict[int, Named]


def schedule(session: Session, run: PlanRun, district_id: int | None = None) -> Schedule:
    tasks = list(session.scalars(results.task_query(run.id, district_id=district_id)))
    ready = session.scalars(select(PlanSettlement).where(PlanSettlement.plan_run_id == run.id))
    return Schedule(
        tasks=tasks,
        places=results.places(session, tasks),
        ready={s.settlement_id: s for s in ready},
        settlements={s.id: Named(s.code, s.name) for s in session.scalars(select(Settlement))},
        districts={d.id: Named(d.code, d.name) for d in session.scalars(select(District))},
    )


@dataclass(frozen=True)
class ApprovalOfRun:
    """Where a run stands on its way to being the official plan (`approval` None: never proposed)."""

    approval: PlanApproval | None
    author: str | None  # who made the run (never its approver)
    official: bool  # the approved run approved last: the public forecast


def approval_of(session: Session, run: PlanRun) -> ApprovalOfRun:
    official = official_plan(session)
    return ApprovalOfRun(
        approvals.find(session, run), approvals.author_of(session, run), official is not None and official.run is run
    )


# A change of the registry a plan reads, made after the plan read it (table, audit action): what a reader is told.
CHANGED_SINCE = {
    ("hazard_areas", "create"): N_("A hazard area was added on {date}; this forecast predates it."),
    ("hazard_areas", "update"): N_("A hazard area was changed on {date}; this forecast predates it."),
    ("hazard_areas", "delete"): N_("A hazard area was removed on {date}; this forecast predates it."),
    ("hazard_areas", "import"): N_("Hazard areas were imported on {date}; this forecast predates them."),
    ("land_release_activities", "create"): N_("Land was released from a hazard area on {date}; this forecast "
                                              "predates it."),
    ("projects", "create"): N_("A works project was added on {date}; this forecast predates it."),
    ("projects", "update"): N_("A works project was changed on {date}; this forecast predates it."),
    ("projects", "delete"): N_("A works project was removed on {date}; this forecast predates it."),
    ("projects", "import"): N_("Works projects were imported on {date}; this forecast predates them."),
    ("settlements", "create"): N_("A settlement was added on {date}; this forecast predates it."),
    ("settlements", "update"): N_("A settlement was changed on {date}; this forecast predates it."),
    ("settlements", "delete"): N_("A settlement was removed on {date}; this forecast predates it."),
    ("settlements", "import"): N_("Settlements were imported on {date}; this forecast predates them."),
}  # fmt: skip
# The registry of households changes often and is personal data: one sentence, however it changed.
HOUSEHOLDS_CHANGED = N_("The household registry changed on {date}; this forecast predates it.")


@dataclass(frozen=True)
class OfficialPlan:
    """The approved plan run approved last: what the public pages, the open data and the map forecast from."""

    run: PlanRun
    approved_on: dt.date
    changed_since: list[Phrase]  # registry changes made after the run read its inputs, each a sentence


def official_plan(session: Session) -> OfficialPlan | None:
    """The official plan, or None when no plan run has been approved (never the latest what-if)."""
    query = (
        select(PlanApproval, PlanRun)
        .join(PlanRun, PlanRun.id == PlanApproval.plan_run_id)
        .where(PlanApproval.state == ApprovalState.APPROVED)
        .order_by(PlanApproval.approved_at.desc(), PlanApproval.id.desc())
    )
    found = session.execute(query.limit(1)).first()
    if found is None:
        return None
    approval, run = found
    assert approval.approved_at is not None  # an approved run has its time
    return OfficialPlan(run, approval.approved_at.date(), changed_since(session, run))


def inputs_read_at(run: PlanRun) -> dt.datetime:
    """When the run read the registry: its start, the time it was stored less the seconds it took (and a second for
    the clocks' rounding: a change made about then counts as made after)."""
    return run.created_at - dt.timedelta(seconds=run.seconds + 1)


def changed_since(session: Session, run: PlanRun) -> list[Phrase]:
    """One sentence per kind of change the audit trail holds after the run read its inputs, with its latest date."""
    watched = {table for table, _ in CHANGED_SINCE} | {"households"}
    latest = session.execute(
        select(AuditEntry.table_name, AuditEntry.action, func.max(AuditEntry.at))
        .where(AuditEntry.table_name.in_(watched))
        .group_by(AuditEntry.table_name, AuditEntry.action)
    )
    since, said = inputs_read_at(run), dict[str, dt.date]()
    for table, action, at in latest:
        when = _utc(at)
        template = HOUSEHOLDS_CHANGED if table == "households" else CHANGED_SINCE.get((table, action))
        if template is not None and when > since and when.date() > said.get(template, dt.date.min):
            said[template] = when.date()
    order = [*CHANGED_SINCE.values(), HOUSEHOLDS_CHANGED]
    return [Phrase(template, date=day) for template, day in sorted(said.items(), key=lambda t: order.index(t[0]))]


def _utc(at: dt.datetime) -> dt.datetime:
    """The audit trail's time as naive UTC, like a run's (PostgreSQL gives it in the connection's zone)."""
    return at if at.tzinfo is None else at.astimezone(dt.UTC).replace(tzinfo=None)


def runs_listed(scenario: str | None) -> Select[PlanRun]:
    """The plan runs a list pages through, of one scenario when given."""
    query = select(PlanRun)
    if scenario is not None:
        query = query.where(PlanRun.scenario == scenario)
    return query


def run_size(session: Session, run: PlanRun) -> tuple[int, int]:
    """How many settlements and tasks a plan run holds."""

    def count(model: type[PlanTask] | type[PlanSettlement]) -> int:
        return session.scalar(select(func.count()).select_from(model).where(model.plan_run_id == run.id)) or 0

    return count(PlanSettlement), count(PlanTask)
