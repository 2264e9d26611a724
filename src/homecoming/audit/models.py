from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, event, func
from sqlalchemy.orm import Mapped, Session, mapped_column

from homecoming.db.base import Base
from homecoming.errors import RuleViolation


class AuditEntry(Base):
    """One create, update or delete; append-only (refused at flush here, and by database triggers: migration 0006),
    and hash-chained (migration 0014, homecoming.audit.chain): a change or a removal shows in `audit verify`."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    username: Mapped[str] = mapped_column(String(64))  # kept even if the account goes
    action: Mapped[str] = mapped_column(String(16))  # create / update / delete
    table_name: Mapped[str] = mapped_column(String(64), index=True)
    record_code: Mapped[str] = mapped_column(String(64), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # unique: two entries never follow the same one
    hash: Mapped[str] = mapped_column(String(64))


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _context: Any, _instances: Any) -> None:
    touched = [obj for obj in (*session.dirty, *session.deleted) if isinstance(obj, AuditEntry)]
    if any(obj in session.deleted or session.is_modified(obj) for obj in touched):
        raise RuleViolation("audit.append_only", "the audit trail is append-only: an entry cannot change or go")
