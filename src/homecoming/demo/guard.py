"""Which records in a database the demo did not make: `homecoming demo` erases the database only when there are none.

Every table is looked at, including tables added after this was written: a table the demo never fills must be
empty. The demo makes the reference rows of its own files (by code), synthetic households, and the plan run "demo"
with its rows; anything else (an account, a bidder, a project of another code, an audit entry, a job...) is a
record someone made, and the demo refuses to erase it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import ColumnElement, Table, func, inspect, select, table
from sqlalchemy.orm import Session

import homecoming.db.models  # noqa: F401  (registers every table)
from homecoming.db.base import Base
from homecoming.households.models import Household
from homecoming.interchange.files import read_rows
from homecoming.planning.models import PlanRun

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


def _not_made_by_demo(known: Table, data: Path, demo_runs: ColumnElement[int]) -> ColumnElement[bool] | None:
    """The condition a row the demo did not make meets; None when every row of the table counts."""
    if known.name == Household.__tablename__:
        return known.c.synthetic.is_(False)
    if known.name == PlanRun.__tablename__:
        return known.c.code != DEMO_PLAN_RUN
    if "plan_run_id" in known.c:
        return known.c.plan_run_id.not_in(demo_runs)
    source = data / f"{known.name}.csv"
    if source.exists() and "code" in known.c:
        header, rows = read_rows(source)
        codes = {values[header.index("code")] for _, values in rows}
        return known.c.code.not_in(codes)
    return None
