"""Writing, reading and verifying the audit trail. Entries are only ever added: a change or removal is refused at
flush, and each entry is chained to the one before it (homecoming.audit.chain), so one made anyway shows."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.audit import chain
from homecoming.audit.chain import GENESIS, ChainBreak, ChainReport
from homecoming.audit.models import AuditEntry
from homecoming.db import freshness
from homecoming.db.base import Base
from homecoming.db.crud import where_equal
from homecoming.interchange.spreadsheet import safe_row

AUDIT_COLUMNS = ("at", "username", "action", "table_name", "record_code", "before", "after", "comment")
VERIFY_BATCH = 1000  # entries read at a time by `verify_chain`
CHAIN_LOCK = 0x686F6D6561756474  # PostgreSQL advisory lock key ("homeaudt") that serialises appends to the chain


def snapshot(record: Base) -> dict[str, Any]:
    """The record's column values as JSON-ready data (dates as ISO text, enums as their values).

    Bytes (a tender's keys, a sealed bid) and anything else JSON cannot hold are kept only as a placeholder
    (`<32 bytes>`): the trail says that they changed, never what they are."""
    mapper = inspect(record).mapper
    return {attr.key: _plain(getattr(record, attr.key)) for attr in mapper.column_attrs}


def record_change(
    session: Session,
    user: User,
    action: str,
    record: Base,
    *,
    before: dict[str, Any] | None,
    comment: str | None = None,
    code: str | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; `before` is the snapshot taken before the change (None for a create).

    The entry is filed under `code` when given (a record with no code of its own, e.g. `<tender>/<bidder>` for a
    bid), else the record's `code`, else `#<id>`. `after` replaces the record's own snapshot when the change is
    more than one row (e.g. a price list with its items)."""
    if action == "delete":
        after = None
    elif after is None:
        after = snapshot(record)
    return _entry(session, user.id, user.username, action, record.__tablename__, record_code(record, code), before,
                  after, comment)  # fmt: skip


def linked_change(record: Base, before: dict[str, Any] | None, code: str | None = None) -> dict[str, Any]:
    """Another record changed by the same request, kept inside the request's one entry (in its `after`): which
    record, and its snapshot before and after, so the trail loses nothing by filing one entry per request."""
    return {"table": record.__tablename__, "record": record_code(record, code), "before": before,
            "after": snapshot(record)}  # fmt: skip


def record_import(
    session: Session, username: str, table_name: str, code: str, summary: dict[str, Any], comment: str | None = None
) -> AuditEntry:
    """One entry for a whole file imported into a table, not one per row: who, which file, how many rows changed.

    Filed under the import job's code with the action `import`; `after` holds the file's name and checksum and
    the counts (added, updated, unchanged)."""
    user = session.scalars(select(User).where(User.username == username)).one_or_none()
    user_id = user.id if user is not None else None
    return _entry(session, user_id, username, "import", table_name, code[:64], None, summary, comment)


def _entry(
    session: Session, user_id: int | None, username: str, action: str, table_name: str, code: str,
    before: dict[str, Any] | None, after: dict[str, Any] | None, comment: str | None,
) -> AuditEntry:  # fmt: skip
    prev_hash = _lock_chain_head(session)
    at = session.scalar(select(func.now()))  # the database's clock, as the column's default had it
    entry = AuditEntry(at=at, user_id=user_id, username=username, action=action, table_name=table_name,
                       record_code=code, before=chain.json_ready(before), after=chain.json_ready(after),
                       comment=comment, prev_hash=prev_hash)  # fmt: skip
    entry.hash = chain.entry_hash({name: getattr(entry, name) for name in chain.HASHED_FIELDS})
    session.add(entry)
    session.flush()
    return entry


def _lock_chain_head(session: Session) -> str:
    """Hold the chain until this transaction ends and return the hash the next entry follows.

    Two writers must never chain to the same head. PostgreSQL: a transaction-scoped advisory lock, so a second
    writer waits here and then reads the first one's committed entry. SQLite has one writer at a time, but a
    transaction that has not written yet holds no lock: BEGIN IMMEDIATE takes the write lock before the head is
    read. The unique `prev_hash` refuses a fork should anything else insert."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    elif connection.dialect.name == "sqlite" and not getattr(connection.connection.dbapi_connection,
                                                             "in_transaction", True):  # fmt: skip
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    head = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    return head or GENESIS


def verify_chain(session: Session, expect_head: str | None = None) -> ChainReport:
    """Walk the trail from its first entry and report the first broken link, or the count and the head's hash.

    An entry removed from the end leaves a shorter chain that is whole: only a head hash recorded earlier
    (`expect_head`) shows it, because that hash is then no longer in the chain. Entries added since are fine."""
    previous_hash, previous_id, count, anchor_id = GENESIS, None, 0, None
    found: dict[str, Any] | None = None
    walk = select(AuditEntry.__table__).order_by(AuditEntry.id).execution_options(yield_per=VERIFY_BATCH)
    result = session.execute(walk).mappings()
    try:
        for row in result:
            if chain.entry_hash(row) != row["hash"] or row["prev_hash"] != previous_hash:
                found = dict(row)
                break
            previous_hash, previous_id, count = row["hash"], row["id"], count + 1
            anchor_id = row["id"] if row["hash"] == expect_head else anchor_id
    finally:
        result.close()
    report = ChainReport(count=count, head_id=previous_id, head_hash=previous_hash, anchor_id=anchor_id)
    if found is not None:
        return _with_break(report, _broken_link(session, found, previous_id))
    if expect_head is not None and anchor_id is None:
        message = (f"the recorded head {expect_head} is not in the chain: entries after it were removed from the "
                   "end, or the trail was rewritten")  # fmt: skip
        return _with_break(report, ChainBreak(previous_id, "truncated", message))
    return report


def _broken_link(session: Session, row: dict[str, Any], previous_id: int | None) -> ChainBreak:
    entry_id = row["id"]
    if chain.entry_hash(row) != row["hash"]:
        message = f"entry #{entry_id} was changed after it was written: its content no longer matches its hash"
        return ChainBreak(entry_id, "edited", message)
    chained_to = session.scalar(select(AuditEntry.id).where(AuditEntry.hash == row["prev_hash"]))
    after = f"entry #{previous_id}" if previous_id is not None else "the start of the trail"
    if chained_to is not None:
        message = f"entry #{entry_id} was written after entry #{chained_to} but now follows {after}: entries were moved"
        return ChainBreak(entry_id, "reordered", message)
    if previous_id is None:
        message = f"entry #{entry_id} is not the first entry written: the entries before it were deleted"
    else:
        message = (f"the entry written between #{previous_id} and #{entry_id} is missing: deleted (or #{previous_id} "
                   "was rewritten together with its hash)")  # fmt: skip
    return ChainBreak(entry_id, "deleted", message)


def _with_break(report: ChainReport, broken: ChainBreak) -> ChainReport:
    return ChainReport(report.count, report.head_id, report.head_hash, broken, report.anchor_id)


def tamper_rights(session: Session) -> list[str]:
    """What lets the connected role change the trail in place (PostgreSQL): ownership, superuser, or UPDATE, DELETE
    or TRUNCATE on it. Empty when it may only read and append; always empty on SQLite (no roles: the chain and
    `audit verify` are the protection there)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return []
    row = connection.execute(text(TAMPER_RIGHTS)).mappings().one()
    return [name for name, held in row.items() if held]


TAMPER_RIGHTS = """
SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
       pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'audit_entries'::regclass), 'USAGE')
           AS owner,
       has_table_privilege('audit_entries', 'UPDATE') AS "UPDATE",
       has_table_privilege('audit_entries', 'DELETE') AS "DELETE",
       has_table_privilege('audit_entries', 'TRUNCATE') AS "TRUNCATE"
"""


def record_code(record: Base, code: str | None = None) -> str:
    """The stable name an entry is filed under (at most 64 characters, the column's width)."""
    own = code if code is not None else getattr(record, "code", None)
    if own is None:
        own = f"#{getattr(record, 'id', None)}"
    return str(own)[:64]


def entries(
    session: Session,
    *,
    table: str | None = None,
    record_code: str | None = None,
    username: str | None = None,
    action: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 100,
    offset: int = 0,
    oldest_first: bool = False,
) -> tuple[int, list[AuditEntry]]:
    """Newest first (or oldest first); `since` and `until` are whole days (UTC), both included."""
    query = where_equal(
        select(AuditEntry),
        (AuditEntry.table_name, table),
        (AuditEntry.record_code, record_code),
        (AuditEntry.username, username),
        (AuditEntry.action, action),
    )
    if since is not None:
        query = query.where(AuditEntry.at >= _day_start(since))
    if until is not None:
        query = query.where(AuditEntry.at < _day_start(until + dt.timedelta(days=1)))
    # Counted once per committed change (freshness): the trail only grows, and counting it all on every page would
    # cost more than the page.
    count = select(func.count()).select_from(query.subquery())
    key = ("audit count", table, record_code, username, action, since, until)
    total = freshness.cached(session, key, lambda: session.scalar(count) or 0)
    if offset >= total:  # exact for this data state: the page is empty (as listing.past_the_end)
        return total, []
    order = AuditEntry.id.asc() if oldest_first else AuditEntry.id.desc()  # the chain's order is the time order
    rows = session.scalars(query.order_by(order).limit(limit).offset(offset))
    return total, list(rows)


def tables(session: Session) -> list[str]:
    """The tables the trail has entries for (to filter by)."""
    return list(session.scalars(select(AuditEntry.table_name).distinct().order_by(AuditEntry.table_name)))


def differences(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field the change touched; a create or delete shows its filled fields."""
    before, after = entry.before or {}, entry.after or {}
    names = sorted(set(before) | set(after))
    return [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


def readable_differences(session: Session, entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """`differences` for a reader: a field pointing at another record (blocks_settlement_id 11) is named without its
    "_id" and shows that record's name or code, not its number."""
    table = Base.metadata.tables.get(entry.table_name)
    shown = []
    for name, before, after in differences(entry):
        column = table.c.get(name) if table is not None else None
        target = next(iter(column.foreign_keys)).column.table if column is not None and column.foreign_keys else None
        if target is None or not name.endswith("_id"):
            shown.append((name, before, after))
            continue
        label = next((target.c[c] for c in ("name", "username", "code") if c in target.c), None)
        if label is None:
            shown.append((name, before, after))
            continue
        ids = [v for v in (before, after) if isinstance(v, int)]
        found = session.execute(select(target.c.id, label).where(target.c.id.in_(ids))).all() if ids else []
        named = {row[0]: row[1] for row in found}
        shown.append((name.removesuffix("_id"), named.get(before, before), named.get(after, after)))
    return shown


def to_csv(rows: list[AuditEntry]) -> str:
    """The trail as CSV for a spreadsheet: every cell through safe_row, so a typed comment never runs as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for row in rows:
        values = [getattr(row, name) for name in AUDIT_COLUMNS]
        writer.writerow(safe_row("" if v is None else json.dumps(v) if isinstance(v, dict) else str(v) for v in values))
    return out.getvalue()


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return f"<{type(value).__name__}>"
