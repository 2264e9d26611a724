"""Optimistic concurrency, one rule for every door: a change must name the version of the record it read.

A use-case calls `check_version` before it changes a record; the door that called it decides how the current
record is shown (the API puts its own representation in `details.current`, a form shows the current values)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from homecoming.errors import RuleViolation
from homecoming.input_rules import InputModel


class Versioned(InputModel):
    """Sent with every change: the version the caller read, and why it changes (kept in the audit trail)."""

    version: int = Field(ge=1)
    comment: str | None = Field(default=None, max_length=1000)


class StaleVersion(RuleViolation):
    """The record changed after the caller read it. `record` is the current record (still in the session)."""

    status = 409

    def __init__(self, record: Any, given: int) -> None:
        super().__init__(
            f"{record.__tablename__}.stale_version",
            f"{record.code} is at version {record.version}, not {given}: someone changed it after you read it; "
            "the current record is in details.current",
            {"version": record.version},
        )
        self.record = record


def check_version(record: Any, given: int) -> None:
    """Refuse a change made from an older version of `record` than the one stored."""
    if record.version != given:
        raise StaleVersion(record, given)
