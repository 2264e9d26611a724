"""The order in which hazard areas are cleared: an ordered list of rules, the first that applies sets the rank.

The default is the national order of the mine action agency (reference: mine_action.csv, "ANAMA clearance
priority order"): 1 life-threatening areas, 2 socio-economic needs, 3 resettlement of displaced people, 4 funded
reconstruction projects, 5 food security land, 6 other. An office changes it with HOMECOMING_CLEARANCE_PRIORITY
(rule names, comma-separated). Within a rule, more people waiting come first, then the smaller area.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.errors import RuleViolation
from homecoming.households import service as households_service
from homecoming.mine_action.models import HazardArea, HazardStatus, LandUse, hazard_area_blocked_projects
from homecoming.works.models import Project, ProjectStatus

NATIONAL_ORDER = (
    "life_threatening",
    "socio_economic",
    "displaced_resettlement",
    "funded_reconstruction",
    "food_security",
    "other",
)


@dataclass(frozen=True)
class Facts:
    """What the rules look at for one hazard area."""

    hazard: HazardArea
    people_waiting: int
    funded_projects: tuple[str, ...]


RULES: dict[str, tuple[str, Callable[[Facts], bool]]] = {
    "life_threatening": ("accidents or casualty risk recorded", lambda f: f.hazard.casualty_risk),
    "socio_economic": (
        "blocks roads or utilities",
        lambda f: f.hazard.blocked_land_use in (LandUse.ROAD, LandUse.UTILITIES),
    ),
    "displaced_resettlement": (
        "blocks housing land of a settlement people wait to return to",
        lambda f: f.hazard.blocked_land_use == LandUse.HOUSING and f.people_waiting > 0,
    ),
    "funded_reconstruction": ("blocks funded works", lambda f: bool(f.funded_projects)),
    "food_security": ("blocks farm land", lambda f: f.hazard.blocked_land_use == LandUse.AGRICULTURE),
    "other": ("no rule above applies", lambda f: True),
}


@dataclass(frozen=True)
class Ranked:
    hazard: str
    rank: int
    rule: str
    reason: str
    people_waiting: int
    remaining_area_m2: float


def check_order(names: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [n for n in names if n not in RULES]
    if unknown or not names:
        raise RuleViolation(
            "mine_action.unknown_priority_rule",
            f"unknown clearance priority rule(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(RULES)}",
        )
    return names if "other" in names else (*names, "other")


def clearance_order(session: Session, order: tuple[str, ...] = NATIONAL_ORDER) -> list[Ranked]:
    """Every hazard area still open, in the order it should be cleared."""
    order = check_order(order)
    waiting = {sid: people for sid, (_, people) in households_service.wanting_to_return(session).items()}
    funded: dict[int, list[str]] = {}
    table = hazard_area_blocked_projects
    for hazard_id, code in session.execute(
        select(table.c.hazard_area_id, Project.code)
        .join(Project, Project.id == table.c.project_id)
        .where(Project.budget_amount > 0, Project.status.not_in([ProjectStatus.CANCELLED, ProjectStatus.COMPLETED]))
    ):
        funded.setdefault(hazard_id, []).append(code)
    ranked = []
    for hazard in session.scalars(select(HazardArea).where(HazardArea.status != HazardStatus.CLOSED)):
        people = waiting.get(hazard.blocks_settlement_id or 0, 0)
        facts = Facts(hazard, int(people), tuple(sorted(funded.get(hazard.id, []))))
        rank, rule = next((i + 1, name) for i, name in enumerate(order) if RULES[name][1](facts))
        ranked.append(Ranked(hazard.code, rank, rule, RULES[rule][0], facts.people_waiting, hazard.remaining_area_m2))
    return sorted(ranked, key=lambda r: (r.rank, -r.people_waiting, r.remaining_area_m2, r.hazard))
