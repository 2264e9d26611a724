"""`homecoming grievances ...`: the clerk's list and answer, and the escalation of the overdue (run it daily)."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.db import unit_of_work
from homecoming.grievances import actions
from homecoming.grievances.models import GrievanceStatus

app = typer.Typer(help="Grievances and feedback: list, answer in the open, escalate the overdue.", no_args_is_help=True)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)  # naive UTC, as the server stores times


@app.command("list")
def list_grievances(
    status: GrievanceStatus | None = typer.Option(None, "--status"),
    district: str | None = typer.Option(None, "--district", help="Only this district (code)."),
    limit: int = typer.Option(50, "--limit", min=1, max=500),
) -> None:
    """The oldest grievances first; the contact only on those routed to your role (admin: all)."""
    with user_errors(), unit_of_work(current_database()) as session:
        rows = actions.first_visible(session, cli_actor(session), status=status, district_code=district, limit=limit)
    table = Table("tracking code", "status", "category", "about", "district", "role", "due", "version", "contact")
    for g in rows:
        contact = g.contact or ("(withheld)" if g.contact_withheld else "")
        about, due = f"{g.subject_kind}:{g.subject_code}", f"{g.due_at:%Y-%m-%d}"
        table.add_row(g.tracking_code, g.status, g.category, about, g.district_code or "", g.assigned_role, due,
                      str(g.version), contact)  # fmt: skip
    console.print(table)
    console.print(f"{len(rows)} grievance(s)")


@app.command("answer")
def answer(
    tracking_code: str = typer.Argument(..., help="The grievance's tracking code."),
    response: str = typer.Option(..., "--response", help="The answer, published with the grievance."),
    version: int = typer.Option(..., "--version", min=1, help="The version you read (`grievances list`)."),
    comment: str | None = typer.Option(None, "--comment", help="Why (kept in the audit trail)."),
) -> None:
    """Answer in the open: the response is public on the grievance's tracking page."""
    with user_errors(), unit_of_work(current_database()) as session:
        grievance = actions.answer_grievance(session, cli_actor(session), tracking_code, response, now=_now(),
                                             version=version, comment=comment)  # fmt: skip
        code, now_version = grievance.tracking_code, grievance.version
    console.print(f"answered {code} (version {now_version})")


@app.command("escalate")
def escalate() -> None:
    """Escalate to admin every open grievance past its service time; running it again escalates none twice."""
    with user_errors(), unit_of_work(current_database()) as session:
        count = actions.escalate_overdue(session, _now())
    console.print(f"{count} grievance(s) escalated")
