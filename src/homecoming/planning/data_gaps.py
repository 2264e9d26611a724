"""A plan run's data gaps (what the plan had to assume or work around) as a list a page pages through: one row per
gap and place, filtered by district and settlement, sorted by place or by what is missing.

The gaps are stored with the run (`PlanRun.data_issues`, at most one per settlement and kind), so the list is read and
paged in memory. Counts in them passed the disclosure rule when the run stored them (a small count is stored
withheld, `planning.run`), so no filter can bring one back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.phrases import Message
from homecoming.planning import messages
from homecoming.planning.models import PlanRun
from homecoming.territory.models import District, Settlement

SORTABLE = ("place", "gap")


@dataclass(frozen=True)
class DataGap:
    kind: str  # the message's code
    text: str  # a Phrase the page translates: without the place when the place has its own column
    settlement_code: str | None
    settlement_name: str | None
    district_code: str | None


def data_gaps(
    session: Session, run: PlanRun, *, district: str | None = None, settlement: str | None = None, sort: str = "place"
) -> list[DataGap]:
    """The run's gaps of a district or a settlement (by code, each when given), in the order `sort` names
    (`place` or `gap`, `-` for descending); the gaps of the whole programme (no place) list under no district."""
    places = {
        code: (name, district_code)
        for code, name, district_code in session.execute(
            select(Settlement.code, Settlement.name, District.code).join(
                District, Settlement.district_id == District.id
            )
        )
    }
    gaps = []
    for message in messages.read(run.data_issues):
        place = message.place
        short = place is not None and messages.groups_by_place(message)
        name, district_code = places.get(place, (place, None)) if place is not None else (None, None)
        # A sentence that names its place says the place's name, not its code (its own column links to it).
        said = message if short or place is None else Message(message.code, {**message.values, "place": name})
        gap = DataGap(message.code, said.phrase(short=short), place, name, district_code)
        if (district is None or gap.district_code == district) and (settlement is None or place == settlement):
            gaps.append(gap)
    key = sort.removeprefix("-")
    gaps.sort(key=lambda g: (g.settlement_name or "", str(g.text)) if key == "place" else (str(g.text),
              g.settlement_name or ""), reverse=sort.startswith("-"))  # fmt: skip
    return gaps
