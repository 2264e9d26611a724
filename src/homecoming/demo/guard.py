"""Which records in a database the demo did not make: `homecoming demo` erases the database only when there are none.

Every table is looked at, including tables added after this was written: a table the demo never fills must be
empty. The demo makes the reference rows of its own files (by code), synthetic households, the plan run "demo"
with its rows, its illustrative records (flagged `illustrative`) and the rows that hang on them (bids, milestones,
inspections, payments, committee seats and the committee's members), its `demo-` accounts and the audit entries
they wrote; anything else (an account, a bidder, a project of another code, another account's audit entry, a
job...) is a record someone made, and the demo refuses to erase it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import ColumnElement, Select, Table, func, inspect, or_, select, table
from sqlalchemy.orm import Session

import homecoming.db.models  # noqa: F401  (registers every table)
from homecoming.accounts.models import User
from homecoming.audit.models import AuditEntry
from homecoming.db.base import Base
from homecoming.demo.illustrative import ACCOUNT_PREFIX
from homecoming.households.models import Household
from homecoming.interchange.files import read_rows
from homecoming.planning.models import PlanRun
from homecoming.procurement.models import CommitteeMember, CommitteeSeat, Tender

DEMO_PLAN_RUN = "demo"
NOT_RECORDS = {"alembic_version"}  # the schema's own bookkeeping


def foreign_records(session: Session, data: Path) -> dict[str, int]:
    """Table name -> how many of its rows the demo did not make (tables with none are left out)."""
    demo_runs = select(PlanRun.id).where(PlanRun.code == DEMO_PLAN_RUN).scalar_subquery()
    found: dict[str, int] = {}
    for name in sorted(inspect(session.connection()).get_table_names()):
        if name in NOT_RECORDS:
            continue
        known = Base.metadata.tables.get(name)
        foreign = _not_made_by_demo(known, data, demo_runs) if known is not None else None
        query = select(func.count()).select_from(known if known is not None else table(name))
        count = session.scalar(query.where(foreign) if foreign is not None else query) or 0
        if count:
            found[name] = count
    return found


def _illustrative_ids(known: Table, depth: int = 0) -> Select[tuple[int]] | None:
    """The ids of a table's illustrative rows, or of its rows that hang on one (a milestone on an illustrative
    contract, an inspection on that milestone); None when the table has neither."""
    if "illustrative" in known.c:
        return select(known.c.id).where(known.c.illustrative.is_(True))
    if depth > 3 or "id" not in known.c:
        return None
    conditions = []
    for column in known.c:
        for fk in column.foreign_keys:
            parents = _illustrative_ids(fk.column.table, depth + 1)
            if parents is not None:
                conditions.append(column.in_(parents))
    return select(known.c.id).where(or_(*conditions)) if conditions else None


def _not_made_by_demo(known: Table, data: Path, demo_runs: ColumnElement[int]) -> ColumnElement[bool] | None:
    """The condition a row the demo did not make meets; None when every row of the table counts."""
    if known.name in (User.__tablename__, AuditEntry.__tablename__):  # the demo's accounts and what they did
        return known.c.username.not_like(f"{ACCOUNT_PREFIX}%")
    if known.name == CommitteeMember.__tablename__:  # the members seated on the demo's tender are the demo's
        seats, tenders = CommitteeSeat.__table__, Tender.__table__
        made_up = select(tenders.c.id).where(tenders.c.illustrative.is_(True))
        return known.c.id.not_in(select(seats.c.member_id).where(seats.c.tender_id.in_(made_up)))
    if "plan_run_id" in known.c:  # a risk run of the demo's plan too, illustrative or not
        return known.c.plan_run_id.not_in(demo_runs)
    if "illustrative" in known.c:
        return known.c.illustrative.is_(False)
    if (illustrative := _illustrative_ids(known)) is not None:
        return known.c.id.not_in(illustrative)
    if known.name == Household.__tablename__:
        return known.c.synthetic.is_(False)
    if known.name == PlanRun.__tablename__:
        return known.c.code != DEMO_PLAN_RUN
    source = data / f"{known.name}.csv"
    if source.exists() and "code" in known.c:
        header, rows = read_rows(source)
        codes = {values[header.index("code")] for _, values in rows}
        return known.c.code.not_in(codes)
    return None
