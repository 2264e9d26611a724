"""`homecoming households ...`: the registrar's commands for the people of the registry (issue 22)."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.db import unit_of_work
from homecoming.households import actions
from homecoming.households.models import ConfirmationMethod, DuplicateStatus
from homecoming.jobs.service import utcnow

app = typer.Typer(help="The people of the registry: duplicate search and review, return confirmations.",
                  no_args_is_help=True)  # fmt: skip


@app.command("dedupe")
def dedupe(
    seed: int = typer.Option(0, "--seed", help="Seed of the random sample that estimates the model."),
    queue: bool = typer.Option(False, "--queue", help="Queue it as a job for `homecoming worker` instead."),
) -> None:
    """Search the registry for people registered twice; likely pairs go on the registrars' review list."""
    if queue:
        with user_errors(), unit_of_work(current_database()) as session:
            code = actions.start_duplicate_search(session, cli_actor(session), now=utcnow(), seed=seed).code
        console.print(f"queued as job {code}: a `homecoming worker` (or `homecoming serve`) runs it; follow it at "
                      f"GET /api/jobs/{code}")  # fmt: skip
        return
    with user_errors(), unit_of_work(current_database()) as session:
        console.print("searching the registry for people registered twice (splink, DuckDB)...")
        stored = actions.find_duplicates(session, cli_actor(session), now=utcnow(), seed=seed)
    console.print(f"{stored.found:,} likely pairs — {stored.added:,} new on the review list, {stored.dropped:,} "
                  "open pairs no longer found taken off; review them at /duplicate-candidates")  # fmt: skip


@app.command("duplicates")
def duplicates(
    status: DuplicateStatus = typer.Option(DuplicateStatus.OPEN, "--status", help="Which pairs to list."),
) -> None:
    """The review list: pairs of people who may be one, most likely first (personal data: registrars only)."""
    with user_errors(), unit_of_work(current_database()) as session:
        pairs = actions.visible_duplicate_candidates(session, cli_actor(session), status)
        table = Table("id", "probability", "first person", "second person", "why")
        for pair in pairs:
            people = [f"{m.code} {m.given_name} {m.family_name} {m.birth_date:%Y-%m-%d} {m.document_number or '-'}"
                      for m in (pair.member, pair.other_member)]  # fmt: skip
            why = ", ".join(f"{name}: {level}" for name, level in pair.agreements.items())
            table.add_row(str(pair.id), f"{pair.match_probability:.3f}", *people, why)
    console.print(table)
    console.print(f"{len(pairs):,} pair(s) {status.value}")


@app.command("decide")
def decide(
    candidate: int = typer.Argument(..., help="The pair's id (from `homecoming households duplicates`)."),
    status: DuplicateStatus = typer.Argument(..., help="same_person or different"),
    version: int = typer.Option(..., "--version", help="The pair's version you read."),
    force: bool = typer.Option(False, "--force", help="Merge although sex or birth years disagree (needs --comment)."),
    comment: str | None = typer.Option(None, "--comment", help="Why (kept in the audit trail)."),
) -> None:
    """Decide a pair of the review list: the same person (merged into the older record), or two different people."""
    with user_errors(), unit_of_work(current_database()) as session:
        decided = actions.decide_duplicate(session, cli_actor(session), candidate, status, now=utcnow(),
                                           version=version, force=force, comment=comment)  # fmt: skip
        said = f"{decided.code}: {decided.status.value}"
    console.print(said)


@app.command("confirm")
def confirm(
    code: str = typer.Argument(..., help="The household's code."),
    method: ConfirmationMethod = typer.Option(..., "--how", help="How the household confirmed."),
    on: dt.datetime = typer.Option(..., "--on", formats=["%Y-%m-%d"], help="The day it confirmed (YYYY-MM-DD)."),
    withdraw: bool = typer.Option(False, "--withdraw", help="The household no longer wants to return."),
    version: int = typer.Option(..., "--version", help="The household's version you read."),
    comment: str | None = typer.Option(None, "--comment", help="Why (kept in the audit trail)."),
) -> None:
    """Record that a household confirms (or withdraws) its voluntary return; only confirmed households go on a
    convoy."""
    with user_errors(), unit_of_work(current_database()) as session:
        household = actions.reconfirm_return(session, cli_actor(session), code, not withdraw, on.date(), method,
                                             version=version, comment=comment)  # fmt: skip
        said = f"{household.code}: {'confirmed' if household.consent_to_return else 'withdrawn'} on {on:%Y-%m-%d} " \
               f"({method.value}); version {household.version}"  # fmt: skip
    console.print(said)
