"""Which works serve a settlement (those in it, and those of its whole district) is one rule: the planner, the
readiness verdict and the settlement's page give the same answer. Both engines."""

from __future__ import annotations

from planning_types import Village
from sqlalchemy.orm import Session

from homecoming.disclosure.read_models import settlement_page
from homecoming.planning.build import build_problem
from homecoming.planning.readiness import readiness
from homecoming.planning.scenario import Scenario
from homecoming.territory.models import District, Settlement
from homecoming.works import actions as works
from homecoming.works.models import Project, ProjectStatus, Sector

OPEN = (Sector.SCHOOL, Sector.WATER)  # the services the district has not finished yet
SERVING = {"school": {"own-school"}, "water": {"wide-water"}}


def registry(session: Session, village: Village) -> Settlement:
    """Home waits for its own school and a district-wide water main; the school of the next village and the
    water main of another district do not serve it, nor does a project of the district placed in the next village."""
    session.query(Project).filter(Project.sector.in_(OPEN)).delete()
    session.add(District(id=2, code="e", name="E", region_id=1))
    home, other = village("home", families=6), village("next", families=0, houses=False)
    for code, sector, district, settlement, status, pct in (
        ("own-school", Sector.SCHOOL, 1, home.id, ProjectStatus.IN_PROGRESS, 20.0),
        ("wide-water", Sector.WATER, 1, None, ProjectStatus.PLANNED, 0.0),
        ("next-school", Sector.SCHOOL, None, other.id, ProjectStatus.PLANNED, 0.0),
        ("next-water", Sector.WATER, 1, other.id, ProjectStatus.PLANNED, 0.0),
        ("far-water", Sector.WATER, 2, None, ProjectStatus.PLANNED, 0.0),
    ):
        session.add(Project(code=code, name=code, sector=sector, stage=1, district_id=district,
                            settlement_id=settlement, status=status, progress_pct=pct))  # fmt: skip
    session.flush()
    return home


def test_planning_readiness_and_the_page_agree_on_the_works_serving_a_settlement(
    district: Session, village: Village
) -> None:
    home = registry(district, village)
    rule = {str(s): {p.code for p in works.projects_serving(district, home, sector=s)} for s in OPEN}
    assert rule == SERVING

    built = build_problem(district, Scenario())
    (goal,) = [g for g in built.problem["goals"] if g["id"] == "settlement:home"]
    planned = {t.removeprefix("works:") for t in goal["requires"] if t.startswith("works:")}
    assert planned == {code for codes in SERVING.values() for code in codes}

    (verdict,) = readiness(district, "home")
    under_way = {
        str(phrase.values["sector"]): {item.split(" ")[0] for item in phrase.values["works"].split(", ")}
        for phrase in verdict.missing
        if getattr(phrase, "template", "").startswith("{sector}: no completed works serving it")
    }
    assert under_way == SERVING

    page = settlement_page(district, home.code, threshold=5)
    shown = {str(s): {p.code for p in page.works if p.sector == s} for s in OPEN}
    assert shown == SERVING
    everything = {p.code for p in works.projects_serving(district, home)}
    assert [p.code for p in page.works] != [] and {p.code for p in page.works} == everything
    assert everything == {"own-school", "wide-water"} | {f"done-{s}" for s in ("power", "road", "health")}
