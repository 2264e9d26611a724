"""The pool tests a connection only after it has been idle: one that was idle and then closed by the database is
replaced without the request noticing; one lost while it was in use fails its own request, and the next one
starts afresh."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from homecoming.db import make_engine, unit_of_work
from homecoming.territory.models import Region


def _regions(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(Region)) or 0


def _close_the_pools_connections(database_url: str) -> None:
    """What a restart of the database does to the connections the pool keeps."""
    name = make_url(database_url).database
    admin = make_engine(make_url(database_url).set(database="postgres").render_as_string(hide_password=False))
    with admin.execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
        drop = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
        connection.execute(text(drop), {"n": name})
    admin.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_an_idle_connection_closed_by_the_database_is_replaced_unnoticed(database_url: str) -> None:
    engine = make_engine(database_url, ping_after_idle_s=0.0)  # every connection given back counts as idle
    try:
        assert _regions(engine) == 0  # the pool now keeps one connection
        _close_the_pools_connections(database_url)
        assert _regions(engine) == 0
    finally:
        engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_connection_lost_in_use_fails_once_and_the_next_unit_of_work_recovers(database_url: str) -> None:
    engine = make_engine(database_url, ping_after_idle_s=3600.0)  # never idle long enough to be tested
    try:
        assert _regions(engine) == 0
        _close_the_pools_connections(database_url)
        with pytest.raises(OperationalError):
            _regions(engine)
        assert _regions(engine) == 0
    finally:
        engine.dispose()


def test_an_idle_connection_is_tested_and_lent_again(database_url: str) -> None:
    """On both engines: the test of an idle connection passes when nothing happened to it."""
    engine = make_engine(database_url, ping_after_idle_s=0.0)
    try:
        assert [_regions(engine) for _ in range(3)] == [0, 0, 0]
    finally:
        engine.dispose()
