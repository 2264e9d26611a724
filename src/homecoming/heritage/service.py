"""Heritage sites: recorded neutrally (the object, its condition, its restoration), linked to the works registry."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique, get_by_code
from homecoming.files.models import Attachment
from homecoming.heritage.models import HeritageCategory, HeritageSite, heritage_site_projects
from homecoming.heritage.schemas import (
    HeritageRow,
    HeritageSiteCreate,
    HeritageSitePage,
    PublicFile,
    RestorationWork,
)
from homecoming.territory import scope
from homecoming.territory.models import District, Settlement
from homecoming.works.models import Project


def create_site(session: Session, data: HeritageSiteCreate) -> HeritageSite:
    """A site; a settlement given alone places it in the settlement's district too (who may record one there:
    `heritage.actions`)."""
    place = scope.place_of(session, data.district_code, data.settlement_code)
    district_id = place.district_id
    if place.settlement_id is not None:
        district_id = session.get_one(Settlement, place.settlement_id).district_id
    settlement_id = place.settlement_id
    fields = data.model_dump(exclude={"settlement_code", "district_code"})
    return add_unique(session, HeritageSite(settlement_id=settlement_id, district_id=district_id, **fields))


def get_site(session: Session, code: str) -> HeritageSite:
    return get_by_code(session, HeritageSite, code)


def list_sites(
    session: Session, *, district_code: str | None = None, category: HeritageCategory | None = None
) -> list[HeritageSite]:
    query = select(HeritageSite).order_by(HeritageSite.code)
    if district_code is not None:
        # A site imported from a file may name only its settlement: its district is the settlement's.
        district_id = get_by_code(session, District, district_code).id
        in_district = select(Settlement.id).where(Settlement.district_id == district_id)
        query = query.where(or_(HeritageSite.district_id == district_id, HeritageSite.settlement_id.in_(in_district)))
    if category is not None:
        query = query.where(HeritageSite.category == category)
    return list(session.scalars(query))


def link_restoration(session: Session, site_code: str, project_code: str) -> None:
    """Record that a works project restores a site (linking twice keeps one link)."""
    site, project = get_site(session, site_code), get_by_code(session, Project, project_code)
    exists = session.execute(
        select(heritage_site_projects.c.project_id).where(
            heritage_site_projects.c.heritage_site_id == site.id, heritage_site_projects.c.project_id == project.id
        )
    ).first()
    if exists is None:
        session.execute(heritage_site_projects.insert().values(heritage_site_id=site.id, project_id=project.id))
    session.flush()


def restoration_works(session: Session, site_code: str) -> list[Project]:
    site = get_site(session, site_code)
    query = (
        select(Project)
        .join(heritage_site_projects, heritage_site_projects.c.project_id == Project.id)
        .where(heritage_site_projects.c.heritage_site_id == site.id)
        .order_by(Project.code)
    )
    return list(session.scalars(query))


def site_page(session: Session, code: str) -> HeritageSitePage:
    site = get_site(session, code)
    settlement = session.get(Settlement, site.settlement_id) if site.settlement_id else None
    district_id = site.district_id or (settlement.district_id if settlement else None)
    district = session.get(District, district_id) if district_id else None
    works = [_work(p) for p in restoration_works(session, code)]
    attachments = session.scalar(select(func.count()).where(Attachment.heritage_site_id == site.id)) or 0
    public = session.scalars(
        select(Attachment)
        .where(Attachment.heritage_site_id == site.id, Attachment.public_path.is_not(None))
        .order_by(Attachment.id)
    )
    return HeritageSitePage(
        code=site.code,
        name_latin=site.name_latin,
        name_local=site.name_local,
        category=site.category,
        period=site.period,
        settlement=settlement.name if settlement else None,
        district=district.name if district else None,
        lat=site.lat,
        lon=site.lon,
        protection_status=site.protection_status,
        condition_before=site.condition_before,
        condition_after=site.condition_after,
        documented_damage=site.documented_damage,
        notes=site.notes,
        source_url=site.source_url,
        source_date=site.source_date,
        restoration=works,
        attachments=attachments,
        public_files=[
            PublicFile(public_path=a.public_path or "", media_type=a.media_type, caption=a.caption) for a in public
        ],
    )


def list_rows(session: Session, *, category: HeritageCategory | None = None) -> list[HeritageRow]:
    """The public list: each site with where it is, its condition and the status of its restoration works."""
    sites = list_sites(session, category=category)
    settlements = {s.id: s for s in session.scalars(select(Settlement))}
    districts = {d.id: d.name for d in session.scalars(select(District))}
    links = session.execute(
        select(heritage_site_projects.c.heritage_site_id, Project)
        .join(Project, heritage_site_projects.c.project_id == Project.id)
        .order_by(Project.code)
    ).all()
    works: dict[int, list[RestorationWork]] = {}
    for site_id, project in links:
        works.setdefault(site_id, []).append(_work(project))
    rows = []
    for site in sites:
        settlement = settlements.get(site.settlement_id) if site.settlement_id else None
        district_id = site.district_id or (settlement.district_id if settlement else None)
        rows.append(
            HeritageRow(
                code=site.code,
                name_latin=site.name_latin,
                name_local=site.name_local,
                category=site.category,
                district=districts.get(district_id) if district_id else None,
                settlement=settlement.name if settlement else None,
                condition_before=site.condition_before,
                condition_after=site.condition_after,
                restoration=works.get(site.id, []),
            )
        )
    return rows


def _work(project: Project) -> RestorationWork:
    return RestorationWork(
        code=project.code,
        name=project.name,
        status=project.status,
        progress_pct=project.progress_pct,
        budget_amount=project.budget_amount,
        budget_currency=project.budget_currency,
    )
