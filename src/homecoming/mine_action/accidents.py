"""Mine accidents and their victims (IMSMA minimum data): the data functions `mine_action.actions` calls.

Who may record or read them, and which fields a reader sees, is decided in `mine_action.actions`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique, get_by_code
from homecoming.errors import RuleViolation
from homecoming.mine_action.models import AgeGroup, CasualtyFigure, HazardArea, MineAccident, MineVictim, Outcome
from homecoming.mine_action.schemas import AccidentCreate, VictimIn
from homecoming.territory import scope
from homecoming.territory.models import Settlement

ADULT_AGE = 18  # a child is a victim under 18 on the day of the accident (Landmine Monitor, Mine Ban Treaty reports)


def place_of_accident(session: Session, data: AccidentCreate) -> scope.Place:
    """Its district (given, or its settlement's) and its settlement, checked to agree."""
    place = scope.place_of(session, data.district_code, data.settlement_code)
    if place.district_id is None and place.settlement_id is not None:
        district_id = session.get_one(Settlement, place.settlement_id).district_id
        place = scope.Place(district_id, place.settlement_id)
    return place


def create_accident(session: Session, data: AccidentCreate, today: dt.date) -> MineAccident:
    """The accident and its victims, numbered 1, 2, ... in the order given; refuses before writing anything."""
    if data.occurred_on > today:
        raise RuleViolation(
            "mine_action.accident_in_future",
            f"occurred_on {data.occurred_on} is after today ({today}): give the day the accident happened",
            {"field": "occurred_on", "occurred_on": str(data.occurred_on)},
        )
    for number, victim in enumerate(data.victims):
        check_victim(victim, data.occurred_on, f"victims[{number}]")
    place = place_of_accident(session, data)
    hazard_area_id = _hazard_area(session, data.hazard_area_code, place)
    accident = MineAccident(
        code=data.code,
        occurred_on=data.occurred_on,
        district_id=place.district_id,
        settlement_id=place.settlement_id,
        lat=data.lat,
        lon=data.lon,
        device_type=data.device_type,
        activity=data.activity,
        hazard_area_id=hazard_area_id,
        description=data.description,
    )
    add_unique(session, accident)
    for number, victim in enumerate(data.victims, start=1):
        session.add(MineVictim(accident_id=accident.id, number=number, **victim.model_dump()))
    session.flush()
    return accident


def check_victim(victim: VictimIn, occurred_on: dt.date, where: str) -> None:
    """A birth date before the accident, and the age group it gives."""
    if victim.birth_date is None:
        return
    if victim.birth_date > occurred_on:
        raise RuleViolation(
            "mine_action.born_after_accident",
            f"{where}.birth_date {victim.birth_date} is after the accident ({occurred_on})",
            {"field": f"{where}.birth_date"},
        )
    born = victim.birth_date
    age = occurred_on.year - born.year - ((occurred_on.month, occurred_on.day) < (born.month, born.day))
    group = AgeGroup.CHILD if age < ADULT_AGE else AgeGroup.ADULT
    if victim.age_group not in (group, AgeGroup.UNKNOWN):
        raise RuleViolation(
            "mine_action.age_group_disagrees",
            f"{where}: born {born}, the victim was {age} on the day of the accident, so age_group is "
            f"{group.value}, not {victim.age_group.value}",
            {"field": f"{where}.age_group", "age": age, "age_group": group.value},
        )


def _hazard_area(session: Session, code: str | None, place: scope.Place) -> int | None:
    if code is None:
        return None
    area = get_by_code(session, HazardArea, code)
    districts = scope.districts_of(session, scope.Place(area.district_id, area.blocks_settlement_id))
    if districts and place.district_id not in districts:  # an area of no known place may lie anywhere
        raise RuleViolation(
            "mine_action.hazard_area_elsewhere",
            f"hazard area {code} lies in another district than the accident: check hazard_area_code or the place",
            {"field": "hazard_area_code", "hazard_area_code": code},
        )
    return area.id


def get_accident(session: Session, code: str) -> MineAccident:
    return get_by_code(session, MineAccident, code)


def victims_of(session: Session, accident_ids: list[int]) -> dict[int, list[MineVictim]]:
    """Each accident's victims, by number (one query for a page of accidents)."""
    found: dict[int, list[MineVictim]] = defaultdict(list)
    if accident_ids:
        query = select(MineVictim).where(MineVictim.accident_id.in_(accident_ids))
        for victim in session.scalars(query.order_by(MineVictim.accident_id, MineVictim.number)):
            found[victim.accident_id].append(victim)
    return found


def victims_by_year(session: Session) -> dict[int, dict[Outcome, int]]:
    """Recorded victims per year of the accident and outcome (exact counts: protect them before showing)."""
    year = extract("year", MineAccident.occurred_on)
    rows = session.execute(
        select(year, MineVictim.outcome, func.count())
        .join(MineAccident, MineAccident.id == MineVictim.accident_id)
        .group_by(year, MineVictim.outcome)
    )
    counts: dict[int, dict[Outcome, int]] = defaultdict(dict)
    for y, outcome, count in rows:
        counts[int(y)][Outcome(outcome)] = int(count)
    return dict(counts)


def casualty_figures(session: Session) -> list[CasualtyFigure]:
    """The reported national casualty figures, oldest first."""
    return list(session.scalars(select(CasualtyFigure).order_by(CasualtyFigure.as_of, CasualtyFigure.code)))
