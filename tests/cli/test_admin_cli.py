"""`homecoming admin create`: the first admin, with a hashed password, and refusals a person can act on."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.cli.main import app


@pytest.fixture
def database(cli_database: str) -> str:
    """Each engine; `init` on the migrated database changes nothing and succeeds."""
    assert CliRunner().invoke(app, ["init"]).exit_code == 0
    return cli_database


def test_first_admin_is_created_with_an_argon2_hash(database: str) -> None:
    result = CliRunner().invoke(app, ["admin", "create", "chief"], input="a-long-password\na-long-password\n")
    assert result.exit_code == 0, result.output
    assert "created chief (admin)" in result.output
    with Session(create_engine(database)) as session:
        user = session.scalars(select(User)).one()
        assert (user.username, user.role) == ("chief", Role.ADMIN)
        assert user.password_hash.startswith("$argon2id$")
        assert "a-long-password" not in user.password_hash
    again = CliRunner().invoke(
        app, ["--as", "chief", "admin", "create", "chief"], env={"HOMECOMING_NEW_PASSWORD": "another-password"}
    )  # the first admin exists: the next account is made by an admin (issue 17)
    assert again.exit_code == 1
    assert "users.duplicate_username" in again.output


def test_data_entry_needs_a_district_and_short_passwords_are_refused(database: str) -> None:
    runner = CliRunner()
    no_district = runner.invoke(
        app, ["admin", "create", "clerk", "--role", "data_entry"], env={"HOMECOMING_NEW_PASSWORD": "a-long-password"}
    )
    assert no_district.exit_code == 1
    assert "give district_code" in no_district.output
    short = runner.invoke(app, ["admin", "create", "clerk"], env={"HOMECOMING_NEW_PASSWORD": "short"})
    assert short.exit_code == 1
    assert "at least 10 characters" in short.output
