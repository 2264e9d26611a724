"""Heritage use-cases: recording a site, linking the works that restore it, attaching its photographs, and which
stored file the public may see, whichever door asks (command line, public pages).

Each write checks the role and the district, makes the change and writes one audit entry in the caller's unit of
work; a refusal raises before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.errors import NotFound
from homecoming.files import service as files
from homecoming.files.models import Attachment
from homecoming.heritage import service
from homecoming.heritage.models import HeritageSite
from homecoming.heritage.schemas import HeritageSiteCreate
from homecoming.territory import scope

EDITORS = (Role.DATA_ENTRY, Role.PLANNER)  # data entry in its own district


def create_site(
    session: Session, actor: User | None, data: HeritageSiteCreate, *, comment: str | None = None
) -> HeritageSite:
    user = permissions.require_role(actor, *EDITORS)
    scope.ensure_may_write(session, user, scope.place_of(session, data.district_code, data.settlement_code))
    site = service.create_site(session, data)
    audit.record_change(session, user, "create", site, before=None, comment=comment)
    return site


def link_restoration(
    session: Session, actor: User | None, site_code: str, project_code: str, *, comment: str | None = None
) -> HeritageSite:
    """A works project restores the site: one entry on the site, with its restoration works before and after."""
    user = permissions.require_role(actor, *EDITORS)
    site = _writable(session, user, site_code)
    before = _with_works(session, site)
    service.link_restoration(session, site_code, project_code)
    after = _with_works(session, site)
    if after != before:  # linking twice keeps one link, and changes nothing to record
        audit.record_change(session, user, "update", site, before=before, after=after, comment=comment)
    return site


def attach_to_site(
    session: Session, actor: User | None, code: str, path: Path, *, caption: str | None = None,
    comment: str | None = None,
) -> Attachment:  # fmt: skip
    """A photograph or document of a site; the entry is filed under the site's code."""
    user = permissions.require_role(actor, *EDITORS)
    site = _writable(session, user, code)
    attachment = files.attach_to_site(session, code, path, caption=caption)
    audit.record_change(session, user, "create", attachment, before=None, comment=comment, code=site.code)
    return attachment


def public_copy(session: Session, key: str) -> Attachment:
    """The record behind a public file address: only a heritage site's metadata-free copy is ever public.

    Photographs of damaged objects (houses, often) stay off the public pages even without their geotag."""
    record = session.scalars(
        select(Attachment).where(Attachment.public_path == key, Attachment.heritage_site_id.is_not(None)).limit(1)
    ).first()
    if record is None:
        raise NotFound("files.not_found", f"no public file {key}", {"key": key})
    return record


def _writable(session: Session, user: User, code: str) -> HeritageSite:
    site = service.get_site(session, code)
    scope.ensure_may_write(session, user, scope.Place(site.district_id, site.settlement_id))
    return site


def _with_works(session: Session, site: HeritageSite) -> dict[str, Any]:
    works = [project.code for project in service.restoration_works(session, site.code)]
    return {**audit.snapshot(site), "restoration_projects": works}
