"""`homecoming admin`: accounts, starting with the first admin; unlock, deactivate, a new password, revoke."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import typer
from pydantic import BaseModel, ValidationError

from homecoming.accounts import service
from homecoming.accounts.models import Role, User
from homecoming.accounts.schemas import PasswordChange, UserCreate
from homecoming.cli.database import current_database
from homecoming.cli.output import cli_actor, console, user_errors
from homecoming.db import unit_of_work
from homecoming.errors import RuleViolation

app = typer.Typer(
    help="Accounts: create the first admin, then others (or use the API as an admin); unlock, deactivate, "
    "set a new password, revoke sessions and tokens.",
    no_args_is_help=True,
)
USERNAME = typer.Argument(..., help="The account's log-in name.")
COMMENT = typer.Option(None, "--comment", help="Why (kept in the audit trail).")
Model = TypeVar("Model", bound=BaseModel)


@app.command("create")
def create(
    username: str = typer.Argument(..., help="Log-in name (lower case letters, digits, . _ -)."),
    role: Role = typer.Option(Role.ADMIN, help="The account's role."),
    district: str | None = typer.Option(None, help="District code (data_entry accounts edit only that district)."),
    bidder: str | None = typer.Option(None, help="Company (bidder) code a contractor account speaks for."),
    password: str = typer.Option(
        ...,
        prompt=True,
        hide_input=True,
        confirmation_prompt=True,
        envvar="HOMECOMING_NEW_PASSWORD",
        help="At least 10 characters; asked for when not given (or set HOMECOMING_NEW_PASSWORD).",
    ),
) -> None:
    """Create an account; its password is stored only as an argon2id hash."""
    with user_errors():
        data = _valid(UserCreate, username=username, password=password, role=role, district_code=district,
                      bidder_code=bidder)  # fmt: skip
        with unit_of_work(current_database()) as session:
            user = service.create_user(session, data)
        console.print(f"created [bold]{user.username}[/bold] ({user.role})")


@app.command("unlock")
def unlock(username: str = USERNAME, comment: str | None = COMMENT) -> None:
    """Let an account locked after too many failed log-ins log in again."""
    _change(service.unlock, username, comment, "unlocked")


@app.command("deactivate")
def deactivate(username: str = USERNAME, comment: str | None = COMMENT) -> None:
    """Stop an account at once: every session and token it holds is revoked and no log-in is accepted."""
    _change(service.deactivate, username, comment, "deactivated")


@app.command("activate")
def activate(username: str = USERNAME, comment: str | None = COMMENT) -> None:
    """Let a deactivated account log in again (its old sessions and tokens stay revoked)."""
    _change(service.activate, username, comment, "activated")


@app.command("revoke")
def revoke(username: str = USERNAME, comment: str | None = COMMENT) -> None:
    """Revoke every page session and bearer token the account holds (it can log in again)."""
    _change(service.revoke_all, username, comment, "revoked every session and token of")


@app.command("password")
def password(username: str = USERNAME, comment: str | None = COMMENT) -> None:
    """Set a new password (asked for, never on the command line); revokes the account's sessions and tokens.

    The password is read at a prompt, from standard input, or from HOMECOMING_NEW_PASSWORD.
    """
    with user_errors():
        given = os.environ.get("HOMECOMING_NEW_PASSWORD") or typer.prompt(
            "New password", hide_input=True, confirmation_prompt=True
        )
        data = _valid(PasswordChange, password=given)
        with unit_of_work(current_database()) as session:
            service.set_password(session, cli_actor(), username, data, service.utc_now(), comment)
        console.print(f"new password set for [bold]{username}[/bold]; its sessions and tokens are revoked")


def _change(use_case: Callable[..., User], username: str, comment: str | None, done: str) -> None:
    with user_errors():
        with unit_of_work(current_database()) as session:
            use_case(session, cli_actor(), username, service.utc_now(), comment)
        console.print(f"{done} [bold]{username}[/bold]")


def _valid(schema: type[Model], **values: object) -> Model:
    """The schema's refusal as a message a person can act on (exit code 1), not a traceback."""
    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'account'}: {e['msg']}" for e in exc.errors())
        raise RuleViolation("users.invalid", problems) from None
