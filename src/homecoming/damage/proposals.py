"""Turning a needs estimate into proposed works: one planned project per settlement and sector, in one step."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.damage.needs import NeedsEstimate, NeedsLine
from homecoming.errors import RuleViolation
from homecoming.territory.models import District, Settlement
from homecoming.works.models import Project, ProjectStatus, Sector

# The programme's stages (programme_facts.csv, Azernews 2022-04-28): 1 governance and security, infrastructure;
# 2 social services; 3 reconstruction; 4 development of the economy. Administration is governance: stage 1.
STAGE_OF_SECTOR = {
    Sector.ROAD: 1,
    Sector.POWER: 1,
    Sector.WATER: 1,
    Sector.GAS: 1,
    Sector.TELECOM: 1,
    Sector.AIRPORT: 1,
    Sector.RAIL: 1,
    Sector.ADMINISTRATION: 1,
    Sector.SCHOOL: 2,
    Sector.HEALTH: 2,
    Sector.HOUSING: 3,
    Sector.HERITAGE: 3,
    Sector.AGRICULTURE: 4,
}
RECONSTRUCTION_STAGE = 3
CODE_PREFIX = "needs"


class Action(StrEnum):
    CREATED = "created"
    UPDATED = "updated"  # still planned: its budget follows the newest estimate
    UNCHANGED = "unchanged"
    KEPT = "kept"  # already tendered or under way: the estimate no longer changes it


@dataclass(frozen=True)
class ProposedWork:
    project_code: str
    settlement_code: str
    sector: Sector
    budget_amount: float
    action: Action


def propose_works(session: Session, estimate: NeedsEstimate) -> list[ProposedWork]:
    """One planned project per settlement and sector with a cost; re-running updates projects still planned."""
    groups: dict[tuple[str, Sector], list[NeedsLine]] = defaultdict(list)
    for line in estimate.lines:
        if line.cost > 0:
            groups[(line.settlement_code, line.sector)].append(line)
    proposed = []
    for (settlement_code, sector), lines in sorted(groups.items()):
        proposed.append(_propose(session, estimate, settlement_code, sector, lines))
    session.flush()
    return proposed


def project_code(settlement_code: str, sector: Sector) -> str:
    code = f"{CODE_PREFIX}-{settlement_code}-{sector}"
    if len(code) > 64:
        raise RuleViolation(
            "damage.code_too_long",
            f"the proposed project code {code!r} is longer than 64 characters; shorten settlement {settlement_code}",
            {"settlement_code": settlement_code},
        )
    return code


def _propose(
    session: Session, estimate: NeedsEstimate, settlement_code: str, sector: Sector, lines: list[NeedsLine]
) -> ProposedWork:
    settlement = session.scalars(select(Settlement).where(Settlement.code == settlement_code)).one()
    code = project_code(settlement_code, sector)
    budget = round(sum(line.cost for line in lines), 2)
    fields = {
        "budget_amount": budget,
        "budget_currency": estimate.currency,
        "description": _description(estimate, lines),
        "metric": "damaged units (needs estimate)",
        "metric_value": "; ".join(f"{line.quantity:g} {line.unit} {line.kind} {line.level}" for line in lines)[:300],
    }
    project = session.scalars(select(Project).where(Project.code == code)).one_or_none()
    if project is None:
        district = session.get_one(District, settlement.district_id)
        project = Project(
            code=code,
            name=f"Restore {sector} in {settlement.name} (from the damage needs estimate)",
            sector=sector,
            stage=STAGE_OF_SECTOR.get(sector, RECONSTRUCTION_STAGE),
            status=ProjectStatus.PLANNED,
            progress_pct=0.0,
            district_id=district.id,
            settlement_id=settlement.id,
            location_text=settlement.name,
            **fields,
        )
        session.add(project)
        return ProposedWork(code, settlement_code, sector, budget, Action.CREATED)
    if project.status != ProjectStatus.PLANNED:
        return ProposedWork(code, settlement_code, sector, budget, Action.KEPT)
    if all(getattr(project, name) == value for name, value in fields.items()):
        return ProposedWork(code, settlement_code, sector, budget, Action.UNCHANGED)
    for name, value in fields.items():
        setattr(project, name, value)
    return ProposedWork(code, settlement_code, sector, budget, Action.UPDATED)


def _description(estimate: NeedsEstimate, lines: list[NeedsLine]) -> str:
    parts = [
        f"{line.quantity:g} {line.unit} {line.kind} {line.level} ({line.basis}) x {line.unit_cost:,.2f} "
        f"x {1 + estimate.uplift:g} = {line.cost:,.2f} {estimate.currency} [{line.cost_reference}]"
        for line in lines
    ]
    return (
        f"Proposed from the damage needs estimate{_priced_on(estimate)} (cost table {estimate.cost_table}, "
        f"build-back-better uplift {estimate.uplift:.0%}): " + "; ".join(parts)
    )


def _priced_on(estimate: NeedsEstimate) -> str:
    return f" priced on {estimate.on}" if estimate.on is not None else ""
