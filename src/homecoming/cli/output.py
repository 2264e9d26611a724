"""What every command shares: one console, and DomainErrors shown as a message and an exit code."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from homecoming.cli import acting
from homecoming.errors import DomainError, Forbidden, NotFound, Unauthorized

if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlalchemy.orm import Session

    from homecoming.accounts.models import User

T = TypeVar("T")
M = TypeVar("M", bound="BaseModel")
console = Console()
errors = Console(stderr=True)

MAX_SHOWN_ROW_ERRORS = 50


def cli_actor(session: Session | None = None, *, admin_only: bool = False) -> User:
    """Who a command acts as, and who the audit trail names: the active account given by `--as USER` or
    HOMECOMING_ACTOR (`cli.unknown_actor`, `cli.inactive_actor` otherwise).

    With no name given, an admin-only command (`admin_only`) is refused once the database holds an active admin
    (`cli.actor_required`): before that, the first admin is being made. Any other command acts as the stand-in
    `cli:<operating-system user>` with the admin role (never stored as an account; whoever runs the command line
    holds the database's keys anyway). `session`: the command's unit of work (else a short one of its own)."""
    from homecoming.accounts.models import User
    from homecoming.accounts.roles import Role

    name = acting.chosen()
    if name is None:
        if admin_only and _in_session(session, _admin_exists):
            raise Unauthorized("cli.actor_required", "this command is for admins: name your admin account with "
                               f"`homecoming --as USER ...` or {acting.ENV}=USER")  # fmt: skip
        return User(username=f"cli:{getpass.getuser()}"[:64], role=Role.ADMIN)
    account = _in_session(session, lambda s: _account(s, name))
    if not account.active:
        raise Forbidden("cli.inactive_actor", f"the account {name!r} is deactivated: act as an active account",
                        {"username": name})  # fmt: skip
    return account


def _in_session(session: Session | None, read: Callable[[Session], T]) -> T:
    if session is not None:
        return read(session)
    from sqlalchemy.orm import Session

    from homecoming.cli.database import current_database

    with Session(current_database()) as own:
        found = read(own)
        own.expunge_all()  # the account stays usable after this session closes
        return found


def _admin_exists(session: Session) -> bool:
    from homecoming.accounts import service

    return service.has_admin(session)


def _account(session: Session, name: str) -> User:
    from homecoming.accounts import read_models

    account = read_models.account_named(session, name)
    if account is None:
        raise NotFound("cli.unknown_actor", f"there is no account named {name!r} to act as (--as / {acting.ENV})",
                       {"username": name})  # fmt: skip
    return account


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a DomainError into a readable message on stderr and exit code 1 (no traceback)."""
    try:
        yield
    except DomainError as exc:
        errors.print(f"[bold red]error[/bold red] [dim]({exc.code})[/dim]: {exc.message}")
        rows = exc.details.get("errors")
        if isinstance(rows, list) and rows:
            table = Table("row", "column", "problem", title=None, show_edge=False)
            for item in rows[:MAX_SHOWN_ROW_ERRORS]:
                table.add_row(str(item["row"]), str(item["column"]), str(item["reason"]))
            errors.print(table)
            if len(rows) > MAX_SHOWN_ROW_ERRORS or exc.details.get("error_count", 0) > len(rows):
                total = exc.details.get("error_count", len(rows))
                errors.print(f"... and {total - MAX_SHOWN_ROW_ERRORS} more")
        raise typer.Exit(1) from None


def checked(model: type[M], **fields: object) -> M:
    """The schema's refusal as a message naming each field (`input.invalid`, exit code 1), not a traceback."""
    from pydantic import ValidationError

    from homecoming.errors import RuleViolation

    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        problems = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise RuleViolation("input.invalid", "; ".join(problems), {"errors": problems}) from None
