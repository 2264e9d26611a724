"""Casualty counts as the public reads them: the reported national figures with their sources, and the victims
recorded in the registry per year and outcome, passed through the one disclosure rule (homecoming.disclosure.rule).

Victims are people: a cell of 1 to threshold - 1 victims is withheld, and complements so that no withheld cell can
be worked out from the sums shown (a year's total is its killed plus injured; a column's total is the sum of its
years)."""

from __future__ import annotations

from dataclasses import dataclass

from homecoming.disclosure.rule import Group, is_small, withhold
from homecoming.mine_action.models import CasualtyFigure, Outcome

Key = tuple[str, int | None]  # ("killed" | "injured" | "total", year or None for all years)
COLUMNS = ("killed", "injured", "total")


@dataclass(frozen=True)
class Cell:
    """A protected count: `value` None when withheld; `small` when withheld for being small (`<5` on a page)."""

    value: int | None
    small: bool = False


@dataclass(frozen=True)
class YearRow:
    year: int | None  # None: all years
    killed: Cell
    injured: Cell
    total: Cell


@dataclass(frozen=True)
class Reported:
    """A reported national figure, and what it added to the report before it (same start date), when both give
    the part."""

    figure: CasualtyFigure
    added_killed: int | None
    added_injured: int | None
    added_total: int | None


@dataclass(frozen=True)
class Casualties:
    reported: list[Reported]
    recorded: list[YearRow]  # per year, oldest first
    recorded_total: YearRow | None  # None when no victim is recorded
    exact: bool  # the reader may read exact counts (they read the records themselves)


def reported(figures: list[CasualtyFigure]) -> list[Reported]:
    rows: list[Reported] = []
    for index, figure in enumerate(figures):
        previous = figures[index - 1] if index else None
        same_start = previous is not None and previous.since == figure.since
        added = [
            now - before if same_start and now is not None and before is not None else None
            for now, before in (
                (getattr(figure, name), getattr(previous, name, None)) for name in ("killed", "injured", "total")
            )
        ]
        rows.append(Reported(figure, *added))
    return rows


def protected(
    by_year: dict[int, dict[Outcome, int]], threshold: int, *, exact: bool
) -> tuple[list[YearRow], YearRow | None]:
    """The per-year table and its total row, small counts withheld unless `exact`."""
    if not by_year:
        return [], None
    years = sorted(by_year)
    sizes: dict[Key, int] = {}
    for year in years:
        killed, injured = by_year[year].get(Outcome.KILLED, 0), by_year[year].get(Outcome.INJURED, 0)
        sizes["killed", year], sizes["injured", year], sizes["total", year] = killed, injured, killed + injured
    for column in COLUMNS:
        sizes[column, None] = sum(sizes[column, year] for year in years)
    groups = [Group(("total", y), (("killed", y), ("injured", y))) for y in [*years, None]]
    groups += [Group((column, None), tuple((column, y) for y in years)) for column in COLUMNS]
    hidden = frozenset() if exact else withhold(sizes, groups, threshold)

    def row(year: int | None) -> YearRow:
        cells = [
            Cell(None, is_small(sizes[c, year], threshold)) if (c, year) in hidden else Cell(sizes[c, year])
            for c in COLUMNS
        ]
        return YearRow(year, *cells)

    return [row(year) for year in years], row(None)
