"""`homecoming tender complaints TENDER` and `tender amendments CONTRACT`: what a procurement clerk reads out of the
complaints against an award and a contract's variation orders (the same use-cases as the API and the pages, so the
command line sees what its actor may see)."""

from __future__ import annotations

import typer
from rich.table import Table

from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.db import unit_of_work
from homecoming.procurement import actions, amendment_actions, amendments, complaint_actions, contracts


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
    for s in seen:
        a = s.amendment
        dates = f"{a.old_end_date or '-'} -> {a.new_end_date}" if a.new_end_date else ""
        table.add_row(str(a.number), str(a.status), f"{a.old_value:,.2f}", f"{a.new_value:,.2f}", dates, a.reason,
                      s.requested_by or "", s.decided_by or "")  # fmt: skip
    console.print(table)
