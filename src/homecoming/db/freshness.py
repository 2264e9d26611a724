"""Figures computed from the database, kept until a change is committed to it, by this process or any other.

A public page may show a figure computed for an earlier request only if nothing has been committed since: a
figure is never staler than the last committed change. `data_state(session)` answers with one cheap query a value
that is equal for two requests exactly when no write was committed between them, whichever process, engine or
tool made it:

- PostgreSQL: the transaction snapshot (`pg_current_snapshot()`: the xids committed and in progress). Every write
  takes an xid, so its commit changes every later snapshot; two equal snapshots see the same rows. The server's
  start time is part of the value (a new or restarted cluster numbers its xids anew).
- SQLite: `PRAGMA data_version` tells a connection whether another connection has committed since it last asked;
  this process's own commits are noted by engine events (`watch`). Either one moves a counter in this process.

Why not a version row bumped by every write, or aggregate tables kept by the writes: both need every write path
(imports, bulk loads, restores, an operator's SQL) to remember them and a migration; a single row every write
transaction updates also makes writers queue behind each other. The snapshot catches them all for free. The price:
any write, even to a table no figure reads (a job's heartbeat), recomputes the figures, so their queries are kept
cheap too (one pass over the registry: households.service.registry_counts).

A transaction that has itself written gets no state (None): what it reads is not committed and is never cached.
The value is read before the figures, so a figure cached under a state is as new as that state, or newer.

Whole answers (a list's JSON body, a map layer) are kept by the same rule in a cache of their own, bounded in bytes
(`cached_answer`; the API's lists through `http.deps.Unit.kept`), so paging never pushes a figure out. An answer
that also depends on the clock (a deadline passing changes it) is kept with the instants it holds for (`Answer`):
until the next instant at which the clock alone could change it, and never for a request whose clock is earlier than
the instant it was made for.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.engine.interfaces import DBAPICursor
from sqlalchemy.orm import Session

T = TypeVar("T")
A = TypeVar("A", bytes, "Answer")  # an answer kept whole: its body, or its body with the instants it holds for
POSTGRESQL_STATE = text(
    "SELECT pg_current_snapshot()::text, pg_postmaster_start_time()::text, pg_current_xact_id_if_assigned() IS NULL"
)
WRITES = ("insert", "update", "delete", "replace", "create", "drop", "alter")
_sqlite_changes = itertools.count(1)  # moved on every change seen; only equality of its values matters
_sqlite_now = 0
_sqlite_lock = threading.Lock()


def data_state(session: Session) -> Hashable | None:
    """Equal for two reads when nothing was committed between them; None inside a transaction that wrote.

    Asked once per transaction: later calls in the same transaction answer the first one's value until it writes
    (a list's count, its page and its codes then cost one state query, not three). A figure computed after the
    first call is then as new as that state or newer, as the module's text allows."""
    connection = session.connection()
    if connection.info.get("writing"):
        return None
    transaction = session.get_transaction()
    asked = session.info.get(_ASKED)
    if asked is not None and asked[0] is transaction:
        known: Hashable | None = asked[1]
        return known
    state = _ask(connection)
    session.info[_ASKED] = (transaction, state)
    return state


_ASKED = "homecoming.data_state"  # session.info key: (the transaction it was asked in, the state)


def _ask(connection: Connection) -> Hashable | None:
    if connection.dialect.name == "postgresql":
        snapshot, started, clean = connection.execute(POSTGRESQL_STATE).one()
        return (started, snapshot) if clean else None
    if connection.dialect.name == "sqlite":
        return _sqlite_state(connection)
    return None  # an engine we cannot watch: compute every time


def _sqlite_state(connection: Connection) -> Hashable | None:
    global _sqlite_now
    info = connection.info  # the DBAPI connection's own dict: it lives as long as the connection
    if info.get("writing"):
        return None
    seen = connection.exec_driver_sql("PRAGMA data_version").scalar()
    with _sqlite_lock:
        if info.pop("committed", False) or info.get("data_version") != seen:
            _sqlite_now = next(_sqlite_changes)  # a connection new to us counts as a change: we cannot know
        info["data_version"] = seen
        return ("sqlite", _sqlite_now)


def watch(engine: Engine) -> None:
    """Note which connections have written in their transaction (their state is then None without asking), and
    this engine's own commits on SQLite (PRAGMA data_version only reports other connections')."""
    if event.contains(engine, "after_cursor_execute", _noted_write):
        return
    event.listen(engine, "after_cursor_execute", _noted_write)
    event.listen(engine, "commit", _committed)
    event.listen(engine, "rollback", _rolled_back)
    event.listen(engine.pool, "checkin", _checked_in)


def _noted_write(
    connection: Connection,
    _cursor: DBAPICursor,
    statement: str,
    _params: Any,
    context: DefaultExecutionContext | None,
    _many: bool,
) -> None:
    compiled_write = context is not None and (context.isinsert or context.isupdate or context.isdelete)
    if compiled_write or (statement.split(None, 1) or [""])[0].lower() in WRITES:
        connection.info["writing"] = True


def _committed(connection: Connection) -> None:
    if not connection.invalidated and connection.info.pop("writing", False) and connection.dialect.name == "sqlite":
        connection.info["committed"] = True


def _rolled_back(connection: Connection) -> None:
    if not connection.invalidated:  # a lost connection has no info left (asking for it would try to reconnect)
        connection.info.pop("writing", None)


def _checked_in(_dbapi_connection: Any, record: Any) -> None:
    """Back in the pool, the transaction is over: a write still noted was rolled back with it."""
    if record is not None:
        record.info.pop("writing", None)


def cache_for(engine: Engine) -> FreshCache:
    """The engine's cache of figures (a cache per engine: two databases never share an entry)."""
    return _one_of(_caches, engine, FreshCache)


def answers_for(engine: Engine) -> FreshCache:
    """The engine's cache of whole answers (a list's JSON body), apart from the figures: paging through the registry
    never pushes the overview's figures out. Bounded by the bytes it keeps as well as by its entries."""
    return _one_of(_answers, engine, lambda: FreshCache(size=ANSWERS_KEPT, budget_bytes=ANSWER_BYTES))


def _one_of(
    caches: weakref.WeakKeyDictionary[Engine, FreshCache], engine: Engine, make: Callable[[], FreshCache]
) -> FreshCache:
    with _caches_lock:
        found = caches.get(engine)
        if found is None:
            found = caches[engine] = make()
        return found


def cached(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or its value from an earlier request if nothing was committed since (see the module's text)."""
    return cache_for(_engine(session)).get(data_state(session), key, compute)


def cached_answer(session: Session, key: Hashable, compute: Callable[[], A], now: dt.datetime | None = None) -> A:
    """`cached` for an answer's body: `key` must name everything the answer depends on besides the data and the
    clock (the route, its parameters, what about the caller it shows, a setting it reads), as `http.deps.Unit.kept`
    does. An answer that depends on the clock says for which instants it holds (`Answer.since` and `until`), and is
    served only to a request whose `now` lies between them; a body alone (bytes) depends on the data alone."""
    return answers_for(_engine(session)).get(data_state(session), key, compute, lambda kept: _holds(kept, now))


def _holds(kept: bytes | Answer, now: dt.datetime | None) -> bool:
    return not isinstance(kept, Answer) or kept.holds_at(now)


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer's body, and the instants it holds for: from `since` (the instant it was computed for) until just
    before `until`, the next instant at which the clock alone could change it (a deadline passing). Both None: it
    depends on the data alone. Times are the server's clock, as naive UTC (the form stored times take)."""

    body: bytes
    since: dt.datetime | None = None
    until: dt.datetime | None = None

    def holds_at(self, now: dt.datetime | None) -> bool:
        if self.since is None and self.until is None:
            return True
        if now is None:
            return False  # a request that gives no instant is never answered from one that depends on the clock
        return (self.since is None or self.since <= now) and (self.until is None or now < self.until)

    def __len__(self) -> int:  # what it weighs in the cache's byte budget
        return len(self.body)


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


class FreshCache:
    """Values by key, each kept with the data state it was computed under and served only under that state.

    One computation per key and state at a time: requests that miss together wait for the first one instead of
    all running the same queries. The oldest entries go when there are more than `size`."""

    def __init__(self, size: int = 256, budget_bytes: int | None = None) -> None:
        self.size = size
        self.budget_bytes = budget_bytes  # when set, the values are bytes and together at most this many are kept
        self._bytes = 0
        self._values: OrderedDict[tuple[Hashable, Hashable], Any] = OrderedDict()
        self._computing: dict[tuple[Hashable, Hashable], threading.Lock] = {}
        self._lock = threading.Lock()

    def get(
        self, state: Hashable | None, key: Hashable, compute: Callable[[], T], holds: Callable[[T], bool] | None = None
    ) -> T:
        """The value kept for `key` under `state`, else `compute()`'s (kept). `holds`: whether a kept value may still
        be served (an answer that depends on the clock, past its instant, is computed anew and replaced)."""
        if state is None:
            return compute()
        entry = (state, key)
        found = self._lookup(entry)
        if found is not _MISSING and (holds is None or holds(found)):
            return found  # type: ignore[no-any-return]
        with self._lock:
            computing = self._computing.setdefault(entry, threading.Lock())
        with computing:
            found = self._lookup(entry)
            if found is not _MISSING and (holds is None or holds(found)):
                return found  # type: ignore[no-any-return]
            try:
                value = compute()
                self._keep(entry, value)
            finally:
                with self._lock:
                    self._computing.pop(entry, None)
        return value

    def _keep(self, entry: tuple[Hashable, Hashable], value: Any) -> None:
        weight = 0 if self.budget_bytes is None else len(value)
        if self.budget_bytes is not None and weight > self.budget_bytes:
            return  # larger than the whole budget: answered, not kept
        with self._lock:
            replaced = self._values.pop(entry, None)
            self._bytes += weight - (0 if replaced is None or self.budget_bytes is None else len(replaced))
            self._values[entry] = value
            while len(self._values) > self.size or (self.budget_bytes is not None and self._bytes > self.budget_bytes):
                _, dropped = self._values.popitem(last=False)
                self._bytes -= 0 if self.budget_bytes is None else len(dropped)

    def _lookup(self, entry: tuple[Hashable, Hashable]) -> Any:
        with self._lock:
            if entry in self._values:
                self._values.move_to_end(entry)
                return self._values[entry]
        return _MISSING


_MISSING = object()
_caches: weakref.WeakKeyDictionary[Engine, FreshCache] = weakref.WeakKeyDictionary()
_answers: weakref.WeakKeyDictionary[Engine, FreshCache] = weakref.WeakKeyDictionary()
ANSWERS_KEPT = 4096  # answers kept per engine and process, at most
ANSWER_BYTES = 32 * 2**20  # and at most this many bytes of them (a page of 500 households is about 150 kB)
_caches_lock = threading.Lock()
