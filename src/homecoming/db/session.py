"""Engines and sessions. Services flush; only `unit_of_work` commits."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from homecoming.config import get_settings
from homecoming.db import freshness

SQLITE_BUSY_TIMEOUT_S = 5.0  # a writer waits this long for another's lock, then the API answers 503 (Retry-After)
PING_AFTER_IDLE_S = 2.0  # a pooled connection unused this long is tested before it is lent again


def make_engine(
    url: str,
    echo: bool = False,
    busy_timeout_s: float = SQLITE_BUSY_TIMEOUT_S,
    ping_after_idle_s: float = PING_AFTER_IDLE_S,
) -> Engine:
    """An engine whose pool tests a connection idle for `ping_after_idle_s` before lending it, so a restarted
    database is picked up again.

    On SQLite a writer waits `busy_timeout_s` for another writer's lock before giving up.
    """
    kwargs: dict[str, Any] = {"echo": echo}
    is_sqlite = make_url(url).get_backend_name() == "sqlite"
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": busy_timeout_s}
    engine = create_engine(url, **kwargs)
    event.listen(engine.pool, "checkout", _ping_when_idle(engine, ping_after_idle_s))
    event.listen(engine.pool, "checkin", _note_idle)
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
        path = make_url(url).database
        if path and path != ":memory:" and not path.startswith("file:"):
            event.listen(engine, "do_connect", lambda *_: _create_private(path))
    freshness.watch(engine)
    return engine


def _ping_when_idle(engine: Engine, idle_s: float) -> Callable[[Any, Any, Any], None]:
    """Test a connection idle for `idle_s` before lending it (a database restarted meanwhile has closed it; the
    pool then opens another). SQLAlchemy's pool_pre_ping tests every one: a round trip per request, for
    a connection that served another request a millisecond ago. A connection lost while busy fails its request
    (503, Retry-After) and the pool is emptied, so the next request starts afresh."""

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)  # none on a new connection: nothing to test
        if idle_since is None or time.monotonic() - idle_since < idle_s:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as lost:
            raise DisconnectionError("the idle connection was closed") from lost

    return checkout


def _note_idle(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info[_IDLE_SINCE] = time.monotonic()


_IDLE_SINCE = "homecoming.idle_since"  # the pool's record of a DBAPI connection: when it was last given back


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
