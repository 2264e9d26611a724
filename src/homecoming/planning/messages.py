"""What a plan run says to its readers, as data: its data issues and the labels of its tasks.

A run stores each sentence as a `Message` (a code below and its values, homecoming.phrases), so the API, the CLI and
the exports say it in English and a page in its reader's language, from the same stored record. A template's
`place` value is the settlement it is about: the plan page lists an issue once with every place it holds for, and
the Gantt leaves the place out of a task under that place's heading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from homecoming.phrases import N_, TEMPLATES, Message, template

# Data issues: what the plan had to assume or work around.
SERVICE_PROPOSED = template(
    "plan.service_proposed",
    N_("{place}: no {sector} works in the registry; the plan proposes one"),
    N_("no {sector} works in the registry; the plan proposes one"),
    terms=("sector",),
)
SERVICE_MISSING = template(
    "plan.service_missing",
    N_("{place}: no {sector} works in the registry; it cannot become ready"),
    N_("no {sector} works in the registry; it cannot become ready"),
    terms=("sector",),
)
HOUSES_SHORT = template(
    "plan.houses_short",
    N_("{place}: {households} households wait but only {houses} houses are built or planned; "
       "the plan proposes {more} more"),
)  # fmt: skip
HOUSES_SHORT_WITHHELD = template(
    "plan.houses_short_withheld",
    N_("{place}: more households wait than houses are built or planned; the plan proposes more (counts withheld)"),
    N_("more households wait than houses are built or planned; the plan proposes more (counts withheld)"),
)
NO_BUDGET = template(
    "plan.no_budget", N_("no budget figures in the registry or the scenario: money does not limit this plan")
)
BUDGET_CARRIED = template(
    "plan.budget_carried",
    N_("budget for {year} missing: the plan carries {amount} bn AZN forward"),
    decimals={"amount": 2},
)
DEMAND_CAPPED = template(
    "plan.demand_capped",
    N_("{task}: needs {amount} {resource} a month, more than the {available} there are in the leanest month; "
       "planned with {available}"),
)  # fmt: skip
WORKS_RESUMED_LATE = template(
    "plan.works_resumed_late",
    N_("{project}: under way since {since} but the plan resumes it only in month {month}"),
)
HOUSES_SIZE_UNKNOWN = template(
    "plan.houses_size_unknown",
    N_("{count} houses of unknown size are taken to fit the largest household of their village"),
)
HOUSEHOLDS_TOO_BIG = template(
    "plan.households_too_big",
    N_("{count} households need more than {rooms} rooms, more than any house planned; "
       "they stay unplaced until larger houses are planned"),
)  # fmt: skip
UNCONFIRMED = template(
    "plan.unconfirmed",
    N_("{count} waiting households have not confirmed their voluntary return (or withdrew it): no convoy takes them "
       "until a registrar records their confirmation"),
)  # fmt: skip
OUTSIDE_HORIZON = template(
    "plan.outside_horizon",
    N_("{settlements} settlements ({people} people) wait for works that do not fit in the {months}-month horizon "
       "with this capacity: this plan leaves them out"),
)  # fmt: skip
CAPACITY_TO_FIT = template(
    "plan.capacity_to_fit",
    N_("{resource}: about {per_month} a month (now {capacity}) would bring every settlement into the {months}-month "
       "horizon"),
    terms=("resource",),
)  # fmt: skip
RESOURCES = (N_("crews"), N_("deminers"), N_("budget"))  # the resources a plan is limited by, as the sentences say

# Task labels (a works project is labelled with its name, kept as written: Message.text).
CLEAR_HAZARD = template("plan.clear_hazard", N_("clear hazard area {code} ({area} m²)"))
HOUSES = template("plan.houses", N_("{count} houses in {place}"), N_("{count} houses"))
PROPOSED_HOUSES = template(
    "plan.proposed_houses", N_("proposed {count} houses in {place}"), N_("proposed {count} houses")
)
PROPOSED_HOUSES_WITHHELD = template(
    "plan.proposed_houses_withheld", N_("proposed houses in {place}"), N_("proposed houses")
)
PROPOSED_WORKS = template(
    "plan.proposed_works",
    N_("proposed {sector} works for {place}"),
    N_("proposed {sector} works"),
    terms=("sector",),
)


def stored(messages: Iterable[Message]) -> list[dict[str, Any]]:
    return [message.stored() for message in messages]


def read(stored: Iterable[Mapping[str, Any]]) -> list[Message]:
    return [Message.read(item) for item in stored]


def label(stored: Mapping[str, Any]) -> Message:
    """A task's stored label (read here, where the plan's templates are declared)."""
    return Message.read(stored)


def english(stored: Iterable[Mapping[str, Any]]) -> list[str]:
    """The stored sentences in English, as the API, the CLI and the exports say them."""
    return [str(message) for message in read(stored)]


def groups_by_place(message: Message) -> bool:
    """An issue a page may list once for all its places: one of a place whose template says it without it."""
    known = TEMPLATES.get(message.code)
    return message.place is not None and known is not None and known.short is not None
