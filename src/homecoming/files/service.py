"""Attaching photographs and documents to damaged objects, heritage sites and contract amendments.

Everything is checked before anything is written: a refused file leaves no trace in the folder or the database.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.config import Settings, get_settings
from homecoming.damage.models import DamagedObject
from homecoming.db.crud import get_by_code
from homecoming.errors import RuleViolation
from homecoming.files.checks import CheckedFile, check_content, too_large
from homecoming.files.models import Attachment
from homecoming.files.store import FileStore, FolderStore, original_key, public_key
from homecoming.heritage.models import HeritageSite


def default_store(settings: Settings | None = None) -> FileStore:
    """The store the settings choose: the files folder (default) or an S3-compatible bucket."""
    settings = settings or get_settings()
    if settings.files_store == "folder":
        return FolderStore(settings.files_dir)
    if not settings.s3_bucket:
        raise RuleViolation(
            "files.store_not_configured",
            "HOMECOMING_FILES_STORE=s3 needs HOMECOMING_S3_BUCKET (and HOMECOMING_S3_ENDPOINT_URL unless it is AWS)",
        )
    from homecoming.files.store_s3 import S3Store, s3_client  # boto3 is loaded only when S3 is chosen

    secret = settings.s3_secret_access_key.get_secret_value() if settings.s3_secret_access_key else None
    client = s3_client(settings.s3_endpoint_url, settings.s3_region, settings.s3_access_key_id, secret)
    return S3Store(client, settings.s3_bucket)


def read_checked(path: Path, max_bytes: int | None = None) -> tuple[bytes, CheckedFile]:
    """The file's bytes and what they are; the size is checked before the file is read."""
    limit = max_bytes or get_settings().max_file_bytes
    if not path.is_file():
        raise RuleViolation("files.not_found", f"no such file: {path}", {"file": str(path)})
    size = path.stat().st_size
    if size > limit:
        raise too_large(path.name, size, limit)
    content = path.read_bytes()
    return content, check_content(path.name, content, limit)


def attach_to_object(
    session: Session,
    object_code: str,
    path: Path,
    *,
    caption: str | None = None,
    store: FileStore | None = None,
    max_bytes: int | None = None,
) -> Attachment:
    owner = get_by_code(session, DamagedObject, object_code)
    return _attach(session, path, caption, store, max_bytes, damaged_object_id=owner.id)


def attach_to_site(
    session: Session,
    site_code: str,
    path: Path,
    *,
    caption: str | None = None,
    store: FileStore | None = None,
    max_bytes: int | None = None,
) -> Attachment:
    owner = get_by_code(session, HeritageSite, site_code)
    return _attach(session, path, caption, store, max_bytes, heritage_site_id=owner.id)


def attach_to_amendment(
    session: Session,
    amendment_id: int,
    name: str,
    content: bytes,
    *,
    store: FileStore | None = None,
    max_bytes: int | None = None,
) -> Attachment:
    """An uploaded document (PDF) or image supporting a variation order: the same checks as every attachment."""
    checked = check_content(name, content, max_bytes or get_settings().max_file_bytes)
    return _keep(session, name, content, checked, None, store, amendment_id=amendment_id)


def attachments_of_amendments(session: Session, amendment_ids: list[int]) -> dict[int, list[Attachment]]:
    """Each amendment's documents, in the order they came."""
    found: dict[int, list[Attachment]] = {i: [] for i in amendment_ids}
    query = select(Attachment).where(Attachment.amendment_id.in_(amendment_ids)).order_by(Attachment.id)
    for attachment in session.scalars(query) if amendment_ids else []:
        if attachment.amendment_id is not None:
            found[attachment.amendment_id].append(attachment)
    return found


def attachments_of_object(session: Session, object_code: str) -> list[Attachment]:
    owner = get_by_code(session, DamagedObject, object_code)
    return list(session.scalars(select(Attachment).where(Attachment.damaged_object_id == owner.id)))


def _attach(
    session: Session,
    path: Path,
    caption: str | None,
    store: FileStore | None,
    max_bytes: int | None,
    **owner: int,
) -> Attachment:
    content, checked = read_checked(path, max_bytes)
    return _keep(session, path.name, content, checked, caption, store, **owner)


def _keep(
    session: Session,
    name: str,
    content: bytes,
    checked: CheckedFile,
    caption: str | None,
    store: FileStore | None,
    **owner: int,
) -> Attachment:
    """Store checked content and record it under its owner; on a failure, remove what this call stored."""
    store = store or default_store()
    stored = original_key(checked.sha256, checked.suffix)
    public = public_key(checked.sha256, checked.suffix) if checked.public_copy is not None else None
    written: list[str] = []
    try:
        if store.put(stored, content):
            written.append(stored)
        if public is not None and checked.public_copy is not None and store.put(public, checked.public_copy):
            written.append(public)
        attachment = Attachment(
            sha256=checked.sha256,
            media_type=checked.media_type,
            size_bytes=checked.size_bytes,
            original_name=name[:255],
            stored_path=stored,
            public_path=public,
            geotag_lat=checked.geotag[0] if checked.geotag else None,
            geotag_lon=checked.geotag[1] if checked.geotag else None,
            caption=caption,
            uploaded_at=dt.datetime.now(dt.UTC),
            **owner,
        )
        session.add(attachment)
        session.flush()
    except BaseException:
        for key in written:  # only what this call added: older records may share the same content
            store.remove(key)
        raise
    return attachment
