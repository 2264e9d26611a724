"""`homecoming admin`: accounts, starting with the first admin; unlock, deactivate, a new password, revoke."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from homecoming.accounts.roles import Role

if TYPE_CHECKING:
    from pydantic import BaseModel

# The database layer, argon2 and pydantic are imported by the command that runs, not by `homecoming admin --help`.

app = typer.Typer(
    help="Accounts: create the first admin, then others (or use the API as an admin); unlock, deactivate, "
    "set a new password, revoke sessions and tokens.",
    no_args_is_help=True,
)
Model = TypeVar("Model", bound="BaseModel")
USERNAME = typer.Argument(..., help="The account's log-in name.")
COMMENT = typer.Option(None, "--comment", help="Why (kept in the audit trail).")


@app.command("create")
def create(
    username: str = typer.Argument(..., help="Log-in name (lower case letters, digits, . _ -)."),
    role: Role = typer.Option(Role.ADMIN, help="The account's role."),
    district: str | None = typer.Option(
        None, help="District code (data_entry accounts edit only that district; enumerators report from it)."
    ),
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
    """Create an account; its password is stored only as an argon2id hash.

    The first admin of a database is made without --as; every account after it by an admin (--as ADMIN)."""
    from homecoming.accounts import actions
    from homecoming.accounts.schemas import UserCreate
    from homecoming.cli.database import current_database
    from homecoming.cli.output import cli_actor, console, user_errors
    from homecoming.db import unit_of_work

    with user_errors():
        data = _valid(UserCreate, username=username, password=password, role=role, district_code=district,
                      bidder_code=bidder)  # fmt: skip
        with unit_of_work(current_database()) as session:
            user = actions.create_user(session, cli_actor(session, admin_only=True), data)
            made = f"created [bold]{user.username}[/bold] ({user.role})"
        console.print(made)


@app.command("unlock")
def unlock(username: str = USERNAME, comment: str | None = COMMENT) -> None:
    """Let an account locked after too many failed log-ins log in again."""
    _change("unlock", username, comment, "unlocked")


@app.command("deactivate")
def deactivate(username: str = USERNAME, comment: str | None = COMMENT) -> None:
    """Stop an account at once: every session and token it holds is revoked and no log-in is accepted."""
    _change("deactivate", username, comment, "deactivated")


@app.command("activate")
def activate(username: str = USERNAME, comment: str | None = COMMENT) -> None:
    """Let a deactivated account log in again (its old sessions and tokens stay revoked)."""
    _change("activate", username, comment, "activated")


@app.command("revoke")
def revoke(username: str = USERNAME, comment: str | None = COMMENT) -> None:
    """Revoke every page session and bearer token the account holds (it can log in again)."""
    _change("revoke_all", username, comment, "revoked every session and token of")


@app.command("password")
def password(username: str = USERNAME, comment: str | None = COMMENT) -> None:
    """Set a new password (asked for, never on the command line); revokes the account's sessions and tokens.

    The password is read at a prompt, from standard input, or from HOMECOMING_NEW_PASSWORD.
    """
    from homecoming.accounts.schemas import PasswordChange
    from homecoming.cli.output import console, user_errors

    with user_errors():
        given = os.environ.get("HOMECOMING_NEW_PASSWORD") or typer.prompt(
            "New password", hide_input=True, confirmation_prompt=True
        )
        _as_admin("set_password", username, _valid(PasswordChange, password=given), comment=comment)
        console.print(f"new password set for [bold]{username}[/bold]; its sessions and tokens are revoked")


def _change(use_case: str, username: str, comment: str | None, done: str) -> None:
    from homecoming.cli.output import console, user_errors

    with user_errors():
        _as_admin(use_case, username, comment=comment)
        console.print(f"{done} [bold]{username}[/bold]")


def _as_admin(use_case: str, username: str, *args: Any, comment: str | None) -> None:
    """One of accounts.actions' admin use-cases, in one unit of work, acting as the admin named by --as."""
    from homecoming.accounts import actions, service
    from homecoming.cli.database import current_database
    from homecoming.cli.output import cli_actor
    from homecoming.db import unit_of_work

    with unit_of_work(current_database()) as session:
        actor = cli_actor(session, admin_only=True)
        getattr(actions, use_case)(session, actor, username, *args, now=service.utc_now(), comment=comment)


def _valid(schema: type[Model], **values: object) -> Model:
    """The schema's refusal as a message a person can act on (exit code 1), not a traceback."""
    from pydantic import ValidationError

    from homecoming.errors import RuleViolation

    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'account'}: {e['msg']}" for e in exc.errors())
        raise RuleViolation("users.invalid", problems) from None
