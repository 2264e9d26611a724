"""The works schedule of a plan run laid out as a Gantt chart: districts, then their settlements, then the tasks.

Only the geometry is computed here (numbers in SVG user units); the template draws it, so every label is escaped
and translated like the rest of the page. Drawn by hand because it is a few rectangles: a charting library would
need JavaScript from a CDN or a plotting stack on the server for what twenty lines do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from homecoming.phrases import Message, Phrase
from homecoming.planning import messages
from homecoming.planning.models import PlanRun, PlanSettlement, PlanTask
from homecoming.planning.read_models import Named, Schedule
from homecoming.planning.scenario import Scenario

LABEL_W = 230  # the column of names left of the bars
ROW_H = 16
HEAD_H = 22
BAR_H = 10
CHART_W = 760  # the months take about this much, within the bounds below
MIN_MONTH_W, MAX_MONTH_W = 4.0, 16.0
LABEL_CHARS = 36


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    kind: str
    label: str  # a Phrase the page translates (without the place of its heading), or a name shortened to fit
    full: str  # the whole label
    start: dt.date
    last_month: dt.date  # the last month worked


@dataclass(frozen=True)
class Heading:
    y: float
    name: str  # empty for the district-wide group, named by the template
    level: str  # district / settlement / group
    href: str | None = None
    ready: dt.date | None = None
    code: str = ""  # the district's or settlement's, for its Azerbaijani spelling


@dataclass(frozen=True)
class ReadyLine:
    x: float
    y1: float
    y2: float
    name: str
    ready: dt.date


@dataclass
class Gantt:
    width: float = 0
    height: float = 0
    top: float = 20  # the year labels above the rows
    bars: list[Bar] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    ready: list[ReadyLine] = field(default_factory=list)
    years: list[tuple[float, str]] = field(default_factory=list)  # x of each 1 January, and the year

    @property
    def tasks(self) -> int:
        return len(self.bars)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def gantt(run: PlanRun, schedule: Schedule) -> Gantt:
    tasks, where, ready, settlements = schedule.tasks, schedule.places, schedule.ready, schedule.settlements
    districts = {i: d.name for i, d in schedule.districts.items()}
    district_codes = {i: d.code for i, d in schedule.districts.items()}
    groups: dict[int | None, dict[int | None, list[PlanTask]]] = defaultdict(lambda: defaultdict(list))
    for task in tasks:
        groups[where[task.id].district_id][where[task.id].settlement_id].append(task)
    scenario = Scenario.model_validate(run.assumptions)
    months = max([t.end_period for t in tasks] + [r.ready_period + 1 for r in ready.values()] + [12])
    while scenario.month(months).month != 1:  # to the end of a calendar year
        months += 1
    month_w = min(MAX_MONTH_W, max(MIN_MONTH_W, CHART_W / months))
    chart = Gantt(width=LABEL_W + months * month_w + 10)
    chart.years = [
        (LABEL_W + p * month_w, str(scenario.month(p).year)) for p in range(months) if scenario.month(p).month == 1
    ]
    y = chart.top
    for district in sorted(groups, key=lambda d: (d is None, districts.get(d or 0, ""))):
        chart.headings.append(
            Heading(y, districts.get(district or 0, "—"), "district", code=district_codes.get(district or 0, ""))
        )
        y += HEAD_H
        by_settlement = groups[district]
        order = sorted(by_settlement, key=lambda s: (s is not None, _ready_period(ready, s), _name(settlements, s)))
        for settlement in order:
            y = _group(chart, by_settlement[settlement], settlement, settlements, ready, scenario, month_w, y)
    chart.height = y + 6
    return chart


def _ready_period(ready: dict[int, PlanSettlement], settlement: int | None) -> int:
    return ready[settlement].ready_period if settlement in ready and settlement is not None else 10**6


def _name(settlements: dict[int, Named], settlement: int | None) -> str:
    return settlements[settlement].name if settlement is not None else ""


def _group(
    chart: Gantt, tasks: list[PlanTask], settlement_id: int | None, settlements: dict[int, Named],
    ready: dict[int, PlanSettlement], scenario: Scenario, month_w: float, y: float,
) -> float:  # fmt: skip
    """One settlement's heading and its task rows (or the district-wide works); returns the next free y."""
    top = y
    if settlement_id is None:
        chart.headings.append(Heading(y, "", "group"))
    else:
        place, when = settlements[settlement_id], ready.get(settlement_id)
        day = when.ready_date if when else None
        chart.headings.append(Heading(y, place.name, "settlement", f"/settlements/{place.code}", day, place.code))
    y += ROW_H + 2
    heading = settlements[settlement_id].name if settlement_id is not None else None
    labelled = [(task, messages.label(task.label)) for task in tasks]
    for task, said in sorted(labelled, key=lambda ts: (ts[0].start_period, ts[0].end_period, str(ts[1]))):
        x = LABEL_W + task.start_period * month_w
        width = max(2.0, (task.end_period - task.start_period) * month_w)
        last = _month_before(task.end_date)
        chart.bars.append(Bar(x, y, width, task.kind, _label(said, heading), said.phrase(), task.start_date, last))
        y += ROW_H
    if settlement_id in ready and settlement_id is not None:
        when = ready[settlement_id]
        x = LABEL_W + when.ready_period * month_w
        chart.ready.append(ReadyLine(x, top + 4, y, settlements[settlement_id].name, when.ready_date))
    return y + 4


def _label(said: Message, place: str | None) -> str:
    """The label under its place's heading: without the place ('proposed water works' under Sus), a Phrase the
    page translates; a name (kept as written) without its trailing place and shortened to fit the column."""
    phrase = said.phrase(short=place is not None and said.place == place)
    if isinstance(phrase, Phrase):
        return phrase
    for joint in (" for ", " in "):  # 'School in Sus' under the heading Sus reads 'School'
        if place and phrase.endswith(joint + place):
            phrase = phrase[: -len(joint + place)]
    return _short(phrase)


def _month_before(day: dt.date) -> dt.date:
    """A task ending at the start of a month works through the month before it."""
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
