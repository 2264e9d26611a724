"""What the lists read of the works: the statement a list pages through (the door pages and sorts it)."""

from __future__ import annotations

from sqlalchemy import Select, select

from homecoming.works import service
from homecoming.works.models import Project, ProjectStatus, Sector


def projects_listed(
    district_id: int | None, settlement_id: int | None, status: ProjectStatus | None, sector: Sector | None
) -> Select[Project]:
    """The projects in a district (its settlements' and district-wide), in a settlement, in a status and of a
    sector when given."""
    query = select(Project)
    if district_id is not None:
        query = query.where(service.in_district(district_id))
    if settlement_id is not None:
        query = query.where(Project.settlement_id == settlement_id)
    if status is not None:
        query = query.where(Project.status == status)
    if sector is not None:
        query = query.where(Project.sector == sector)
    return query
