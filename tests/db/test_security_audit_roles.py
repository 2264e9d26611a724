"""Issue 16 item 7 on PostgreSQL: the application connects as a role of its own that may append to the audit trail
but not TRUNCATE, DELETE or UPDATE it (it emptied the trail with TRUNCATE when it owned the table); the schema's
owner migrates and restores. What only the owner can do still shows in `homecoming audit verify`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from cli_support import fail, run
from homecoming.accounts import service as accounts
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.accounts.schemas import UserCreate
from homecoming.audit import service as audit
from homecoming.config import get_settings
from homecoming.db import make_engine, unit_of_work
from homecoming.db import session as db_session
from homecoming.demo import loader
from homecoming.households import service as households
from homecoming.households.schemas import HouseholdCreate

APPLICATION_ROLE = "homecoming_test_app"
ONLY_POSTGRESQL = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
ATTACKS = (
    "TRUNCATE audit_entries",
    "TRUNCATE users CASCADE",  # would take the trail with it
    "DELETE FROM audit_entries",
    "UPDATE audit_entries SET comment = 'nothing happened'",
    "ALTER TABLE audit_entries DISABLE TRIGGER USER",
    "DROP TRIGGER audit_entries_no_delete ON audit_entries",
)


def _use(monkeypatch: pytest.MonkeyPatch, **settings: str) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(f"HOMECOMING_{name.upper()}", value)
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()


@pytest.fixture
def application_url(cli_database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The deployment of docs/operations.md: `homecoming init` as the owner, the application as a role of its own."""
    owner = make_engine(cli_database)
    with owner.begin() as connection:
        connection.execute(
            text(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APPLICATION_ROLE}') "
                f"THEN CREATE ROLE {APPLICATION_ROLE} LOGIN; END IF; END $$"
            )
        )
    owner.dispose()
    url = make_url(cli_database).set(username=APPLICATION_ROLE).render_as_string(hide_password=False)
    _use(monkeypatch, database_url=url, migration_database_url=cli_database)
    assert f"The application role {APPLICATION_ROLE} may read and write" in run("init")
    yield url
    db_session.get_engine(url).dispose()
    db_session._engine_for.cache_clear()


@pytest.fixture
def application(application_url: str) -> Iterator[Engine]:
    engine = make_engine(application_url)
    yield engine
    engine.dispose()


def register_with_audit(engine: Engine, code: str) -> None:
    """What POST /api/households does: the record and its audit entry, in one transaction."""
    with unit_of_work(engine) as session:
        registrar = session.scalars(select(User).where(User.username == "registrar")).one()
        registered = dt.date(2022, 1, 10)
        household = households.register_household(session, HouseholdCreate(
            code=code, origin_settlement_code="gubadli", head_name="Test Person", size=4, children=1, rooms_needed=2,
            consent_to_return=True, consent_date=registered, registered_on=registered,
        ))  # fmt: skip
        audit.record_change(session, registrar, "create", household, before=None, comment="registered")


@pytest.fixture
def registry(application: Engine) -> Engine:
    """Reference facts, an account and two registered households, all written by the application role."""
    with unit_of_work(application) as session:
        loader.load_reference(session)
        accounts.create_user(session, UserCreate(username="registrar", password="a long password", role=Role.REGISTRAR))
    register_with_audit(application, "H1")
    register_with_audit(application, "H2")
    return application


@ONLY_POSTGRESQL
@pytest.mark.parametrize("attack", ATTACKS)
def test_the_application_role_cannot_empty_change_or_unguard_the_trail(registry: Engine, attack: str) -> None:
    with registry.connect() as connection, pytest.raises(ProgrammingError, match=r"permission denied|must be owner"):
        connection.execute(text(attack))
    with registry.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_entries")).scalar() == 2
    output = run("audit", "verify")
    assert "intact: 2 entries" in output and "warning" not in output


@ONLY_POSTGRESQL
def test_an_owner_level_edit_is_found_by_verify(registry: Engine, cli_database: str) -> None:
    run("readiness")  # a command on a schema at the newest revision: the application role may run it
    owner = make_engine(cli_database)
    with owner.begin() as connection:
        connection.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
        connection.execute(text("UPDATE audit_entries SET after = '{\"size\": 2}' WHERE id = 1"))
    owner.dispose()
    assert "broken at entry #1 (edited)" in fail("audit", "verify")


@ONLY_POSTGRESQL
def test_verify_warns_when_the_application_could_change_the_trail(cli_database: str) -> None:
    output = run("audit", "verify")  # one role: the test cluster's superuser, owner of everything
    assert "warning: this connection's role may change the trail in place (superuser, owner, UPDATE" in output


@ONLY_POSTGRESQL
def test_init_refuses_an_application_role_that_owns_the_schema(
    cli_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, migration_database_url=cli_database, database_url=f"{cli_database}&application_name=app")
    assert "db.application_role_owns_schema" in fail("init")


@ONLY_POSTGRESQL
def test_a_restore_keeps_the_chain_and_the_application_role_rights(
    registry: Engine, cli_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use(monkeypatch, files_dir=str(tmp_path / "files"))
    head = run("audit", "verify").split("Head hash: ")[1].split()[0]
    run("backup", "--out", str(tmp_path / "homecoming.tar"))  # pg_dump as the application role
    owner = make_engine(cli_database)
    with owner.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    owner.dispose()
    registry.dispose()
    run("restore", str(tmp_path / "homecoming.tar"))  # as the owner, who grants the application its rights again
    assert "intact: 2 entries" in run("audit", "verify", "--expect-head", head)
    register_with_audit(registry, "H3")
    assert "intact: 3 entries" in run("audit", "verify")
    with registry.connect() as connection, pytest.raises(ProgrammingError, match="permission denied"):
        connection.execute(text("TRUNCATE audit_entries"))
