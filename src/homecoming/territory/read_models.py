"""What the pages read of the territory: places with their names (for their Azerbaijani spellings), and the list of
settlements and districts a page shows. Plain records; the pages only render them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.territory.models import District, Settlement


@dataclass(frozen=True)
class Place:
    """A district or a settlement with its names (`alt_names`: the record's |-separated alternatives)."""

    code: str
    name: str
    alt_names: str | None


@dataclass(frozen=True)
class SettlementPlace(Place):
    district: Place


def _place(record: District | Settlement) -> Place:
    return Place(record.code, record.name, record.alt_names)


def districts(session: Session) -> list[Place]:
    return [_place(d) for d in session.scalars(select(District).order_by(District.id))]


def settlements(session: Session) -> list[SettlementPlace]:
    """Every settlement with its district, in the order the database keeps them."""
    by_id = {d.id: _place(d) for d in session.scalars(select(District))}
    return [
        SettlementPlace(s.code, s.name, s.alt_names, by_id[s.district_id])
        for s in session.scalars(select(Settlement).order_by(Settlement.id))
    ]


def district_of(session: Session, settlement: Settlement) -> District:
    return session.get_one(District, settlement.district_id)


def settlement_code(session: Session, settlement_id: int) -> str:
    return session.get_one(Settlement, settlement_id).code


def settlement_names(session: Session) -> list[tuple[str, str]]:
    """Code and name of every settlement, by name (the overview's list)."""
    return [
        (code, name)
        for code, name in session.execute(select(Settlement.code, Settlement.name).order_by(Settlement.name))
    ]


def district_names(session: Session) -> dict[str, str]:
    """Name of every district by code."""
    return {code: name for code, name in session.execute(select(District.code, District.name))}
