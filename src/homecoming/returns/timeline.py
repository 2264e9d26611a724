"""People returned by the end of each year, for the chart of returns against the target (public, protected).

Each year's figure follows the same counting as the programme's total (returns.service.returned_by_settlement: a
settlement's latest cumulative count plus the groups after it), taken over the events up to that year's end. Two
neighbouring points give away the families who came in between, so a point is shown only when the families added
since the last shown point reach the disclosure threshold (or none came); otherwise it is withheld and its
families count towards the next. When the total itself is withheld, every point is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.disclosure.rule import is_small
from homecoming.returns import service as returns_service
from homecoming.returns.models import ReturnEvent


@dataclass(frozen=True)
class YearEnd:
    year: int
    people: int | None  # None: withheld
    families: int | None


@dataclass(frozen=True)
class Timeline:
    years: list[YearEnd]
    as_of: dt.date | None  # the latest event counted
    events: int  # the records behind the figures


def returned_by_year_end(session: Session, threshold: int, total_withheld: bool) -> Timeline:
    events = list(session.scalars(select(ReturnEvent).order_by(ReturnEvent.event_date, ReturnEvent.code)))
    if not events:
        return Timeline([], None, 0)
    first, last = events[0].event_date.year, events[-1].event_date.year
    years: list[YearEnd] = []
    shown_families = 0
    for year in range(first, last + 1):
        counted = returns_service.counted_by_settlement(e for e in events if e.event_date.year <= year)
        families, people = sum(f for f, _ in counted.values()), sum(p for _, p in counted.values())
        added = families - shown_families
        if total_withheld or (added and is_small(added, threshold)):
            years.append(YearEnd(year, None, None))
            continue
        shown_families = families
        years.append(YearEnd(year, people, families))
    return Timeline(years, events[-1].event_date, len(events))
