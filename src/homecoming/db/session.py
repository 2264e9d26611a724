"""Engines and sessions. Services flush; only `unit_of_work` commits."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from homecoming.config import get_settings
from homecoming.db import freshness

SQLITE_BUSY_TIMEOUT_S = 5.0  # a writer waits this long for another's lock, then the API answers 503 (Retry-After)


def make_engine(url: str, echo: bool = False, busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S) -> Engine:
    """An engine whose pool tests each connection before lending it, so a restarted database is picked up again.

    On SQLite a writer waits `busy_timeout_s` for another writer's lock before giving up.
    """
    kwargs: dict[str, Any] = {"echo": echo, "pool_pre_ping": True}
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": busy_timeout_s}
    engine = create_engine(url, **kwargs)
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
        path = make_url(url).database
        if path and path != ":memory:" and not path.startswith("file:"):
            event.listen(engine, "do_connect", lambda *_: _create_private(path))
    freshness.watch(engine)
    return engine


def _create_private(path: str) -> None:
    """Before SQLite creates a new file: create it readable by its owner only (its -wal and -shm files follow)."""
    if os.path.exists(path):
        return
    with contextlib.suppress(FileNotFoundError):  # no such folder: SQLite itself says so when it connects
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@lru_cache
def _engine_for(url: str) -> Engine:
    settings = get_settings()
    return make_engine(url, echo=settings.echo_sql, busy_timeout_s=settings.sqlite_busy_timeout_s)


def get_engine(url: str | None = None) -> Engine:
    return _engine_for(url or get_settings().database_url)


@lru_cache(maxsize=64)
def _sessions(engine: Engine) -> sessionmaker[Session]:
    """One factory per engine: making a sessionmaker makes a Session subclass, too dear to do on every request."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commits when the block ends, rolls everything back when it raises."""
    session = begin(engine)
    try:
        yield session
    except BaseException:
        end(session, commit=False)
        raise
    end(session, commit=True)


def begin(engine: Engine | None = None) -> Session:
    """A unit of work's session; no I/O until it is first used. Only `end` finishes it."""
    return _sessions(engine or get_engine())()


def end(session: Session, commit: bool) -> None:
    """Finish a unit of work: commit (or roll back when that fails, or when told not to commit), then close."""
    try:
        if not commit:
            session.rollback()
            return
        try:
            session.commit()
        except BaseException:
            session.rollback()
            raise
    finally:
        session.close()


def used(session: Session) -> bool:
    """Whether ending the session needs the database (it began a transaction); if not, ending it costs no I/O."""
    return session.in_transaction()
