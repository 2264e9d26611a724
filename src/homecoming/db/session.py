"""Engines and sessions. Services flush; only `unit_of_work` commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from homecoming.config import get_settings
from homecoming.db import freshness


def make_engine(url: str, echo: bool = False) -> Engine:
    kwargs: dict[str, Any] = {"echo": echo}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    freshness.watch(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@lru_cache
def _engine_for(url: str) -> Engine:
    return make_engine(url, echo=get_settings().echo_sql)


def get_engine(url: str | None = None) -> Engine:
    return _engine_for(url or get_settings().database_url)


@lru_cache(maxsize=64)
def _sessions(engine: Engine) -> sessionmaker[Session]:
    """One factory per engine: making a sessionmaker makes a Session subclass, too dear to do on every request."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commits when the block ends, rolls everything back when it raises."""
    session = _sessions(engine or get_engine())()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
