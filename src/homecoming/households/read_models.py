"""What the registry's list shows: the statement for one shape of filters, built in the domain; the route pages it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, select

from homecoming.households.models import Household


def households_listed(columns: Sequence[Any], *, settlement: bool, district: bool, status: str | None) -> Select[Any]:
    """Households' `columns`, filtered by bound parameters: `settlement_id` (one origin) and `district_settlement_ids`
    (a district's settlements), and by status (waiting: not yet returned; returned)."""
    query = select(*columns)
    if settlement:
        query = query.where(Household.origin_settlement_id == bindparam("settlement_id"))
    if district:
        # The district's few settlement ids as values: PostgreSQL then filters its walk along the registry's id order
        # by a list instead of joining every household it passes to settlements (0.9 ms instead of 2.2 ms a page).
        query = query.where(Household.origin_settlement_id.in_(bindparam("district_settlement_ids", expanding=True)))
    if status == "waiting":
        query = query.where(Household.returned_on.is_(None))
    elif status == "returned":
        query = query.where(Household.returned_on.is_not(None))
    return query
