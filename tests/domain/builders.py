"""Small record builders the domain tests share."""

from __future__ import annotations

import datetime as dt

from homecoming.households.schemas import HouseholdCreate

REGISTERED = dt.date(2022, 1, 10)


def household(code: str, origin: str = "zabukh", size: int = 4, consent: bool = True) -> HouseholdCreate:
    return HouseholdCreate(
        code=code,
        origin_settlement_code=origin,
        head_name="Test Person",
        size=size,
        children=1,
        rooms_needed=2,
        consent_to_return=consent,
        consent_date=REGISTERED if consent else None,
        registered_on=REGISTERED,
    )
