"""Every database test runs twice: on the embedded SQLite default and on a real PostgreSQL.

The schema is built once per engine by the real migrations; each test gets a fresh copy of it (a copied SQLite
file, a PostgreSQL database created from a template), so tests never see each other's rows. Tests that start from
the same costly state (a demo, an old schema revision) get a copy of a `Template` built once per engine, instead
of building their own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from db_templates import TEMPLATE, Template, Templates
from homecoming.config import get_settings
from homecoming.db import make_engine
from homecoming.db import session as db_session
from homecoming.db.migrate import upgrade
from pg_cluster import throwaway_cluster


def pytest_configure(config: pytest.Config) -> None:
    """pytest-xdist's workers run with COLUMNS=80 in their environment: a rich Console made when a command module is
    imported would keep that width for good, and a table printed inside a test asking for a wide console (CliRunner's
    env={"COLUMNS": ...}) would still wrap at 80. Without it, each console reads the width when it prints."""
    os.environ.pop("COLUMNS", None)


ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a PostgreSQL database with admin rights: the one given in the environment or a throwaway cluster."""
    given = os.environ.get("HOMECOMING_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    with throwaway_cluster() as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> str:
    admin = make_engine(postgres_server).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE}"))
        connection.execute(text(f"CREATE DATABASE {TEMPLATE}"))
    template = make_engine(make_url(postgres_server).set(database=TEMPLATE).render_as_string(hide_password=False))
    upgrade(template)
    template.dispose()
    admin.dispose()
    return postgres_server


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    return Templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture
def database_template() -> Template | None:
    """The state a test's database starts from: the migrated, empty schema unless a conftest or test module overrides
    this fixture with a `Template`."""
    return None


@pytest.fixture(params=ENGINES)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, templates: Templates, database_template: Template | None
) -> Iterator[str]:
    """A fresh, migrated database on each engine (a copy of `database_template` when there is one)."""
    url = templates.copy(request, request.param, database_template, tmp_path / "homecoming.db")
    yield url
    templates.drop(request, url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def cli_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """`database_url` (each engine, migrated) as the database of the command line, which reads it from the
    environment; the cached settings and engine are dropped before and after so no other test's database leaks in."""
    monkeypatch.setenv("HOMECOMING_DATABASE_URL", database_url)
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
    yield database_url
    db_session.get_engine(database_url).dispose()
    get_settings.cache_clear()
    db_session._engine_for.cache_clear()
