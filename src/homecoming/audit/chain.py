"""The audit trail's hash chain: the canonical form of an entry, its hash, and what a broken link is called.

Every entry holds `prev_hash`, the hash of the entry before it (GENESIS for the first), and `hash`:

    hash = SHA-256( canonical(entry) ), as 64 lower-case hex digits

where canonical(entry) is the UTF-8 (in fact ASCII) bytes of one JSON object, written with sorted keys, no
whitespace (separators "," and ":"), non-ASCII characters as \\u escapes and NaN/Infinity refused, holding exactly:

    v            1 (the version of this form)
    at           the entry's time in UTC as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (a time without zone is UTC)
    user_id      integer or null
    username, action, table_name, record_code    strings
    before, after    the JSON values stored (objects or null)
    comment      string or null
    prev_hash    64 hex digits

The entry's `id` is not part of it: the order is the chain itself (each entry names the one before), so a copy
restored elsewhere, or renumbered, verifies the same. The form depends only on the stored values, never on the
engine: the same trail hashes alike on SQLite and PostgreSQL and after a backup and restore. It is frozen: a change
would be a new `v`, and migration 0014 chains the entries written before the chain existed with this same code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FORMAT_VERSION = 1
GENESIS = "0" * 64  # the `prev_hash` of the first entry
HASHED_FIELDS = ("at", "user_id", "username", "action", "table_name", "record_code", "before", "after", "comment",
                 "prev_hash")  # fmt: skip


def json_ready(value: Any) -> Any:
    """`value` as it reads back from a JSON column (tuples as lists, keys as strings), so the hash made before the
    write is the hash of what is stored."""
    return None if value is None else json.loads(json.dumps(value, allow_nan=False))


def canonical_time(at: dt.datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)  # SQLite hands back the UTC time it stored, without its zone
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(values: Mapping[Any, Any]) -> bytes:
    """The bytes an entry's hash is taken of (the form is in the module's text); `values` holds HASHED_FIELDS."""
    document = {name: values[name] for name in HASHED_FIELDS}
    document["at"] = canonical_time(values["at"])
    document["v"] = FORMAT_VERSION
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode()


def entry_hash(values: Mapping[Any, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first place the chain does not hold: the entry where it shows, what is wrong, and a sentence saying it.

    kind: `edited` (an entry's content no longer matches its hash), `deleted` (the entry it was chained to is
    gone), `reordered` (it was chained to an entry that now stands elsewhere), `truncated` (the head hash recorded
    earlier is no longer in the chain: entries at the end were removed, or the chain rewritten)."""

    entry_id: int | None
    kind: str
    message: str


@dataclass(frozen=True)
class ChainReport:
    count: int  # entries checked and found chained (all of them when intact)
    head_id: int | None  # the last of those; None for an empty trail
    head_hash: str  # its hash (GENESIS for an empty trail): write it down to detect a truncated tail later
    broken: ChainBreak | None = None
    anchor_id: int | None = None  # the entry whose hash is the expected head, when one was given and found

    @property
    def intact(self) -> bool:
        return self.broken is None
