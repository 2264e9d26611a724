"""Reported returns: events as they happen and how far the programme is against its targets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique, get_by_code
from homecoming.errors import RuleViolation
from homecoming.returns.models import NationalReturnCount, ProgrammeTarget, ReturnEvent
from homecoming.returns.schemas import ReturnEventCreate
from homecoming.territory.models import Settlement


@dataclass(frozen=True)
class ReturnProgress:
    families_returned: int
    people_returned: int
    settlements_with_returns: int
    families_target: int | None
    people_target: int | None


def record_event(session: Session, data: ReturnEventCreate) -> ReturnEvent:
    """A group arriving, or a cumulative count; a cumulative count never goes down for a settlement (who may record
    one there: `returns.actions`)."""
    settlement = get_by_code(session, Settlement, data.settlement_code)
    if data.cumulative:
        earlier = session.scalars(
            select(ReturnEvent)
            .where(
                ReturnEvent.settlement_id == settlement.id,
                ReturnEvent.cumulative.is_(True),
                ReturnEvent.event_date <= data.event_date,
            )
            .order_by(ReturnEvent.event_date.desc())
        ).first()
        if earlier is not None and (data.people or 0) < (earlier.people or 0):
            raise RuleViolation(
                "returns.cumulative_decreases",
                f"{data.settlement_code} already counted {earlier.people:,} people by {earlier.event_date:%Y-%m-%d}; "
                f"a cumulative count of {data.people or 0:,} on {data.event_date:%Y-%m-%d} would go down",
            )
    fields = data.model_dump(exclude={"settlement_code"})
    return add_unique(session, ReturnEvent(settlement_id=settlement.id, **fields))


def returned_by_settlement(session: Session) -> dict[int, tuple[int, int]]:
    """Settlement id -> (families, people): its latest cumulative count plus the groups reported after it (or all
    groups if it has no cumulative count)."""
    return counted_by_settlement(
        session.scalars(select(ReturnEvent).order_by(ReturnEvent.event_date, ReturnEvent.code))
    )


def counted_by_settlement(events: Iterable[ReturnEvent]) -> dict[int, tuple[int, int]]:
    """The rule of returned_by_settlement over the events given, in date order (returns.timeline: up to a date)."""
    per_settlement: dict[int, list[ReturnEvent]] = {}
    for event in events:
        per_settlement.setdefault(event.settlement_id, []).append(event)
    returned = {}
    for settlement_id, events_there in per_settlement.items():
        last_count = max((i for i, e in enumerate(events_there) if e.cumulative), default=-1)
        counted = events_there[last_count:] if last_count >= 0 else events_there
        returned[settlement_id] = (sum(e.families or 0 for e in counted), sum(e.people or 0 for e in counted))
    return returned


def progress_summary(session: Session) -> ReturnProgress:
    """The programme's returns so far (see returned_by_settlement) against its targets."""
    returned = returned_by_settlement(session)
    families = sum(f for f, _ in returned.values())
    people = sum(p for _, p in returned.values())
    targets = {t.indicator: t.value for t in session.scalars(select(ProgrammeTarget).order_by(ProgrammeTarget.code))}
    return ReturnProgress(
        families_returned=families,
        people_returned=people,
        settlements_with_returns=sum(1 for _, p in returned.values() if p),
        families_target=targets.get("families"),
        people_target=targets.get("people"),
    )


def national_figure(session: Session) -> NationalReturnCount | None:
    """The programme's own latest national total of returns (None when none is recorded). It counts more than the
    returns reported settlement by settlement (returned_by_settlement): not every group is reported by place."""
    latest = select(NationalReturnCount).order_by(NationalReturnCount.as_of.desc(), NationalReturnCount.code.desc())
    return session.scalars(latest.limit(1)).first()
