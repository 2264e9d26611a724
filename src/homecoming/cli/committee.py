"""`homecoming committee ...`: the opening committee's members and their own keys.

`keygen` runs on the member's machine, offline; only the public key it prints goes to the office (`add`). After
a tender's deadline the member turns its sealed share into its share with its private key (`unwrap`, or `give`
to hand it to the opening at once); nobody else can.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.table import Table

from homecoming.cli.output import checked, cli_actor, console, user_errors
from homecoming.cli.tender import now, opening_report, work
from homecoming.errors import DomainError, RuleViolation
from homecoming.procurement import actions, committee, sealing
from homecoming.procurement.schemas import CommitteeMemberCreate

app = typer.Typer(help="The bid-opening committee: members' own keys, their sealed shares.", no_args_is_help=True)
PRIVATE_FILE, PUBLIC_FILE = "committee.key", "committee.pub"


@app.command("keygen")
def keygen(
    out: Path = typer.Option(..., "--out", help="Folder for the key pair (on the member's own machine)"),
) -> None:
    """Make a member's key pair: the private key file (owner-only, never sent anywhere) and the public key to register.

    Needs no database and no network."""
    with user_errors():
        pem, public_key = sealing.member_key_pair()
        out.mkdir(parents=True, exist_ok=True)
        _write_new(out / PRIVATE_FILE, pem, 0o600)
        text = sealing.format_public_key(public_key)
        _write_new(out / PUBLIC_FILE, (text + "\n").encode(), 0o644)
    console.print(f"private key written to {out / PRIVATE_FILE} (keep it; it is the only copy)")
    console.print(f"public key (give it to the procurement office): {text}")
    console.print(f"fingerprint: {sealing.key_fingerprint(public_key)}")


@app.command("add")
def add(
    name: str, public_key: str, user: str | None = typer.Option(None, "--user", help="The member's account")
) -> None:
    """Register a committee member by its public key (made with `committee keygen` on the member's machine)."""
    with work() as session:
        data = checked(CommitteeMemberCreate, name=name, public_key=public_key, username=user)
        member = actions.register_member(session, cli_actor(), data)
        fingerprint = sealing.key_fingerprint(member.public_key)
    console.print(f"committee member {name} registered (key fingerprint {fingerprint})")


@app.command("list")
def list_members() -> None:
    """The registered committee members and their key fingerprints."""
    with work() as session:
        rows = [
            (m.name, sealing.key_fingerprint(m.public_key)) for m in actions.committee_members(session, cli_actor())
        ]
    table = Table("member", "key fingerprint")
    for row in rows:
        table.add_row(*row)
    console.print(table)


@app.command("unwrap")
def unwrap(
    key: Path = typer.Option(..., "--key", help="The member's private key file"),
    tender: str = typer.Option(..., "--tender", help="The tender's code"),
    sealed: str | None = typer.Option(None, "--sealed", help="The sealed share as published (else read here)"),
) -> None:
    """Print this member's share of a tender, to give at the opening. With --sealed it needs no database."""
    with user_errors():
        private = sealing.load_member_key(_read(key))
        if sealed is None:
            with work() as session:
                sealed = committee.sealed_share_for(session, tender, sealing.public_key_of(private))
        if not sealed.startswith(f"{tender}:"):
            raise RuleViolation("committee.envelope_other_tender", f"that sealed share is not one of {tender}'s")
        share = sealing.unwrap_share(private, sealed)
    console.print(share)


@app.command("give")
def give(
    key: Path = typer.Option(..., "--key", help="The member's private key file"),
    tender: str = typer.Option(..., "--tender", help="The tender's code"),
) -> None:
    """Unwrap this member's share and give it to the opening at once (after the deadline); the share is not shown."""
    with user_errors():
        private = sealing.load_member_key(_read(key))
    with work() as session:
        sealed = committee.sealed_share_for(session, tender, sealing.public_key_of(private))
        share = sealing.unwrap_share(private, sealed)
        actor = cli_actor()
        report = opening_report(session, actor, actions.give_share(session, actor, tender, share, now=now()))
    for part in report:
        console.print(part)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RuleViolation("input.unreadable", f"cannot read {path}: {exc.strerror}") from None


def _write_new(path: Path, content: bytes, mode: int) -> None:
    """Create the file with its mode from the start (never world-readable, even for a moment); never overwrite."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise DomainError("output.exists", f"{path} exists already: a key is never overwritten") from None
    except OSError as exc:
        raise DomainError("output.unwritable", f"cannot write {path}: {exc.strerror}") from None
    with os.fdopen(fd, "wb") as file:
        file.write(content)
    os.chmod(path, mode)
