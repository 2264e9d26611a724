"""Databases the tests start from, built once per engine and test process; each test gets a copy of one.

SQLite: a file copied. PostgreSQL: `CREATE DATABASE ... TEMPLATE`, from the migrated schema (TEMPLATE, made by the
`postgres_template` fixture) or from a template database seeded from it.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from homecoming.db import make_engine

TEMPLATE = "homecoming_template"
_numbers = itertools.count()


@dataclass(frozen=True)
class Template:
    """A database state some tests start from: `build` fills a freshly migrated database and returns what the tests
    need to know about it (tokens, accounts). It is built once per engine and test process; each test gets a copy."""

    name: str
    build: Callable[[Engine], Any]


class Templates:
    """The built templates of this test process: a SQLite file or a PostgreSQL template database per engine."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._made: dict[tuple[str, str], Any] = {}

    def copy(self, request: pytest.FixtureRequest, kind: str, template: Template | None, path: Path) -> str:
        """The URL of a new database on engine `kind` holding the template (None: the migrated, empty schema); a
        SQLite database is made at `path`."""
        if kind == "sqlite":
            shutil.copy(self._sqlite(request.getfixturevalue("sqlite_template"), template), path)
            return f"sqlite:///{path}"
        server = request.getfixturevalue("postgres_template")
        name = f"homecoming_test_{os.getpid()}_{next(_numbers)}"
        _create_database(server, name, self._postgres(server, template))
        return make_url(server).set(database=name).render_as_string(hide_password=False)

    def drop(self, request: pytest.FixtureRequest, url: str) -> None:
        """Drop a copy `copy` made on PostgreSQL (a SQLite copy goes with the test's folder)."""
        if make_url(url).get_backend_name() == "postgresql":
            admin = make_engine(request.getfixturevalue("postgres_template"))
            with admin.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)"))
            admin.dispose()

    def made(self, template: Template, kind: str) -> Any:
        """What the template's `build` returned on engine `kind`."""
        return self._made[template.name, kind]

    def _sqlite(self, base: Path, template: Template | None) -> Path:
        if template is None:
            return base
        path = self._folder / f"{template.name}.db"
        if (template.name, "sqlite") not in self._made:
            shutil.copy(base, path)
            engine = make_engine(f"sqlite:///{path}")
            self._made[template.name, "sqlite"] = template.build(engine)
            with engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
        return path

    def _postgres(self, server: str, template: Template | None) -> str:
        if template is None:
            return TEMPLATE
        name = f"{TEMPLATE}_{template.name.replace('-', '_')}"
        if (template.name, "postgresql") not in self._made:
            _create_database(server, name, TEMPLATE, replace=True)
            engine = make_engine(make_url(server).set(database=name).render_as_string(hide_password=False))
            self._made[template.name, "postgresql"] = template.build(engine)
            engine.dispose()  # a template database must have no connections when it is copied
        return name


def _create_database(server: str, name: str, template: str, replace: bool = False) -> None:
    admin = make_engine(server).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if replace:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    admin.dispose()
