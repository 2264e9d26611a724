"""The data state: equal while nothing is committed, different after any commit, absent inside a transaction that
wrote; and the cache that keeps a value for one state only."""

from __future__ import annotations

from sqlalchemy import Engine, event, select

from homecoming.db import freshness, make_engine, unit_of_work
from homecoming.territory import service as territory
from homecoming.territory.models import Region
from homecoming.territory.schemas import RegionCreate


def _state(engine: Engine) -> object:
    with unit_of_work(engine) as session:
        session.scalars(select(Region)).all()
        return freshness.data_state(session)


def test_the_state_stays_while_nothing_is_committed_and_moves_with_a_commit(engine: Engine) -> None:
    before = _state(engine)
    assert before is not None and _state(engine) == before
    with unit_of_work(engine) as session:
        territory.create_region(session, RegionCreate(code="east", name="East"))
    after = _state(engine)
    assert after != before and _state(engine) == after


def test_a_commit_by_a_second_engine_moves_the_state(engine: Engine, database_url: str) -> None:
    before = _state(engine)
    assert _state(engine) == before
    other = make_engine(database_url)
    try:
        with unit_of_work(other) as session:
            territory.create_region(session, RegionCreate(code="east", name="East"))
    finally:
        other.dispose()
    assert _state(engine) != before


def test_a_transaction_that_wrote_has_no_state_so_nothing_it_reads_is_cached(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        territory.create_region(session, RegionCreate(code="east", name="East"))
        assert freshness.data_state(session) is None
        calls = []
        for _ in range(2):
            freshness.cached(session, "regions", lambda: calls.append(1))
        assert len(calls) == 2


def test_the_state_is_asked_once_per_transaction_until_it_writes(engine: Engine) -> None:
    asked: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "pg_current_snapshot" in statement or "data_version" in statement:
            asked.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        with unit_of_work(engine) as session:
            first = freshness.data_state(session)
            assert first is not None and freshness.data_state(session) == first
            assert len(asked) == 1  # the second answer came from the first
            territory.create_region(session, RegionCreate(code="east", name="East"))
            session.flush()
            assert freshness.data_state(session) is None  # it wrote: no state, whatever was asked before
        with unit_of_work(engine) as session:
            assert freshness.data_state(session) not in (None, first)  # a new transaction asks again
        assert len(asked) == 2
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_rolled_back_write_leaves_the_next_transaction_a_state(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.exec_driver_sql("INSERT INTO regions (code, name) VALUES ('gone', 'Gone')")
        connection.rollback()
    assert _state(engine) is not None


def test_the_cache_computes_once_per_state_and_key() -> None:
    cache = freshness.FreshCache(size=2)
    calls: list[str] = []

    def compute(value: str) -> str:
        calls.append(value)
        return value

    assert cache.get("s1", "a", lambda: compute("a1")) == "a1"
    assert cache.get("s1", "a", lambda: compute("again")) == "a1"
    assert cache.get("s2", "a", lambda: compute("a2")) == "a2"  # another state: computed anew
    assert cache.get(None, "a", lambda: compute("none")) == "none"  # no state: never kept
    assert cache.get("s3", "b", lambda: compute("b3")) == "b3"  # the oldest entry (s1) goes
    assert cache.get("s1", "a", lambda: compute("a1 again")) == "a1 again"
    assert calls == ["a1", "a2", "none", "b3", "a1 again"]
