"""The backup file itself: a tar written under a temporary name and renamed when complete, read only when verified.

A backup killed half-way leaves at most a hidden `.NAME.partial-*` file beside `--out`, never a file at `--out`;
the rename is the last step, after the data reached the disk. Every member is checked against the manifest before
a restore uses anything, so a changed byte or a cut-off file is refused before the database is touched.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

from homecoming.backup.manifest import FILES_PREFIX, MANIFEST, MANIFEST_CHECKSUM, Manifest, Member, corrupt, parse
from homecoming.errors import Conflict, NotFound, RuleViolation

CHUNK_BYTES = 1024 * 1024
OWNER_ONLY = 0o600


class _Hashing:
    """A reader that hashes what passes through it (tarfile reads each member exactly once)."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        return chunk


class BackupWriter:
    """Members go into `.NAME.partial-XXXX` (mode 0600) beside `out`; `finish` renames it to `out`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.members: dict[str, Member] = {}

    def __enter__(self) -> BackupWriter:
        if self.out.exists():
            raise Conflict(
                "backup.output_exists",
                f"{self.out} already exists; a backup never overwrites a file. Choose a new name "
                "(e.g. one with the date in it).",
                {"out": str(self.out)},
            )
        if not self.out.parent.is_dir():
            raise NotFound("backup.output_folder_missing", f"no such folder: {self.out.parent}", {"out": str(self.out)})
        try:  # mkstemp: a new name, created exclusively, mode 0600
            handle, partial = tempfile.mkstemp(dir=self.out.parent, prefix=f".{self.out.name}.partial-")
        except OSError as exc:
            message = f"cannot write in {self.out.parent}: {exc.strerror}"
            raise RuleViolation("backup.output_not_writable", message, {"out": str(self.out)}) from None
        self.partial = Path(partial)
        self.file = os.fdopen(handle, "wb")
        self.tar = tarfile.open(fileobj=self.file, mode="w", format=tarfile.PAX_FORMAT)
        return self

    def add_file(self, name: str, path: Path) -> Member:
        with path.open("rb") as source:
            hashing = _Hashing(source)
            self.tar.addfile(_info(name, path.stat().st_size), hashing)
        return self._remember(name, hashing.digest.hexdigest(), path.stat().st_size)

    def add_bytes(self, name: str, content: bytes) -> Member:
        self.tar.addfile(_info(name, len(content)), io.BytesIO(content))
        return self._remember(name, hashlib.sha256(content).hexdigest(), len(content))

    def _remember(self, name: str, sha256: str, size_bytes: int) -> Member:
        self.members[name] = Member(sha256=sha256, size_bytes=size_bytes)
        return self.members[name]

    def finish(self, manifest: Manifest) -> None:
        """Write the manifest, make the file durable, then give it its name: the only moment `out` appears."""
        raw = manifest.to_json()
        self.tar.addfile(_info(MANIFEST, len(raw)), io.BytesIO(raw))
        checksum = f"{hashlib.sha256(raw).hexdigest()}  {MANIFEST}\n".encode("ascii")
        self.tar.addfile(_info(MANIFEST_CHECKSUM, len(checksum)), io.BytesIO(checksum))
        self.tar.close()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.replace(self.partial, self.out)
        _sync_folder(self.out.parent)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if not self.file.closed:
            self.file.close()
        self.partial.unlink(missing_ok=True)


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = OWNER_ONLY
    info.mtime = int(time.time())
    return info


def _sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def verify(path: Path, database_to: Path) -> Manifest:
    """Check every member of the backup against the manifest; copy the database dump to `database_to` meanwhile.

    Raises `backup.corrupt` (a changed, missing, extra or cut-off member) before anything outside `database_to`
    is touched.
    """
    if not path.is_file():
        raise NotFound("backup.not_found", f"no such backup file: {path}", {"file": str(path)})
    try:
        with tarfile.open(path, mode="r:") as tar:
            members = tar.getmembers()
            manifest = _read_manifest(tar, members)
            seen: set[str] = set()
            for info in members:
                if info.name in seen:
                    raise corrupt("a member appears twice", info.name)
                seen.add(info.name)
                if info.name in (MANIFEST, MANIFEST_CHECKSUM):
                    continue
                target = database_to if info.name == manifest.database_member else None
                _check_member(tar, info, manifest, target)
    except (tarfile.TarError, EOFError) as exc:
        raise corrupt(f"the tar structure is broken: {exc}") from None
    missing = sorted(set(manifest.members) - seen)
    if missing:
        raise corrupt(f"{len(missing)} member(s) missing (the file is cut off?)", missing[0])
    _check_end(path, members[-1])
    return manifest


def _check_end(path: Path, last: tarfile.TarInfo) -> None:
    """The file ends as the writer ended it: the end-of-archive blocks, then zeros to a whole record."""
    end = last.offset_data + -(-last.size // tarfile.BLOCKSIZE) * tarfile.BLOCKSIZE
    size = path.stat().st_size
    with path.open("rb") as backup:
        backup.seek(end)
        tail = backup.read()
    if size % tarfile.RECORDSIZE or len(tail) < 2 * tarfile.BLOCKSIZE or tail.count(0) != len(tail):
        raise corrupt("the file does not end where a backup ends (it is cut off, or something was appended)")


def _read_manifest(tar: tarfile.TarFile, members: list[tarfile.TarInfo]) -> Manifest:
    by_name = {info.name: info for info in members}
    if MANIFEST not in by_name or MANIFEST_CHECKSUM not in by_name:
        raise corrupt("no manifest: the file is cut off, or is not a Homecoming backup", MANIFEST)
    raw = _read(tar, by_name[MANIFEST])
    expected = _read(tar, by_name[MANIFEST_CHECKSUM]).decode("ascii", errors="replace").split(" ")[0].strip()
    if hashlib.sha256(raw).hexdigest() != expected:
        raise corrupt("the manifest does not match its checksum", MANIFEST)
    return parse(raw)


def _read(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    extracted = tar.extractfile(info) if info.isfile() else None
    if extracted is None:
        raise corrupt("a member is not a regular file", info.name)
    return extracted.read()


def _check_member(tar: tarfile.TarFile, info: tarfile.TarInfo, manifest: Manifest, target: Path | None) -> None:
    expected = manifest.members.get(info.name)
    extracted = tar.extractfile(info) if info.isfile() else None
    if expected is None or extracted is None:
        raise corrupt("a member the manifest does not list", info.name)
    digest = hashlib.sha256()
    copy = target.open("wb") if target is not None else None
    try:
        while chunk := extracted.read(CHUNK_BYTES):
            digest.update(chunk)
            if copy is not None:
                copy.write(chunk)
    finally:
        if copy is not None:
            copy.close()
    if digest.hexdigest() != expected.sha256 or info.size != expected.size_bytes:
        raise corrupt("a member does not match its checksum", info.name)


def stored_files(path: Path, manifest: Manifest) -> Iterator[tuple[str, bytes]]:
    """The files-store objects of a verified backup as (key, content), each checked again as it is read."""
    with tarfile.open(path, mode="r:") as tar:
        for info in tar:
            if not info.name.startswith(FILES_PREFIX):
                continue
            content = _read(tar, info)
            if hashlib.sha256(content).hexdigest() != manifest.members[info.name].sha256:
                raise corrupt("a member changed since it was checked", info.name)
            yield info.name.removeprefix(FILES_PREFIX), content
