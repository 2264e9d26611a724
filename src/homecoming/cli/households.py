"""`homecoming households ...`: the registrar's commands for the people of the registry (issue 22)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from homecoming.cli.database import current_database
from homecoming.cli.output import checked, cli_actor, console, user_errors
from homecoming.db import unit_of_work
from homecoming.households import actions
from homecoming.households.models import ConfirmationMethod, DocumentType, DuplicateStatus, Sex, SpecificNeed
from homecoming.households.schemas import MemberCreate
from homecoming.jobs.service import utcnow

HouseholdCode = Annotated[str, typer.Argument(help="The household's code.")]
MemberNumber = Annotated[int, typer.Argument(help="The member's number (from `homecoming households members`).")]
# A person's fields, as `add-member` and `change-member` both take them (the whole record, as MemberCreate).
GivenName = Annotated[str, typer.Option("--given-name", help="The person's given name.")]
FamilyName = Annotated[str, typer.Option("--family-name", help="The person's family name.")]
Patronymic = Annotated[str | None, typer.Option("--patronymic", help="The father's name, where one is used.")]
Born = Annotated[dt.datetime, typer.Option("--born", formats=["%Y-%m-%d"], help="Birth date (YYYY-MM-DD).")]
SexOption = Annotated[Sex, typer.Option("--sex")]
DocumentTypeOption = Annotated[DocumentType | None, typer.Option("--document-type", help="With --document-number.")]
DocumentNumber = Annotated[str | None, typer.Option("--document-number", help="With --document-type.")]
Needs = Annotated[list[SpecificNeed] | None, typer.Option("--need", help="A specific need (repeat for several).")]

app = typer.Typer(help="The people of the registry: members, duplicate search and review, return confirmations.",
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


@app.command("members")
def list_members(code: str = typer.Argument(..., help="The household's code.")) -> None:
    """A household's people: names, births, documents, specific needs (personal data: registrars only)."""
    with user_errors(), unit_of_work(current_database()) as session:
        household, people = actions.visible_members(session, cli_actor(session), code)
        table = Table("no.", "name", "born", "sex", "document", "specific needs", "version")
        for m in people:
            name = " ".join(part for part in (m.given_name, m.patronymic, m.family_name) if part)
            document = f"{m.document_type.value} {m.document_number}" if m.document_type else "-"
            table.add_row(str(m.number), name, f"{m.birth_date:%Y-%m-%d}", m.sex.value, document,
                          ", ".join(m.specific_needs) or "-", str(m.version))  # fmt: skip
        said = f"{household.code}: {len(people):,} member(s); household size {household.size:,}"
    console.print(table)
    console.print(said)


@app.command("add-member")
def add_member(
    code: HouseholdCode,
    given_name: GivenName,
    family_name: FamilyName,
    born: Born,
    sex: SexOption,
    patronymic: Patronymic = None,
    document_type: DocumentTypeOption = None,
    document_number: DocumentNumber = None,
    needs: Needs = None,
    comment: str | None = typer.Option(None, "--comment", help="Why (kept in the audit trail)."),
) -> None:
    """Add a person to a household (the same use-case as POST /api/households/{code}/members); the household's
    size, children and elderly are then counted from its members."""
    with user_errors(), unit_of_work(current_database()) as session:
        data = checked(MemberCreate, given_name=given_name, family_name=family_name, patronymic=patronymic,
                       birth_date=born.date(), sex=sex, document_type=document_type, document_number=document_number,
                       specific_needs=needs or [])  # fmt: skip
        member = actions.add_member(session, cli_actor(session), code, data, now=utcnow(), comment=comment)
        said = f"{code}: member {member.number} added ({member.code}); household size {member.household.size:,}"
    console.print(said)


@app.command("change-member")
def change_member(
    code: HouseholdCode,
    number: MemberNumber,
    given_name: GivenName,
    family_name: FamilyName,
    born: Born,
    sex: SexOption,
    patronymic: Patronymic = None,
    document_type: DocumentTypeOption = None,
    document_number: DocumentNumber = None,
    needs: Needs = None,
    version: int = typer.Option(..., "--version", help="The member's version you read."),
    comment: str | None = typer.Option(None, "--comment", help="Why (kept in the audit trail)."),
) -> None:
    """Correct a person's whole record (as PUT /api/households/{code}/members/{number}: what is not given is
    emptied); the household is recounted."""
    with user_errors(), unit_of_work(current_database()) as session:
        data = checked(MemberCreate, given_name=given_name, family_name=family_name, patronymic=patronymic,
                       birth_date=born.date(), sex=sex, document_type=document_type, document_number=document_number,
                       specific_needs=needs or [])  # fmt: skip
        member = actions.change_member(session, cli_actor(session), code, number, data, now=utcnow(),
                                       version=version, comment=comment)  # fmt: skip
        said = f"{member.code}: changed; version {member.version}; household size {member.household.size:,}"
    console.print(said)


@app.command("remove-member")
def remove_member(
    code: str = typer.Argument(..., help="The household's code."),
    number: int = typer.Argument(..., help="The member's number (from `homecoming households members`)."),
    version: int = typer.Option(..., "--version", help="The member's version you read."),
    comment: str | None = typer.Option(None, "--comment", help="Why (kept in the audit trail)."),
) -> None:
    """Take a person off a household (registered by mistake, or a duplicate); the household is recounted."""
    with user_errors(), unit_of_work(current_database()) as session:
        household = actions.remove_member(session, cli_actor(session), code, number, now=utcnow(), version=version,
                                          comment=comment)  # fmt: skip
        said = f"{household.code}: member {number} removed; household size {household.size:,}"
    console.print(said)
