"""`homecoming tender complaints TENDER` and `tender amendments CONTRACT`: what a procurement clerk reads out of the
complaints against an award and a contract's variation orders; `tender complain`, `decide-complaint`, `amend`,
`decide-amendment` and `attach-amendment-document`: the same writes as the API's (the same use-cases, so the same
rules, refusals and audit entries), as the account named by `homecoming --as USER`."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from homecoming.cli.database import current_database
from homecoming.cli.output import checked, cli_actor, console, user_errors
from homecoming.config import get_settings
from homecoming.db import unit_of_work
from homecoming.errors import RuleViolation
from homecoming.files.service import default_store
from homecoming.procurement import actions, amendment_actions, amendments, complaint_actions, contracts, service
from homecoming.procurement.amendment_actions import AmendmentSeen
from homecoming.procurement.models import ComplaintRemedy
from homecoming.procurement.schemas import AmendmentCreate, ComplaintCreate, ComplaintDecision

Comment = Annotated[str | None, typer.Option("--comment", help="Why (kept in the audit trail; the API's `comment`).")]


class ComplaintOutcome(enum.StrEnum):
    UPHELD = "upheld"
    REJECTED = "rejected"


class AmendmentOutcome(enum.StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"


def complaints(code: str = typer.Argument(..., help="The tender's code")) -> None:
    """Each complaint against the tender's award, its status and decision, and when the standstill ends."""
    with user_errors(), unit_of_work(current_database()) as session:
        actor = cli_actor(session)
        tender = actions.visible_tender(session, actor, code)
        ends = tender.standstill_ends_at
        seen = complaint_actions.visible_complaints(session, actor, code)
    console.print(f"{code}: standstill until {ends:%Y-%m-%d %H:%M} UTC" if ends else f"{code}: no standstill running")
    table = Table("complaint", "filed (UTC)", "bidder", "status", "decision", "grounds")
    for c in seen:
        status = f"{c.status}" + (f" ({c.remedy})" if c.remedy else "")
        decision = f"{c.decided_at:%Y-%m-%d}: {c.decision_reason}" if c.decided_at else ""
        table.add_row(c.code, f"{c.filed_at:%Y-%m-%d %H:%M}", c.complainant or "", status, decision, c.grounds or "")
    console.print(table)


def amendments_list(code: str = typer.Argument(..., help="The contract's code")) -> None:
    """Each amendment of the contract: value and completion date before and after, reason, status."""
    with user_errors(), unit_of_work(current_database()) as session:
        actor = cli_actor(session)
        seen = amendment_actions.visible_amendments(session, actor, code)
        contract = contracts.get_contract(session, code)
        original, value, currency = amendments.original_value(session, contract), contract.value, contract.currency
    console.print(f"{code}: {original:,.2f} -> {value:,.2f} {currency}")
    table = Table("no.", "status", "value before", "value after", "completion", "reason", "requested by", "decided by")
    for a in seen:
        dates = f"{a.old_end_date or '-'} -> {a.new_end_date}" if a.new_end_date else ""
        table.add_row(str(a.number), str(a.status), f"{a.old_value:,.2f}", f"{a.new_value:,.2f}", dates, a.reason,
                      a.requested_by or "", a.decided_by or "")  # fmt: skip
    console.print(table)


def complain(
    code: str = typer.Argument(..., help="The awarded tender's code"),
    grounds: str = typer.Option(..., "--grounds", help="Why the award is wrong, in words"),
    comment: Comment = None,
) -> None:
    """A bidder's complaint against the award, within the standstill (act as the company's contractor account)."""
    with user_errors(), unit_of_work(current_database()) as session:
        actor = cli_actor(session)
        data = checked(ComplaintCreate, grounds=grounds)
        seen = complaint_actions.file_complaint(session, actor, code, data, now=_now(), comment=comment)
    blocks = f"while it is open, nobody may sign {code}'s contract"
    console.print(f"complaint {seen.code} filed against the award of {code}: {blocks} (an admin decides it)")


def decide_complaint(
    code: str = typer.Argument(..., help="The tender's code"),
    complaint: str = typer.Argument(..., help="The complaint's code, e.g. T-1-C1"),
    outcome: ComplaintOutcome = typer.Argument(..., help="upheld or rejected"),
    reason: str = typer.Option(..., "--reason", help="Why (always recorded and published)"),
    remedy: ComplaintRemedy | None = typer.Option(None, "--remedy", help="Upheld: re_evaluate the bids or cancel"),
    comment: Comment = None,
) -> None:
    """Decide a complaint (an admin): upheld, with its remedy, or rejected; always with the reason."""
    with user_errors(), unit_of_work(current_database()) as session:
        actor = cli_actor(session)
        upheld = outcome is ComplaintOutcome.UPHELD
        data = checked(ComplaintDecision, upheld=upheld, remedy=remedy, reason=reason)
        seen = complaint_actions.decide_complaint(session, actor, code, complaint, data, now=_now(), comment=comment)
        status = actions.visible_tender(session, actor, code).status
    done = f" ({seen.remedy})" if seen.remedy else ""
    console.print(f"complaint {seen.code} {seen.status}{done}; tender {code} is now {status}")


def amend(
    contract: str = typer.Argument(..., help="The contract's code"),
    reason: str = typer.Option(..., "--reason", help="Why the contract changes"),
    new_value: float | None = typer.Option(None, "--new-value", help="The contract's new value"),
    scope: str | None = typer.Option(None, "--scope", help="The changed scope, in words"),
    new_end_date: str | None = typer.Option(None, "--new-end-date", help="The new completion date, YYYY-MM-DD"),
    comment: Comment = None,
) -> None:
    """Request a variation order (the procurement office); another account (a planner) approves or declines it."""
    with user_errors(), unit_of_work(current_database()) as session:
        actor = cli_actor(session)
        data = checked(AmendmentCreate, reason=reason, new_value=new_value, scope=scope, new_end_date=new_end_date)
        seen = amendment_actions.request_amendment(session, actor, contract, data, now=_now(), comment=comment)
        said = _amendment_line(contract, seen)
    console.print(f"{said}; it waits for a planner's decision")


def decide_amendment(
    contract: str = typer.Argument(..., help="The contract's code"),
    number: int = typer.Argument(..., min=1, help="The amendment's number"),
    outcome: AmendmentOutcome = typer.Argument(..., help="approved or declined"),
    comment: Comment = None,
) -> None:
    """Approve (the contract takes the new value and date) or decline; never by the account that requested it."""
    with user_errors(), unit_of_work(current_database()) as session:
        actor = cli_actor(session)
        approve = outcome is AmendmentOutcome.APPROVED
        seen = amendment_actions.decide_amendment(session, actor, contract, number, approve, now=_now(),
                                                  comment=comment)  # fmt: skip
        said, value = _amendment_line(contract, seen), contracts.get_contract(session, contract).value
    console.print(f"{said}; the contract's value is {value:,.2f}")


def attach_amendment_document(
    contract: str = typer.Argument(..., help="The contract's code"),
    number: int = typer.Argument(..., min=1, help="The amendment's number"),
    file: Path = typer.Argument(..., help="A PDF, or a JPEG or PNG image (told from its content)"),
    comment: Comment = None,
) -> None:
    """A supporting document of an amendment still waiting for its decision (the API's file rules)."""
    settings = get_settings()
    with user_errors(), unit_of_work(current_database()) as session:
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise RuleViolation("input.unreadable", f"cannot read {file}: {exc.strerror}") from None
        actor = cli_actor(session)
        seen = amendment_actions.attach_document(
            session, actor, contract, number, file.name, content, store=default_store(settings),
            max_bytes=settings.max_file_bytes, comment=comment,
        )  # fmt: skip
        kept = seen.documents[-1]
        said = f"{file.name} attached to amendment {number} of {contract} as document {len(seen.documents)}"
    console.print(f"{said} ({kept.media_type}, {kept.size_bytes:,} bytes, SHA-256 {kept.sha256})")


def _now() -> dt.datetime:
    return service.server_now(service.utc_now)


def _amendment_line(contract: str, a: AmendmentSeen) -> str:
    return f"amendment {a.number} of {contract}: {a.status} ({a.old_value:,.2f} -> {a.new_value:,.2f})"
