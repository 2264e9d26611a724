"""Where a record is, and who may write there: the one rule every write of a placed record passes through.

A record may name a district, a settlement, or both. When it names both, the settlement must lie in that district
(`territory.settlement_not_in_district`): otherwise a works project "of Aghdam" in Shusha would count for Shusha's
readiness while only Aghdam's clerk is checked. A data_entry account writes only in its own district: EVERY district
a record touches (its own district and its settlement's) must be that one (`auth.other_district`), and a change is
checked on the place it had as well as on the place it gets. The district rule (`ensure_may_write`) is checked once,
by the domain's use-case (`<domain>/actions.py`), before the change; services only place records and keep them
consistent (`place_of`, `check_place`, `moved`). An actor of None is the operator (demo loader, a file import
checked elsewhere), bound by the consistency rule only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.db.crud import id_of
from homecoming.errors import Forbidden, RuleViolation
from homecoming.territory.models import District, Settlement


@dataclass(frozen=True)
class Place:
    """Where a record is: its district, its settlement, both or (for a record of the whole programme) neither."""

    district_id: int | None = None
    settlement_id: int | None = None
    district_field: str = "district_code"  # how the caller named them, for the error's details
    settlement_field: str = "settlement_code"


def place_of(
    session: Session,
    district_code: str | None,
    settlement_code: str | None,
    *,
    district_field: str = "district_code",
    settlement_field: str = "settlement_code",
) -> Place:
    """The place behind the codes a caller sent (NotFound for an unknown code), checked to be consistent."""
    place = Place(
        id_of(session, District, district_code),
        id_of(session, Settlement, settlement_code),
        district_field,
        settlement_field,
    )
    check_place(session, place)
    return place


def check_place(session: Session, place: Place) -> None:
    """Refuse a settlement that is not in the record's district, naming both."""
    if place.district_id is None or place.settlement_id is None:
        return
    settlement = session.get_one(Settlement, place.settlement_id)
    if settlement.district_id == place.district_id:
        return
    district = session.get_one(District, place.district_id)
    actual = session.get_one(District, settlement.district_id)
    raise RuleViolation(
        "territory.settlement_not_in_district",
        f"settlement {settlement.code} is in district {actual.code}, not in {district.code}: give a settlement of "
        f"{district.code}, or the district {actual.code}, or only one of the two",
        {
            place.settlement_field: settlement.code,
            place.district_field: district.code,
            "settlement_district_code": actual.code,
        },
    )


def districts_of(session: Session, place: Place) -> set[int]:
    """Every district a record at this place touches: its own and its settlement's."""
    districts = {place.district_id} if place.district_id is not None else set()
    if place.settlement_id is not None:
        districts.add(session.get_one(Settlement, place.settlement_id).district_id)
    return districts


def ensure_may_write(session: Session, actor: User | None, *places: Place) -> None:
    """A data_entry account changes only records wholly in its own district (a record of no place is not its)."""
    if actor is None or actor.role != Role.DATA_ENTRY:
        return
    for place in places:
        districts = districts_of(session, place)
        if not districts or districts != {actor.district_id}:
            raise Forbidden(
                "auth.other_district", "this data_entry account may only change records of its own district"
            )


def moved(session: Session, place: Place, changes: dict[str, object]) -> Place | None:
    """The place a change moves a record to (None if it does not move it), checked to be consistent.

    Takes the place's codes out of `changes`; a code sent as null clears that part of the place."""
    if place.district_field not in changes and place.settlement_field not in changes:
        return None
    district_id, settlement_id = place.district_id, place.settlement_id
    if place.district_field in changes:
        district_id = id_of(session, District, _code(changes.pop(place.district_field)))
    if place.settlement_field in changes:
        settlement_id = id_of(session, Settlement, _code(changes.pop(place.settlement_field)))
    new = Place(district_id, settlement_id, place.district_field, place.settlement_field)
    check_place(session, new)
    return new


def _code(value: object) -> str | None:
    return None if value is None else str(value)
