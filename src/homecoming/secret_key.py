"""The key that signs the session cookie: the one given in HOMECOMING_SECRET_KEY, else a random one of this
installation's own, made on first use and kept in HOMECOMING_SECRET_KEY_FILE (owner-only, mode 0600).

There is no shared default: a key anyone can read in the source would let anyone sign a cookie.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from pathlib import Path

from homecoming.config import Settings, is_weak_secret
from homecoming.errors import RuleViolation

KEY_BYTES = 48  # secrets.token_urlsafe(48): 64 characters, 384 random bits


def session_secret(settings: Settings) -> str:
    """The explicit key when one is set (it wins), else the installation's key file, made when missing."""
    if settings.secret_key is not None:
        return settings.secret_key
    return read_or_create(settings.secret_key_file)


def read_or_create(path: Path) -> str:
    """Read the key file; when there is none, write a new random key, atomically: made under a temporary name
    (mkstemp: mode 0600), then hard-linked into place, which fails rather than replace a key another process
    (a second server worker starting at the same moment) put there first. Whichever key won is read back."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "w") as out:
                out.write(secrets.token_urlsafe(KEY_BYTES) + "\n")
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return _read(path)


def _read(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if os.name == "posix" and mode & 0o077:
        raise RuleViolation(
            "secret_key.file_readable_by_others",
            f"the secret key file {path} may be read by other users (mode {mode:04o}): run `chmod 600 {path}`",
            {"path": str(path), "mode": f"{mode:04o}"},
        )
    key = path.read_text(encoding="utf-8").strip()
    if is_weak_secret(key):
        raise RuleViolation(
            "secret_key.file_weak",
            f"the secret key file {path} holds no strong key; remove it and a new random one is made "
            "(everyone logged in will have to log in again)",
            {"path": str(path)},
        )
    return key
