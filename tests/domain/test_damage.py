"""The damage register and the needs estimate, on hand-computed cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from homecoming.damage import proposals
from homecoming.damage import service as damage
from homecoming.damage.costs import DEFAULT_TABLE, CostTable, load_cost_table
from homecoming.damage.models import AssessmentMethod, DamageLevel, ObjectKind
from homecoming.damage.needs import Basis
from homecoming.damage.schemas import DamageCountCreate, DamagedObjectCreate
from homecoming.errors import RuleViolation
from homecoming.works import service as works
from homecoming.works.models import ProjectStatus, Sector
from homecoming.works.schemas import ProgressReport

COSTS = """kind,level,sector,unit,unit_cost,currency,basis
house,partial,housing,dwelling,10000,AZN,test
house,destroyed,housing,dwelling,50000,AZN,test
school,partial,school,building,150000,AZN,test
school,severe,school,building,400000,AZN,test
road_segment,partial,road,km,100000,AZN,test
"""
REMOTE, SURVEY = AssessmentMethod.REMOTE, AssessmentMethod.FIELD_SURVEY


@pytest.fixture
def table(tmp_path: Path) -> CostTable:
    path = tmp_path / "costs.csv"
    path.write_text(COSTS, encoding="utf-8")
    return load_cost_table(path)


def count(session: Session, settlement: str, kind: ObjectKind, level: DamageLevel, quantity: float) -> None:
    damage.set_count(
        session,
        DamageCountCreate(settlement_code=settlement, kind=kind, level=level, quantity=quantity, method=REMOTE),
    )


def survey(session: Session, code: str, settlement: str, kind: ObjectKind, level: DamageLevel) -> None:
    damage.add_object(
        session, DamagedObjectCreate(code=code, settlement_code=settlement, kind=kind, level=level, method=SURVEY)
    )


@pytest.fixture
def register(territory_session: Session) -> Session:
    """Zabukh: 12 houses destroyed, 5 partly; 2 schools severe by count but one surveyed school, partly damaged.
    Sus: 2.5 km of road partly damaged."""
    s = territory_session
    count(s, "zabukh", ObjectKind.HOUSE, DamageLevel.DESTROYED, 12)
    count(s, "zabukh", ObjectKind.HOUSE, DamageLevel.PARTIAL, 5)
    count(s, "zabukh", ObjectKind.SCHOOL, DamageLevel.SEVERE, 2)
    survey(s, "zabukh-school-1", "zabukh", ObjectKind.SCHOOL, DamageLevel.PARTIAL)
    count(s, "sus", ObjectKind.ROAD_SEGMENT, DamageLevel.PARTIAL, 2.5)
    return s


def test_needs_are_units_times_unit_cost_times_uplift(register: Session, table: CostTable) -> None:
    estimate = damage.needs_estimate(register, uplift=0.10, cost_table=table)
    # 12 x 50,000 x 1.1 = 660,000; 5 x 10,000 x 1.1 = 55,000; 1 x 150,000 x 1.1 = 165,000; 2.5 x 100,000 x 1.1
    assert [(line.settlement_code, line.kind, line.level, line.cost) for line in estimate.lines] == [
        ("sus", "road_segment", "partial", 275_000.0),
        ("zabukh", "house", "partial", 55_000.0),
        ("zabukh", "house", "destroyed", 660_000.0),
        ("zabukh", "school", "partial", 165_000.0),
    ]
    assert estimate.by_settlement() == {"sus": 275_000.0, "zabukh": 880_000.0}
    assert estimate.by_district() == {"lachin": 1_155_000.0}
    assert estimate.by_sector() == {"housing": 715_000.0, "road": 275_000.0, "school": 165_000.0}
    assert (estimate.total, estimate.currency, estimate.cost_table) == (1_155_000.0, "AZN", "costs.csv")


def test_without_uplift_the_estimate_is_the_bare_replacement_cost(register: Session, table: CostTable) -> None:
    assert damage.needs_estimate(register, uplift=0.0, cost_table=table).total == 1_050_000.0


def test_object_records_replace_bulk_counts_of_the_same_settlement_and_kind(
    register: Session, table: CostTable
) -> None:
    quantities = {
        (q.settlement_code, q.kind, q.level): (q.quantity, q.basis) for q in damage.damage_quantities(register)
    }
    assert quantities[("zabukh", ObjectKind.SCHOOL, DamageLevel.PARTIAL)] == (1.0, Basis.OBJECTS)
    assert ("zabukh", ObjectKind.SCHOOL, DamageLevel.SEVERE) not in quantities  # the 2 counted schools are replaced
    assert quantities[("zabukh", ObjectKind.HOUSE, DamageLevel.DESTROYED)] == (12.0, Basis.COUNTS)
    # An undamaged house found by survey replaces the count of houses too, at every level: Sus had 3 destroyed.
    count(register, "sus", ObjectKind.HOUSE, DamageLevel.DESTROYED, 3)
    assert damage.needs_estimate(register, uplift=0.0, cost_table=table, settlement_code="sus").total == 400_000.0
    survey(register, "sus-house-1", "sus", ObjectKind.HOUSE, DamageLevel.NONE)
    estimate = damage.needs_estimate(register, uplift=0.0, cost_table=table, settlement_code="sus")
    assert estimate.by_sector() == {"road": 250_000.0}


def test_estimate_can_be_limited_to_a_settlement(register: Session, table: CostTable) -> None:
    estimate = damage.needs_estimate(register, uplift=0.10, cost_table=table, settlement_code="zabukh")
    assert estimate.by_settlement() == {"zabukh": 880_000.0}


def test_a_recount_replaces_the_previous_count(register: Session, table: CostTable) -> None:
    count(register, "zabukh", ObjectKind.HOUSE, DamageLevel.DESTROYED, 10)
    assert damage.needs_estimate(register, uplift=0.0, cost_table=table).by_sector()["housing"] == 550_000.0


def test_a_kind_missing_from_the_cost_table_is_named(register: Session, table: CostTable) -> None:
    count(register, "sus", ObjectKind.BRIDGE, DamageLevel.DESTROYED, 1)
    with pytest.raises(RuleViolation) as caught:
        damage.needs_estimate(register, uplift=0.0, cost_table=table)
    assert caught.value.code == "damage.no_unit_cost"
    assert caught.value.details == {"kind": "bridge", "level": "destroyed", "table": "costs.csv"}


def test_uplift_outside_zero_to_one_is_refused(register: Session, table: CostTable) -> None:
    with pytest.raises(RuleViolation) as caught:
        damage.needs_estimate(register, uplift=10, cost_table=table)
    assert caught.value.code == "damage.bad_uplift"


def test_propose_works_turns_the_estimate_into_planned_projects(register: Session, table: CostTable) -> None:
    estimate = damage.needs_estimate(register, uplift=0.10, cost_table=table)
    proposed = proposals.propose_works(register, estimate)
    assert [(w.project_code, w.budget_amount, w.action) for w in proposed] == [
        ("needs-sus-road", 275_000.0, "created"),
        ("needs-zabukh-housing", 715_000.0, "created"),
        ("needs-zabukh-school", 165_000.0, "created"),
    ]
    housing = works.get_project(register, "needs-zabukh-housing")
    assert (housing.sector, housing.status, housing.stage, housing.budget_currency) == (
        Sector.HOUSING,
        ProjectStatus.PLANNED,
        3,
        "AZN",
    )
    assert housing.settlement_id is not None and housing.district_id is not None
    assert "12 dwelling house destroyed (counts) x 50,000.00 x 1.1 = 660,000.00 AZN" in (housing.description or "")
    assert works.get_project(register, "needs-sus-road").stage == 1
    assert works.get_project(register, "needs-zabukh-school").stage == 2


def test_proposing_again_updates_planned_works_and_keeps_started_ones(register: Session, table: CostTable) -> None:
    proposals.propose_works(register, damage.needs_estimate(register, uplift=0.10, cost_table=table))
    again = proposals.propose_works(register, damage.needs_estimate(register, uplift=0.10, cost_table=table))
    assert {w.action for w in again} == {"unchanged"}
    works.report_progress(register, "needs-sus-road", ProgressReport(progress_pct=10, on=dt.date(2025, 6, 1)))
    count(register, "zabukh", ObjectKind.HOUSE, DamageLevel.DESTROYED, 20)
    count(register, "sus", ObjectKind.ROAD_SEGMENT, DamageLevel.PARTIAL, 4)
    actions = {
        w.project_code: w.action
        for w in proposals.propose_works(register, damage.needs_estimate(register, uplift=0.10, cost_table=table))
    }
    assert actions == {"needs-sus-road": "kept", "needs-zabukh-housing": "updated", "needs-zabukh-school": "unchanged"}
    assert works.get_project(register, "needs-zabukh-housing").budget_amount == 1_155_000.0
    assert works.get_project(register, "needs-sus-road").budget_amount == 275_000.0


def test_a_footprint_that_is_not_a_geometry_is_refused(territory_session: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        damage.add_object(
            territory_session,
            DamagedObjectCreate(
                code="x",
                settlement_code="zabukh",
                kind=ObjectKind.HOUSE,
                level=DamageLevel.SEVERE,
                method=SURVEY,
                footprint_geojson={"type": "Polygon", "coordinates": [[46.5, 39.5]]},
            ),
        )
    assert caught.value.code == "damage.bad_footprint"


def test_a_road_segment_may_have_a_line_footprint(territory_session: Session) -> None:
    line = {"type": "LineString", "coordinates": [[46.54, 39.58], [46.55, 39.59]]}
    created = damage.add_object(
        territory_session,
        DamagedObjectCreate(
            code="road-1",
            settlement_code="zabukh",
            kind=ObjectKind.ROAD_SEGMENT,
            level=DamageLevel.SEVERE,
            method=REMOTE,
            quantity=1.4,
            footprint_geojson=line,
        ),
    )
    assert damage.get_object(territory_session, "road-1").footprint_geojson == line
    assert created.quantity == 1.4


def test_the_shipped_cost_table_covers_every_kind_and_level_and_says_it_is_an_assumption() -> None:
    shipped = load_cost_table(DEFAULT_TABLE)
    assert set(shipped.costs) == {(kind, level) for kind in ObjectKind for level in DamageLevel}
    assert shipped.currency == "AZN"
    damaged = [c for c in shipped.costs.values() if c.level != DamageLevel.NONE]
    assert all(c.basis.startswith("ASSUMPTION") for c in damaged)


def test_a_bad_cost_table_lists_every_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "kind,level,sector,unit,unit_cost,currency\nhouse,ruined,housing,dwelling,1,AZN\n"
        "house,partial,housing,dwelling,-5,AZN\nschool,partial,school,building,1,USD\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleViolation) as caught:
        load_cost_table(path)
    assert caught.value.code == "damage.bad_cost_table"
    assert [(e["row"], e["column"]) for e in caught.value.details["errors"]] == [(2, "level"), (3, "unit_cost")]


def test_a_cost_table_in_two_currencies_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "kind,level,sector,unit,unit_cost,currency\nhouse,partial,housing,dwelling,1,AZN\n"
        "house,destroyed,housing,dwelling,2,USD\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleViolation) as caught:
        load_cost_table(path)
    assert caught.value.details["errors"] == [
        {"row": 0, "column": "currency", "reason": "one currency expected, got ['AZN', 'USD']"}
    ]


def test_assessment_sources_follow_the_records_that_count(register: Session) -> None:
    assert damage.assessment_sources(register) == {
        ("lachin", ObjectKind.HOUSE): ["remote: no source"],
        ("lachin", ObjectKind.ROAD_SEGMENT): ["remote: no source"],
        ("lachin", ObjectKind.SCHOOL): ["field_survey: no source"],  # the survey replaced the remote count
    }
