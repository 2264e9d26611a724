from __future__ import annotations

import datetime as dt

import pytest
from builders import REGISTERED, household
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homecoming.errors import NotFound, RuleViolation
from homecoming.households import service
from homecoming.households.schemas import HouseholdCreate


def test_waiting_households_are_counted_per_origin_until_they_return(territory_session: Session) -> None:
    service.register_household(territory_session, household("H1"))
    service.register_household(territory_session, household("H2", size=6))
    service.register_household(territory_session, household("H3", origin="sus", size=2))
    assert service.waiting_by_origin(territory_session) == {"sus": (1, 2), "zabukh": (2, 10)}
    service.mark_returned(territory_session, "H2", dt.date(2025, 9, 1))
    assert service.waiting_by_origin(territory_session) == {"sus": (1, 2), "zabukh": (1, 4)}


def test_no_return_without_consent_or_before_registration(territory_session: Session) -> None:
    service.register_household(territory_session, household("H1", consent=False))
    service.register_household(territory_session, household("H2"))
    with pytest.raises(RuleViolation) as no_consent:
        service.mark_returned(territory_session, "H1", dt.date(2025, 1, 1))
    with pytest.raises(RuleViolation) as too_early:
        service.mark_returned(territory_session, "H2", dt.date(2021, 1, 1))
    assert (no_consent.value.code, too_early.value.code) == (
        "households.no_consent",
        "households.return_before_registration",
    )
    service.mark_returned(territory_session, "H2", dt.date(2025, 1, 1))
    with pytest.raises(RuleViolation, match="returned on 2025-01-01"):
        service.mark_returned(territory_session, "H2", dt.date(2025, 2, 1))


def test_an_unknown_origin_is_named(territory_session: Session) -> None:
    with pytest.raises(NotFound) as caught:
        service.register_household(territory_session, household("H1", origin="atlantis"))
    assert caught.value.code == "settlements.not_found" and "atlantis" in caught.value.message


def test_members_must_fit_in_the_household() -> None:
    with pytest.raises(ValidationError, match="do not fit"):
        HouseholdCreate(
            code="H", origin_settlement_code="x", head_name="X", size=2, children=2, elderly=1, rooms_needed=1,
            registered_on=REGISTERED,
        )  # fmt: skip
