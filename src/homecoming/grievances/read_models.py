"""What the pages and lists read of grievances: the staff's list statement, the public statistics (through the one
disclosure rule) and the open grievances of each project."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.db.crud import where_equal
from homecoming.disclosure.rule import Group, is_small, withhold, words
from homecoming.grievances.models import Grievance, GrievanceCategory, GrievanceStatus, SubjectKind
from homecoming.territory.models import District

UNANSWERED = (GrievanceStatus.OPEN, GrievanceStatus.ESCALATED)
NO_DISTRICT = ""  # a grievance of the whole programme (a tender without a district)


def grievances_listed(
    status: GrievanceStatus | None, district_id: int | None, role: Role | None = None
) -> Select[Grievance]:
    given = (Grievance.assigned_role, role), (Grievance.status, status), (Grievance.district_id, district_id)
    return where_equal(select(Grievance), *given)


@dataclass(frozen=True)
class Cell:
    """A published count: `count` None when withheld; `small` when withheld for being small (shown `<threshold`)."""

    count: int | None
    small: bool = False


@dataclass(frozen=True)
class GrievanceStatistics:
    total: Cell
    answered: Cell
    unanswered: Cell
    overdue: Cell
    within_time: Cell
    by_category: dict[str, Cell]
    by_district: dict[str, Cell]  # district code (NO_DISTRICT: the whole programme)
    by_subject: dict[str, Cell]
    median_days_to_answer: float | None  # None: nothing answered yet, or too few answers to publish
    threshold: int


def statistics_of(session: Session, now: dt.datetime, threshold: int) -> GrievanceStatistics:
    """Counts by category, district and subject, answered, open and overdue; every table sums to the total, so the
    whole set passes `disclosure.rule.withhold` together (small counts and their complements withheld)."""
    rows = session.execute(
        select(Grievance.category, District.code, Grievance.subject_kind, Grievance.status, Grievance.filed_at,
               Grievance.due_at, Grievance.answered_at).outerjoin(District, District.id == Grievance.district_id)
    ).all()  # fmt: skip
    sizes: Counter[tuple[str, str]] = Counter({("total", ""): len(rows)})
    days: list[float] = []
    for category, district, kind, status, filed_at, due_at, answered_at in rows:
        sizes["category", category.value] += 1
        sizes["district", district or NO_DISTRICT] += 1
        sizes["subject", kind.value] += 1
        if status in UNANSWERED:
            sizes["status", "unanswered"] += 1
            sizes["status", "overdue" if now >= due_at else "within_time"] += 1
        else:
            sizes["status", "answered"] += 1
            days.append(((answered_at or filed_at) - filed_at).total_seconds() / 86400)
    for key in _every_cell(sizes):
        sizes.setdefault(key, 0)
    hidden = withhold(sizes, _groups(sizes), threshold)

    def cell(key: tuple[str, str]) -> Cell:
        return Cell(None, is_small(sizes[key], threshold)) if key in hidden else Cell(sizes[key])

    def table(dimension: str) -> dict[str, Cell]:
        return {key[1]: cell(key) for key in sorted(sizes) if key[0] == dimension}

    answered = cell(("status", "answered"))
    return GrievanceStatistics(
        total=cell(("total", "")),
        answered=answered,
        unanswered=cell(("status", "unanswered")),
        overdue=cell(("status", "overdue")),
        within_time=cell(("status", "within_time")),
        by_category=table("category"),
        by_district=table("district"),
        by_subject=table("subject"),
        median_days_to_answer=round(statistics.median(days), 1) if days and answered.count else None,
        threshold=threshold,
    )


def _every_cell(sizes: Counter[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    """Every category, subject and status shown, counted or not (a zero is published: it says nothing)."""
    yield from (("category", c.value) for c in GrievanceCategory)
    yield from (("subject", k.value) for k in SubjectKind)
    yield from (("status", s) for s in ("answered", "unanswered", "overdue", "within_time"))


def _groups(sizes: Counter[tuple[str, str]]) -> list[Group[tuple[str, str]]]:
    total = ("total", "")
    groups = [Group(total, tuple(k for k in sorted(sizes) if k[0] == d)) for d in ("category", "district", "subject")]
    groups.append(Group(total, (("status", "answered"), ("status", "unanswered"))))
    groups.append(Group(("status", "unanswered"), (("status", "overdue"), ("status", "within_time"))))
    return groups


def open_by_project(session: Session, project_codes: Iterable[str], threshold: int) -> dict[str, int | str]:
    """Unanswered grievances per project (for its line on the settlement page), small counts as `<threshold`."""
    codes = list(project_codes)
    if not codes:
        return {}
    counted = session.execute(
        select(Grievance.subject_code, func.count())
        .where(Grievance.subject_kind == SubjectKind.PROJECT, Grievance.subject_code.in_(codes),
               Grievance.status.in_(UNANSWERED))
        .group_by(Grievance.subject_code)
    ).all()  # fmt: skip
    return {code: words(count, threshold) for code, count in counted}
