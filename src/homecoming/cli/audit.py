"""`homecoming audit verify`: walk the audit trail's hash chain and say whether every entry is still in place."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from homecoming.audit.chain import ChainReport

# The database layer is imported by `audit verify` when it runs, not by `homecoming audit --help`.

app = typer.Typer(help="The audit trail: check that no entry was changed, removed or moved.", no_args_is_help=True)


@app.command("verify")
def verify(
    expect_head: str | None = typer.Option(
        None,
        "--expect-head",
        help="A head hash printed by an earlier verify: also proves no entry up to it was removed from the end.",
    ),
) -> None:
    """Check every entry against its hash and the one before it; exit 1 at the first broken link."""
    from homecoming.audit import service as audit
    from homecoming.cli.database import current_database
    from homecoming.cli.output import console, errors, user_errors
    from homecoming.db import unit_of_work

    with user_errors(), unit_of_work(current_database()) as session:
        report = audit.verify_chain(session, expect_head=expect_head.strip().lower() if expect_head else None)
        rights = audit.tamper_rights(session)
    if rights:
        errors.print(
            f"[yellow]warning: this connection's role may change the trail in place ({', '.join(rights)}); connect "
            "the application as a role without them (docs/operations.md, 'Two database roles').[/yellow]"
        )
    if not report.intact:
        _broken(report)
        raise typer.Exit(1)
    console.print(f"The audit trail is intact: {report.count:,} entries, each chained to the one before it.")
    if report.anchor_id is not None:
        console.print(f"The recorded head is entry #{report.anchor_id}; every entry up to it is still there.")
    console.print(f"Head hash: {report.head_hash}")
    console.print(
        "Write it down or publish it: `homecoming audit verify --expect-head HASH` later also shows entries "
        "removed from the end, which the chain alone cannot."
    )


def _broken(report: ChainReport) -> None:
    from homecoming.cli.output import errors

    broken = report.broken
    assert broken is not None
    where = f"entry #{broken.entry_id}" if broken.entry_id is not None else "the start"
    errors.print(f"[bold red]The audit trail is broken[/bold red] at {where} ({broken.kind}): {broken.message}.")
    if report.head_id is not None:
        errors.print(f"Intact before it: {report.count:,} entries, up to #{report.head_id} ({report.head_hash}).")
