"""What the pages read of the territory: places with their names (for their Azerbaijani spellings), and the list of
settlements and districts a page shows. Plain records; the pages only render them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from homecoming.territory.models import District, Settlement, SettlementKind


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


def settlement_at(session: Session, code: str) -> Settlement | None:
    """The settlement with this code, or None (a field form may name one the registry does not know)."""
    return session.scalars(select(Settlement).where(Settlement.code == code)).one_or_none()


def settlement_ids(session: Session) -> dict[str, int]:
    """Every settlement's id by its code."""
    return {code: id_ for code, id_ in session.execute(select(Settlement.code, Settlement.id))}


def districts_listed() -> Select[District]:
    """The districts a list pages through (the door pages and sorts it)."""
    return select(District)


def settlements_listed(district_id: int | None, kind: SettlementKind | None) -> Select[Settlement]:
    """The settlements a list pages through, in one district and of one kind when given."""
    query = select(Settlement)
    if district_id is not None:
        query = query.where(Settlement.district_id == district_id)
    if kind is not None:
        query = query.where(Settlement.kind == kind)
    return query


def settlement(session: Session, settlement_id: int) -> Settlement:
    return session.get_one(Settlement, settlement_id)
