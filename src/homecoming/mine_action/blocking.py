"""Which settlement and works a hazard area blocks: from geometry, corrected by hand with a reason.

A settlement's footprint is its boundary when one is drawn, else a circle around its coordinates; a project's
site is a circle around its coordinates. A hazard blocks the settlement it overlaps most and every project site it
touches. A person can override either answer; the override wins and keeps its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely import STRtree
from shapely.geometry.base import BaseGeometry
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from homecoming import geo
from homecoming.db.crud import get_by_code
from homecoming.errors import RuleViolation
from homecoming.mine_action.models import HazardArea, HazardBlockOverride, hazard_area_blocked_projects
from homecoming.territory.models import Settlement
from homecoming.works.models import Project

SETTLEMENT_RADIUS_M = 750.0  # a village without a drawn boundary: its houses lie within this of its centre
PROJECT_SITE_RADIUS_M = 150.0


@dataclass(frozen=True)
class Blocks:
    hazard: str
    settlement: str | None
    projects: tuple[str, ...]
    overridden: bool


def _footprints(session: Session) -> tuple[list[int], list[BaseGeometry], list[int], list[BaseGeometry]]:
    settlement_ids, settlement_shapes = [], []
    for settlement in session.scalars(select(Settlement).order_by(Settlement.id)):
        if settlement.boundary_geojson:
            shape = geo.polygon(settlement.boundary_geojson, f"boundary of settlement {settlement.code}")
        elif settlement.lat is not None and settlement.lon is not None:
            shape = geo.circle(settlement.lon, settlement.lat, SETTLEMENT_RADIUS_M)
        else:
            continue
        settlement_ids.append(settlement.id)
        settlement_shapes.append(shape)
    project_ids, project_shapes = [], []
    for project in session.scalars(select(Project).where(Project.lat.is_not(None), Project.lon.is_not(None))):
        project_ids.append(project.id)
        project_shapes.append(geo.circle(project.lon, project.lat, PROJECT_SITE_RADIUS_M))  # type: ignore[arg-type]
    return settlement_ids, settlement_shapes, project_ids, project_shapes


def compute_blocks(session: Session) -> list[Blocks]:
    """Recompute what every hazard area with a polygon blocks; hazards without a polygon keep what was entered."""
    settlement_ids, settlement_shapes, project_ids, project_shapes = _footprints(session)
    settlement_tree, project_tree = STRtree(settlement_shapes), STRtree(project_shapes)
    results = []
    hazards = session.scalars(
        select(HazardArea).where(HazardArea.polygon_geojson.is_not(None)).order_by(HazardArea.code)
    )
    for hazard in hazards:
        shape = geo.polygon(hazard.polygon_geojson or {}, f"hazard area {hazard.code}")
        overlaps = [(geo.area_m2(shape.intersection(settlement_shapes[i])), settlement_ids[i])
                    for i in settlement_tree.query(shape, predicate="intersects")]  # fmt: skip
        settlement_id = max(overlaps)[1] if overlaps else None
        projects = {project_ids[i] for i in project_tree.query(shape, predicate="intersects")}
        results.append(_store(session, hazard, settlement_id, projects))
    session.flush()
    return results


def _store(session: Session, hazard: HazardArea, settlement_id: int | None, projects: set[int]) -> Blocks:
    overrides = list(
        session.scalars(select(HazardBlockOverride).where(HazardBlockOverride.hazard_area_id == hazard.id))
    )
    for override in overrides:
        if override.settlement_id is not None:
            if override.blocks:
                settlement_id = override.settlement_id
            elif settlement_id == override.settlement_id:
                settlement_id = None
        elif override.project_id is not None:
            (projects.add if override.blocks else projects.discard)(override.project_id)
    hazard.blocks_settlement_id = settlement_id
    table = hazard_area_blocked_projects
    session.execute(delete(table).where(table.c.hazard_area_id == hazard.id))
    if projects:
        session.execute(insert(table), [{"hazard_area_id": hazard.id, "project_id": p} for p in sorted(projects)])
    settlement = session.get(Settlement, settlement_id) if settlement_id is not None else None
    codes = session.scalars(select(Project.code).where(Project.id.in_(projects)).order_by(Project.code)).all()
    return Blocks(hazard.code, settlement.code if settlement else None, tuple(codes), bool(overrides))


def override_block(
    session: Session,
    hazard_code: str,
    *,
    blocks: bool,
    reason: str,
    settlement_code: str | None = None,
    project_code: str | None = None,
) -> HazardBlockOverride:
    """Say by hand that a hazard does (or does not) block a settlement or a project, and why."""
    if (settlement_code is None) == (project_code is None):
        raise RuleViolation("mine_action.override_target", "an override names exactly one settlement or one project")
    if not reason.strip():
        raise RuleViolation("mine_action.override_reason", "an override needs a reason a reviewer can check")
    hazard = get_by_code(session, HazardArea, hazard_code)
    override = HazardBlockOverride(
        hazard_area_id=hazard.id,
        settlement_id=get_by_code(session, Settlement, settlement_code).id if settlement_code else None,
        project_id=get_by_code(session, Project, project_code).id if project_code else None,
        blocks=blocks,
        reason=reason.strip(),
    )
    session.add(override)
    session.flush()
    return override
