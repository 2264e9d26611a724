"""Writing and reading the audit trail. Entries are only ever added: a change or removal is refused at flush."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.audit.models import AuditEntry
from homecoming.db.base import Base
from homecoming.interchange.spreadsheet import safe_row

AUDIT_COLUMNS = ("at", "username", "action", "table_name", "record_code", "before", "after", "comment")


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
    entry = AuditEntry(user_id=user_id, username=username, action=action, table_name=table_name, record_code=code,
                       before=before, after=after, comment=comment)  # fmt: skip
    session.add(entry)
    session.flush()
    return entry


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
) -> tuple[int, list[AuditEntry]]:
    """Newest first; `since` and `until` are whole days (UTC), both included."""
    query = select(AuditEntry)
    if table is not None:
        query = query.where(AuditEntry.table_name == table)
    if record_code is not None:
        query = query.where(AuditEntry.record_code == record_code)
    if username is not None:
        query = query.where(AuditEntry.username == username)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if since is not None:
        query = query.where(AuditEntry.at >= _day_start(since))
    if until is not None:
        query = query.where(AuditEntry.at < _day_start(until + dt.timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
    return total, list(rows)


def tables(session: Session) -> list[str]:
    """The tables the trail has entries for (to filter by)."""
    return list(session.scalars(select(AuditEntry.table_name).distinct().order_by(AuditEntry.table_name)))


def differences(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field the change touched; a create or delete shows its filled fields."""
    before, after = entry.before or {}, entry.after or {}
    names = sorted(set(before) | set(after))
    return [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


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
