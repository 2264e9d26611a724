"""What the lists read of mine action: the statement a list pages through (the door pages and sorts it)."""

from __future__ import annotations

from sqlalchemy import Select, select

from homecoming.db.crud import holding
from homecoming.mine_action.models import HazardArea, HazardClassification, HazardStatus


def hazard_areas_listed(
    district_id: int | None,
    settlement_id: int | None,
    status: HazardStatus | None,
    classification: HazardClassification | None,
    like: str | None = None,
) -> Select[HazardArea]:
    """The hazard areas in a district, blocking a settlement, in a status, of a classification and whose code holds
    `like`, each when given."""
    query = select(HazardArea)
    if like:
        query = query.where(holding(like, HazardArea.code))
    if district_id is not None:
        query = query.where(HazardArea.district_id == district_id)
    if settlement_id is not None:
        query = query.where(HazardArea.blocks_settlement_id == settlement_id)
    if status is not None:
        query = query.where(HazardArea.status == status)
    if classification is not None:
        query = query.where(HazardArea.classification == classification)
    return query
