"""The manifest: what a backup holds, and the SHA-256 of every member, so a restore can trust nothing else.

A backup is a tar file with these members, in this order:

- `database.sqlite3` (a SQLite database file) or `database.pgdump` (`pg_dump --format=custom`);
- `files/<key>` for every object of the files store (originals under `files/private/`, public copies under
  `files/public/`), whichever store (folder or S3 bucket) the settings chose;
- `manifest.json` (this) and `manifest.sha256` (the SHA-256 of `manifest.json`, so a changed manifest is caught too).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from homecoming.errors import RuleViolation

FORMAT = "homecoming-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_CHECKSUM = "manifest.sha256"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FILES_PREFIX = "files/"
# A files-store key as the stores make them (private/ab/<sha256>.jpg); nothing that could climb out of a folder.
_SAFE_KEY = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Member:
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class Manifest:
    engine: str  # "sqlite" or "postgresql": a backup restores on the engine that made it
    alembic_revision: str | None
    created_at: str  # ISO 8601, UTC
    homecoming_version: str
    row_counts: dict[str, int]  # table -> rows, read from the same snapshot as the dump
    files_store: str  # "folder" or "s3"; its objects are included either way
    members: dict[str, Member] = field(default_factory=dict)  # every other member but the manifest's own checksum
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBER[self.engine]

    @property
    def file_keys(self) -> list[str]:
        return sorted(name.removeprefix(FILES_PREFIX) for name in self.members if name.startswith(FILES_PREFIX))

    def to_json(self) -> bytes:
        return (json.dumps(asdict(self), indent=2, sort_keys=True) + "\n").encode("utf-8")


def corrupt(reason: str, member: str | None = None) -> RuleViolation:
    details: dict[str, Any] = {"reason": reason}
    if member is not None:
        details["member"] = member
    return RuleViolation(
        "backup.corrupt",
        f"the backup file is damaged or incomplete ({reason}); nothing was restored. Use another backup.",
        details,
    )


def parse(raw: bytes) -> Manifest:
    """The manifest from its bytes (already checked against `manifest.sha256`), or a refusal saying why."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise corrupt("the manifest is not JSON", MANIFEST) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise corrupt("this is not a Homecoming backup", MANIFEST)
    if data.get("format_version") != FORMAT_VERSION:
        raise RuleViolation(
            "backup.unsupported_format",
            f"this backup has format version {data.get('format_version')!r}; this Homecoming reads version "
            f"{FORMAT_VERSION}. Restore it with the Homecoming version that made it "
            f"({data.get('homecoming_version', 'unknown')}).",
            {"format_version": data.get("format_version"), "supported": FORMAT_VERSION},
        )
    try:
        manifest = Manifest(
            engine=str(data["engine"]),
            alembic_revision=data["alembic_revision"],
            created_at=str(data["created_at"]),
            homecoming_version=str(data["homecoming_version"]),
            row_counts={str(k): int(v) for k, v in data["row_counts"].items()},
            files_store=str(data["files_store"]),
            members={
                str(name): Member(sha256=str(m["sha256"]), size_bytes=int(m["size_bytes"]))
                for name, m in data["members"].items()
            },
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise corrupt("the manifest lacks a field or has a wrong one", MANIFEST) from None
    _check_names(manifest)
    return manifest


def _check_names(manifest: Manifest) -> None:
    if manifest.engine not in DATABASE_MEMBER:
        raise corrupt(f"unknown engine {manifest.engine!r}", MANIFEST)
    if manifest.database_member not in manifest.members:
        raise corrupt("the manifest names no database dump", MANIFEST)
    for name in manifest.members:
        if name == manifest.database_member:
            continue
        if not name.startswith(FILES_PREFIX) or not _SAFE_KEY.match(name.removeprefix(FILES_PREFIX)):
            raise corrupt(f"unexpected member name {name!r}", name)
