"""Issue 16 item 7: the audit trail is tamper-evident. Each attack goes around the append-only guards the way an
attacker with the database in hand would (SQLite: drop the triggers; PostgreSQL: the owner disables them), and
`homecoming audit verify` names the entry where the chain no longer holds, with exit code 1."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text

from cli_support import fail, run
from homecoming.audit import service as audit
from homecoming.audit.chain import GENESIS, entry_hash
from homecoming.audit.models import AuditEntry
from homecoming.db import make_engine, unit_of_work
from homecoming.db.migrate import downgrade_to_empty, upgrade


def append(engine: Engine, *codes: str) -> None:
    """One audit entry per code, each in a transaction of its own, as imports write them."""
    for code in codes:
        with unit_of_work(engine) as session:
            audit.record_import(session, "registrar", "households", code, {"added": 3, "file": f"{code}.csv"}, "é ✓")


def heads(engine: Engine) -> list[tuple[int, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, prev_hash, hash FROM audit_entries ORDER BY id"))
        return [(int(entry_id), str(prev_hash), str(own)) for entry_id, prev_hash, own in rows]


def tamper(engine: Engine, *statements: str) -> None:
    """Run `statements` with the append-only triggers out of the way, as the attacker of the issue did."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_entries_no_update"))
            connection.execute(text("DROP TRIGGER audit_entries_no_delete"))
        else:  # the table's owner may; the application role may not (test_security_audit_roles.py)
            connection.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
        for statement in statements:
            connection.execute(text(statement))


@pytest.fixture
def trail(cli_database: str) -> Iterator[Engine]:
    """The command line's database (each engine) holding three chained entries, #1 to #3."""
    engine = make_engine(cli_database)
    append(engine, "import-1", "import-2", "import-3")
    yield engine
    engine.dispose()


def test_every_entry_is_chained_to_the_one_before_it(trail: Engine) -> None:
    (one, first_prev, first), (two, second_prev, second), (three, third_prev, third) = heads(trail)
    assert (one, two, three) == (1, 2, 3)
    assert (first_prev, second_prev, third_prev) == (GENESIS, first, second)
    with unit_of_work(trail) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.id == 2)).one()
        assert entry_hash({name: getattr(entry, name) for name in audit.chain.HASHED_FIELDS}) == second
    output = run("audit", "verify")
    assert "intact: 3 entries" in output and f"Head hash: {third}" in output
    assert "entry #3; every entry up to it" in run("audit", "verify", "--expect-head", third)


def test_an_entry_deleted_behind_the_triggers_shows_as_a_gap(trail: Engine) -> None:
    tamper(trail, "DELETE FROM audit_entries WHERE id = 2")
    output = fail("audit", "verify")
    assert "broken at entry #3 (deleted)" in output
    assert "the entry written between #1 and #3 is missing" in output
    assert "Intact before it: 1 entries, up to #1" in output


def test_an_edited_entry_is_named(trail: Engine) -> None:
    tamper(trail, "UPDATE audit_entries SET comment = 'nothing happened' WHERE id = 2")
    output = fail("audit", "verify")
    assert "broken at entry #2 (edited)" in output and "no longer matches its hash" in output


def test_an_edit_with_a_recomputed_hash_still_breaks_the_next_link(trail: Engine) -> None:
    with unit_of_work(trail) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.id == 2)).one()
        forged = {name: getattr(entry, name) for name in audit.chain.HASHED_FIELDS} | {"username": "nobody"}
    tamper(trail, f"UPDATE audit_entries SET username = 'nobody', hash = '{entry_hash(forged)}' WHERE id = 2")
    output = fail("audit", "verify")
    assert "broken at entry #3 (deleted)" in output and "or #2 was rewritten together with its hash" in output


def test_moved_entries_are_named(trail: Engine) -> None:
    tamper(
        trail,
        "UPDATE audit_entries SET id = 100 WHERE id = 2",
        "UPDATE audit_entries SET id = 2 WHERE id = 3",
        "UPDATE audit_entries SET id = 3 WHERE id = 100",
    )
    output = fail("audit", "verify")
    assert "broken at entry #2 (reordered)" in output
    assert "entry #2 was written after entry #3 but now follows entry #1" in output


def test_deleting_the_first_entries_shows(trail: Engine) -> None:
    tamper(trail, "DELETE FROM audit_entries WHERE id = 1")
    assert "entry #2 is not the first entry written" in fail("audit", "verify")


def test_a_truncated_tail_shows_only_against_a_recorded_head(trail: Engine) -> None:
    recorded = heads(trail)[-1][2]
    tamper(trail, "DELETE FROM audit_entries WHERE id = 3")
    assert "intact: 2 entries" in run("audit", "verify")  # the shorter chain is whole: nothing to see without an anchor
    output = fail("audit", "verify", "--expect-head", recorded)
    assert "(truncated)" in output and f"the recorded head {recorded} is not in the chain" in output


def test_a_recorded_head_still_verifies_after_more_entries(trail: Engine) -> None:
    recorded = heads(trail)[-1][2]
    append(trail, "import-4")
    assert "The recorded head is entry #3" in run("audit", "verify", "--expect-head", recorded)


def test_concurrent_writers_keep_one_unbroken_chain(engine: Engine, database_url: str) -> None:
    writers, entries_each = 3, 8
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(number: int) -> None:
        own = make_engine(database_url)  # a connection pool of its own, as another process would have
        try:
            start.wait()
            append(own, *(f"w{number}-{n}" for n in range(entries_each)))
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with unit_of_work(engine) as session:
        report = audit.verify_chain(session)
    assert report.intact and report.count == writers * entries_each


def test_migration_chains_the_entries_written_before_it(engine: Engine) -> None:
    downgrade_to_empty(engine)
    upgrade(engine, "0013")  # the revision before the chain
    with engine.begin() as connection:
        for code in ("old-1", "old-2"):
            connection.execute(
                text(
                    "INSERT INTO audit_entries (username, action, table_name, record_code, before, after, comment) "
                    "VALUES ('planner', 'update', 'projects', :code, :before, :after, NULL)"
                ),
                {"code": code, "before": '{"budget_amount": null}', "after": '{"budget_amount": 750000.0, "b": [1]}'},
            )
    upgrade(engine)
    with unit_of_work(engine) as session:
        report = audit.verify_chain(session)
    assert report.intact and report.count == 2
    append(engine, "new-1")
    with unit_of_work(engine) as session:
        assert audit.verify_chain(session).count == 3
    with engine.connect() as connection, pytest.raises(Exception, match="append-only"):
        connection.execute(text("DELETE FROM audit_entries"))  # the migration left the triggers in place
