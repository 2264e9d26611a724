"""Issue 17: the command line acts as a named account (`homecoming --as USER` or HOMECOMING_ACTOR), recorded in the
audit trail; admin commands refuse without one once the first admin exists (both engines)."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from homecoming.audit.models import AuditEntry
from homecoming.cli import acting
from homecoming.cli.main import app, take_acting_as

PASSWORD = {"HOMECOMING_NEW_PASSWORD": "a-long-password"}


def invoke(*args: str, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={**PASSWORD, acting.ENV: "", **env})
    return result.exit_code, result.output


def trail(database: str) -> list[tuple[str, str, str]]:
    with Session(create_engine(database)) as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.username, e.action, e.record_code) for e in rows]


@pytest.fixture
def chief(cli_database: str) -> str:
    """A database whose first admin, chief, was made without --as (nobody to act as yet)."""
    code, output = invoke("admin", "create", "chief")
    assert code == 0, output
    return cli_database


def test_the_first_admin_is_made_without_a_name_and_recorded_as_the_operating_system_user(chief: str) -> None:
    assert trail(chief) == [(f"cli:{getpass.getuser()}"[:64], "create", "chief")]


def test_after_the_first_admin_admin_commands_refuse_without_a_name_and_write_nothing(chief: str) -> None:
    for args in (("create", "second"), ("unlock", "chief"), ("deactivate", "chief"), ("activate", "chief"),
                 ("revoke", "chief"), ("password", "chief")):  # fmt: skip
        code, output = invoke("admin", *args)
        assert (code, "cli.actor_required" in output, "--as" in output) == (1, True, True), output
    assert len(trail(chief)) == 1


def test_as_and_the_environment_name_the_account_in_the_trail(chief: str) -> None:
    assert invoke("--as", "chief", "admin", "create", "clerk", "--role", "viewer")[0] == 0
    assert invoke("admin", "revoke", "clerk", HOMECOMING_ACTOR="chief")[0] == 0
    assert invoke("--as=chief", "admin", "unlock", "clerk", HOMECOMING_ACTOR="nobody")[0] == 0  # --as wins
    assert trail(chief)[1:] == [
        ("chief", "create", "clerk"),
        ("chief", "revoke", "clerk"),
        ("chief", "unlock", "clerk"),
    ]


def test_an_unknown_an_inactive_or_a_non_admin_account_is_refused_with_its_code(chief: str) -> None:
    assert invoke("--as", "chief", "admin", "create", "clerk", "--role", "viewer")[0] == 0
    assert invoke("--as", "chief", "admin", "create", "other", "--role", "admin")[0] == 0
    code, output = invoke("--as", "nobody", "admin", "unlock", "clerk")
    assert (code, "cli.unknown_actor" in output) == (1, True)
    code, output = invoke("--as", "clerk", "admin", "unlock", "chief")
    assert (code, "auth.forbidden" in output) == (1, True)
    assert invoke("--as", "chief", "admin", "deactivate", "other")[0] == 0
    code, output = invoke("--as", "other", "admin", "activate", "other")
    assert (code, "cli.inactive_actor" in output) == (1, True)
    assert [action for _who, action, _code in trail(chief)] == ["create", "create", "create", "deactivate"]


def test_a_write_command_without_a_name_acts_as_the_operating_system_user(cli_database: str, tmp_path: Path) -> None:
    regions = tmp_path / "regions.csv"
    regions.write_text("code,name\nkarabakh,Karabakh\n")
    code, output = invoke("import", "regions", str(regions))
    assert code == 0, output
    assert [(who, action) for who, action, _code in trail(cli_database)] == [
        (f"cli:{getpass.getuser()}"[:64], "import")
    ]


def test_as_is_read_before_the_command_only() -> None:
    assert take_acting_as(["--as", "chief", "admin", "unlock", "x"]) == (["admin", "unlock", "x"], "chief")
    assert take_acting_as(["--as=chief", "plan", "show"]) == (["plan", "show"], "chief")
    assert take_acting_as(["admin", "create", "--as", "x"]) == (["admin", "create", "--as", "x"], None)
