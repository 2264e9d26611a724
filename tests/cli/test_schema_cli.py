"""Migrations run in `homecoming init` and at the server's start; every other command refuses a schema that is
behind, saying to run `homecoming init`, and leaves the database as it found it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine

from cli_support import fail, run
from db_templates import Template
from homecoming.config import get_settings
from homecoming.db import session as db_session
from homecoming.db.migrate import downgrade_to_empty, newest_revision, schema_revision, upgrade
from homecoming.db.session import make_engine


def _at_0008(engine: Engine) -> None:
    downgrade_to_empty(engine)
    upgrade(engine, "0008")


AT_0008 = Template("revision-0008", _at_0008)


@pytest.fixture
def database_template() -> Template:
    """Each test's database is a copy of one taken down to revision 0008 once per engine and test process."""
    return AT_0008


@pytest.fixture
def old_database(cli_database: str) -> Iterator[Engine]:
    """The command line's database (each engine) at revision 0008, as an installation left it before an upgrade."""
    engine = make_engine(cli_database)
    yield engine
    engine.dispose()


def revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return schema_revision(connection)


@pytest.mark.parametrize("command", [["readiness"], ["plan", "show"], ["tender", "money"], ["audit", "verify"]])
def test_a_command_refuses_a_schema_that_is_behind_and_leaves_it_unchanged(
    old_database: Engine, command: list[str]
) -> None:
    out = fail(*command)
    assert "database.schema_behind" in out
    assert "at revision 0008" in out and "homecoming init" in out
    assert revision(old_database) == "0008"


def test_init_brings_the_schema_up_then_the_command_runs(old_database: Engine) -> None:
    run("init")
    assert revision(old_database) == newest_revision()
    assert "The audit trail is intact" in run("audit", "verify")


def test_serve_migrates_at_its_start(old_database: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **_: served.append(target))
    run("serve", "--no-worker")
    assert served == ["homecoming.server.asgi:app"]
    assert revision(old_database) == newest_revision()


def test_a_command_on_a_database_without_a_schema_says_to_run_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    try:
        out = fail("admin", "unlock", "nobody")
        assert "database.schema_behind" in out and "revision none" in out and "homecoming init" in out
        run("init")
        assert "users.not_found" in fail("admin", "unlock", "nobody")
    finally:
        db_session.get_engine().dispose()
        get_settings.cache_clear()
        db_session._engine_for.cache_clear()
