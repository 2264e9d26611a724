"""A plan run as files a programme office can open: the schedule, readiness, allocation lists, a Gantt chart.

The allocation lists name households: they are personal data, for the registrar's office only.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.households.models import Household
from homecoming.interchange.files import write_rows
from homecoming.planning import messages
from homecoming.planning.models import PlanAllocation, PlanRun, PlanTask
from homecoming.planning.report import ready_dates
from homecoming.territory.models import Settlement

KIND_COLOURS = {"clearance": "#b2182b", "works": "#2166ac", "houses": "#4d9221", "proposed": "#999999"}


def export_plan(session: Session, run: PlanRun, folder: Path, *, file_type: str = "csv") -> list[Path]:
    """Write schedule, readiness and per-settlement allocation files and gantt.png into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [_schedule(session, run, folder / f"schedule.{file_type}")]
    readiness = folder / f"readiness.{file_type}"
    ready_rows = ([code, name, ready.isoformat(), people] for code, name, ready, people in ready_dates(session, run))
    write_rows(readiness, ["settlement", "name", "ready_from", "people_waiting"], ready_rows)
    written.append(readiness)
    written.extend(_allocations(session, run, folder / "allocations", file_type))
    written.append(gantt(session, run, folder / "gantt.png"))
    issues = folder / f"data_issues.{file_type}"
    write_rows(issues, ["issue"], ([text] for text in messages.english(run.data_issues)))
    written.append(issues)
    return written


def _schedule(session: Session, run: PlanRun, path: Path) -> Path:
    rows = session.execute(
        select(PlanTask.task, PlanTask.kind, PlanTask.label, Settlement.code, PlanTask.start_date, PlanTask.end_date)
        .outerjoin(Settlement, Settlement.id == PlanTask.settlement_id)
        .where(PlanTask.plan_run_id == run.id)
        .order_by(PlanTask.start_period, PlanTask.task)
    )
    header = ["task", "kind", "label", "settlement", "start", "end"]
    write_rows(path, header, ([t, k, str(messages.label(label)), s or "", a.isoformat(), b.isoformat()]
                              for t, k, label, s, a, b in rows))  # fmt: skip
    return path


def _allocations(session: Session, run: PlanRun, folder: Path, file_type: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    per_settlement: dict[str, list[list[object]]] = defaultdict(list)
    rows = session.execute(
        select(Settlement.code, Household.code, Household.size, PlanAllocation.rooms, PlanAllocation.move_date)
        .join(Household, Household.id == PlanAllocation.household_id)
        .outerjoin(Settlement, Settlement.id == PlanAllocation.settlement_id)
        .where(PlanAllocation.plan_run_id == run.id)
        .order_by(PlanAllocation.move_date, Household.code)
    )
    for settlement, household, size, rooms, moves in rows:
        per_settlement[settlement or "unplaced"].append(
            [household, size, rooms or "", moves.isoformat() if moves else ""]
        )
    paths = []
    for settlement, lines in sorted(per_settlement.items()):
        path = folder / f"{settlement}.{file_type}"
        write_rows(path, ["household", "people", "rooms", "moves_on"], lines)
        paths.append(path)
    return paths


def gantt(session: Session, run: PlanRun, path: Path) -> Path:
    """One row per settlement, earliest ready first: each task it waits for as a bar coloured by kind."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    dates = ready_dates(session, run)
    order = [(code, name) for code, name, _, _ in dates]
    tasks = session.execute(
        select(Settlement.code, PlanTask.kind, PlanTask.start_period, PlanTask.end_period)
        .join(Settlement, Settlement.id == PlanTask.settlement_id)
        .where(PlanTask.plan_run_id == run.id)
    ).all()
    row_of = {code: i for i, (code, _) in enumerate(order)}
    figure, axes = plt.subplots(figsize=(11, max(3.0, 0.28 * len(order) + 1.5)))
    for code, kind, start, end in tasks:
        if code in row_of:
            colour = KIND_COLOURS.get(kind, "#666666")
            axes.barh(row_of[code], end - start, left=start, height=0.6, color=colour, alpha=0.75)
    first = run.start_month
    ready_at = [(ready.year - first.year) * 12 + ready.month - first.month for _, _, ready, _ in dates]
    axes.scatter(ready_at, range(len(order)), marker="|", s=120, color="black", label="ready", zorder=3)
    axes.set_yticks(range(len(order)), [name for _, name in order], fontsize=7)
    axes.invert_yaxis()
    axes.set_xlabel(f"months from {run.start_month:%B %Y}")
    axes.set_title(f"Plan {run.code}: what each settlement waits for")
    handles = [Patch(color=c, label=k) for k, c in KIND_COLOURS.items()]
    axes.legend(handles=[*handles, axes.collections[0]] if dates else handles, loc="lower right", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
