"""`homecoming admin`: accounts, starting with the first admin."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from homecoming.accounts import service
from homecoming.accounts.models import Role
from homecoming.accounts.schemas import UserCreate
from homecoming.cli.output import console, user_errors
from homecoming.db import unit_of_work
from homecoming.errors import RuleViolation

app = typer.Typer(
    help="Accounts: create the first admin, then others (or use the API as an admin).", no_args_is_help=True
)


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
        try:
            data = UserCreate(username=username, password=password, role=role, district_code=district,
                              bidder_code=bidder)  # fmt: skip
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'account'}: {e['msg']}" for e in exc.errors())
            raise RuleViolation("users.invalid", problems) from None
        with unit_of_work() as session:
            user = service.create_user(session, data)
        console.print(f"created [bold]{user.username}[/bold] ({user.role})")
