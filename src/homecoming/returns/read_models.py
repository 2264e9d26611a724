"""What the lists read of the returns: the statement a list pages through (the door pages and sorts it; counts of
families and people go through `actions.visible_event_counts`, never from here)."""

from __future__ import annotations

from sqlalchemy import Select, select

from homecoming.returns.models import ReturnEvent
from homecoming.territory.models import Settlement


def return_events_listed(settlement_id: int | None, district_id: int | None) -> Select[ReturnEvent]:
    """The return events in a settlement and in a district when given."""
    query = select(ReturnEvent)
    if settlement_id is not None:
        query = query.where(ReturnEvent.settlement_id == settlement_id)
    if district_id is not None:
        query = query.where(
            ReturnEvent.settlement_id.in_(select(Settlement.id).where(Settlement.district_id == district_id))
        )
    return query
