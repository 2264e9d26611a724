"""Issue 16 item 6: small counts cannot be read, nor worked out by differencing, from anything the public or a
viewer reads.

The attack: a district with small settlements (Sus: 4 households), then every public page, API answer and plan
output that publishes counts is fetched and parsed, and for every group tied by a sum (a district and its
settlements, the programme's returns and its settlements', a settlement's returns and its events, a plan and its
settlements, a plan's running totals) the published total minus the published parts must not give a withheld cell.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from api_support import PASSWORD_HASH
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homecoming.accounts import service as accounts
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.config import Settings
from homecoming.db.session import unit_of_work
from homecoming.disclosure.rule import EXACT_COUNT_ROLES, Group, sees_exact_counts, withhold
from homecoming.households.models import Household
from homecoming.mine_action.models import HazardArea, HazardClassification, HazardStatus, LandUse
from homecoming.planning.models import PlanAllocation, PlanRun, PlanSettlement
from homecoming.planning.run import run_plan
from homecoming.planning.scenario import Scenario
from homecoming.returns.models import DatePrecision, ReturnEvent
from homecoming.risk import service as risk
from homecoming.risk import sweep
from homecoming.server.app import create_app
from homecoming.territory.models import District, Region, Settlement, SettlementKind
from homecoming.works.models import HousingStatus, HousingStock, Project, ProjectStatus, Sector

THRESHOLD = 5
# district -> settlement -> households waiting (3 people each); ready houses; hazard on its housing land (m²)
PLACES = {
    "zangilan": {"big": (20, 20, 0), "mid": (7, 0, 1_500_000), "sus": (4, 0, 0)},
    "lachin": {"lachin-v": (9, 9, 0), "tiny": (2, 0, 3_000_000)},
}
# code, settlement, date, cumulative, families, people: Sus's one small convoy is the case the issue found
EVENTS = [
    ("big-count", "big", dt.date(2025, 3, 1), True, 10, 40),
    ("big-later", "big", dt.date(2025, 6, 1), False, 1, 3),
    ("mid-convoy", "mid", dt.date(2025, 4, 1), False, 6, 20),
    ("sus-convoy", "sus", dt.date(2025, 5, 1), False, 2, 7),
]
MARKS = {"<5", "—", "withheld", "fewer than 5"}


@dataclass
class Site:
    client: TestClient
    engine: Engine
    tokens: dict[Role, str]


def _seed(session: Session) -> None:
    session.add(Region(id=1, code="karabakh", name="Karabakh"))
    session.flush()
    number = 0
    for district_id, (district, settlements) in enumerate(PLACES.items(), start=1):
        session.add(District(id=district_id, code=district, name=district.title(), region_id=1))
        session.flush()
        for sector in (Sector.POWER, Sector.WATER, Sector.ROAD, Sector.SCHOOL, Sector.HEALTH):
            session.add(Project(code=f"{district}-{sector}", name=str(sector), sector=sector, stage=1,
                                district_id=district_id, status=ProjectStatus.COMPLETED, progress_pct=100))  # fmt: skip
        for code, (households, houses, hazard_m2) in settlements.items():
            place = Settlement(code=code, name=code.title(), district_id=district_id, kind=SettlementKind.VILLAGE)
            session.add(place)
            session.flush()
            if houses:
                session.add(HousingStock(code=f"{code}-houses", settlement_id=place.id, status=HousingStatus.READY,
                                         units=houses, rooms=2))  # fmt: skip
            if hazard_m2:
                session.add(HazardArea(code=f"{code}-cha", classification=HazardClassification.CHA,
                                       status=HazardStatus.OPEN, estimated_area_m2=hazard_m2,
                                       remaining_area_m2=hazard_m2, blocks_settlement_id=place.id,
                                       blocked_land_use=LandUse.HOUSING))  # fmt: skip
            for _ in range(households):
                number += 1
                session.add(Household(code=f"hh-{number:03d}", origin_settlement_id=place.id, head_name=f"P {number}",
                                      size=3, rooms_needed=2, consent_to_return=True, synthetic=False,
                                      registered_on=dt.date(2023, 1, 1)))  # fmt: skip
    session.flush()
    ids = {code: i for code, i in session.execute(select(Settlement.code, Settlement.id))}
    for code, settlement, day, cumulative, families, people in EVENTS:
        session.add(ReturnEvent(code=code, settlement_id=ids[settlement], event_date=day,
                                date_precision=DatePrecision.DAY, kind="convoy", cumulative=cumulative,
                                families=families, people=people))  # fmt: skip


@pytest.fixture
def site(engine: Engine) -> Iterator[Site]:
    with unit_of_work(engine) as session:
        _seed(session)
        scenario = Scenario(name="disclosure", demining_teams=2, teams_per_clearance=2,
                            clearance_m2_per_team_month=100_000, sequencing_seconds=2, allocation_seconds=2,
                            horizon_months=48)  # fmt: skip
        run_plan(session, scenario, code="plan")
        tokens = {}
        for role in (Role.VIEWER, Role.REGISTRAR):
            user = User(username=role.value, password_hash=PASSWORD_HASH, role=role, active=True)
            session.add(user)
            session.flush()
            tokens[role] = accounts.issue_token(session, user, "tests")
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False), secret_key="test-secret")
    with TestClient(create_app(settings, engine=engine)) as client:
        yield Site(client, engine, tokens)


def _number(text: str) -> int | None:
    text = text.replace("&lt;", "<").strip()
    if text in MARKS:
        return None
    assert re.fullmatch(r"[\d,]+", text), f"neither a number nor a mark: {text!r}"
    return int(text.replace(",", ""))


def _table(html: str, table_id: str) -> dict[str, list[int | None]]:
    """Row label (the code of the settlement it links to, else its first cell) -> its numeric cells."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in table.split("<tr>")[2:]:
        link = re.search(r'<a href="/settlements/([^"]+)">', row)
        label = link[1] if link else re.sub(r"<[^>]+>", "", row.split("</td>", 1)[0])
        rows[label] = [_number(cell) for cell in re.findall(r'<td class="num">([^<]*)</td>', row)]
    return rows


def _derivable(total: int | None, parts: dict[str, int | None], truth: dict[str, int], what: str) -> None:
    """The differencing check: the published total minus the published parts gives no single withheld cell (nor a
    small sum of withheld cells), and a withheld total is not the sum of published parts."""
    withheld = [key for key, value in parts.items() if value is None and truth[key] > 0]
    if total is None:
        assert withheld or not any(truth.values()), f"{what}: the withheld total is the sum of its published parts"
        return
    remainder = total - sum(value for value in parts.values() if value is not None)
    assert remainder == sum(truth[key] for key in withheld), f"{what}: the parsed figures do not add up"
    assert len(withheld) != 1, f"{what}: {total} minus the published parts gives {withheld[0]} = {remainder}"
    assert remainder == 0 or remainder >= THRESHOLD, f"{what}: the withheld cells add up to a small count"


def _truth(engine: Engine) -> tuple[dict[str, int], dict[str, str]]:
    with Session(engine) as session:
        rows = session.execute(
            select(Settlement.code, District.code, func.count(Household.id))
            .join(District, District.id == Settlement.district_id)
            .join(Household, Household.origin_settlement_id == Settlement.id)
            .group_by(Settlement.code, District.code)
        ).all()
    return {code: int(n) for code, _, n in rows}, {code: district for code, district, _ in rows}


def test_no_small_waiting_count_can_be_worked_out_from_the_overview_and_settlement_pages(site: Site) -> None:
    waiting, district_of = _truth(site.engine)
    overview = _table(site.client.get("/").text, "waiting")
    shown = {}
    for code in waiting:
        page = site.client.get(f"/settlements/{code}").text
        shown[code] = _number(page.split('id="households-waiting">', 1)[1].split("</strong>", 1)[0])
        assert f"{waiting[code]} households waiting" not in page or shown[code] is not None
        if waiting[code] < THRESHOLD:
            assert shown[code] is None
    assert shown["sus"] is None and shown["tiny"] is None  # the small ones
    for district in PLACES:
        parts = {code: shown[code] for code in waiting if district_of[code] == district}
        total = overview[district.title()][0]
        _derivable(total, parts, {code: waiting[code] for code in parts}, f"households waiting in {district}")
    # The issue's sum, 391 - 380 - 7 = 4, here 31 - 20 - 7 = 4: the neighbour it needed is withheld too.
    assert overview["Zangilan"][0] == 31 and shown["big"] == 20 and shown["mid"] is None


def test_no_small_return_can_be_worked_out_and_the_settlement_page_lists_no_small_event(site: Site) -> None:
    html = site.client.get("/").text
    returned = _table(html, "returned")
    families = {code: returned[code][0] for code in ("big", "mid", "sus")}
    truth = {"big": 11, "mid": 6, "sus": 2}  # big: its count of 10, then one more family
    national = site.client.get("/api/returns/progress").json()
    assert f'<p class="big">{national["families_returned"]}</p>' in html  # the same figure on the page and the API
    _derivable(national["families_returned"], families, truth, "families returned")
    sus = site.client.get("/settlements/sus").text.split("Returns so far", 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<td class="num">([^<]*)</td>', sus) == ["&lt;5", "—"]  # not 2 families, 7 people
    big = site.client.get("/settlements/big").text.split("Returns so far", 1)[1].split("</table>", 1)[0]
    events = dict(zip(("big-count", "big-later"), re.findall(r'<td class="num">([^<]*)</td><td', big), strict=True))
    _derivable(families["big"], {k: _number(v) for k, v in events.items()}, {"big-count": 10, "big-later": 1},
               "big's returns and its events")  # fmt: skip
    viewer = {"Authorization": f"Bearer {site.tokens[Role.VIEWER]}"}
    listed = site.client.get("/api/return-events?settlement=sus", headers=viewer).json()["items"]
    assert [(e["families"], e["people"]) for e in listed] == [(None, None)]
    registrar = {"Authorization": f"Bearer {site.tokens[Role.REGISTRAR]}"}
    listed = site.client.get("/api/return-events?settlement=sus", headers=registrar).json()["items"]
    assert [(e["families"], e["people"]) for e in listed] == [(2, 7)]  # the registry's readers keep exact counts


def test_no_small_count_can_be_worked_out_from_the_plan_and_its_sentences_name_none(site: Site) -> None:
    waiting, _ = _truth(site.engine)
    run = site.client.get("/api/plan-runs/plan").json()
    settlements = site.client.get("/api/plan-runs/plan/settlements?limit=100").json()["items"]
    households = {s["settlement_code"]: s["households"] for s in settlements}
    people = {s["settlement_code"]: s["people"] for s in settlements}
    assert households["sus"] is None and households["tiny"] is None
    years = site.client.get("/api/plan-runs/plan/people-home").json()
    final = years[-1]["cumulative"]
    everyone = None if final is None or run["unplaced_people"] is None else final + run["unplaced_people"]
    _derivable(everyone, people, {code: 3 * n for code, n in waiting.items()}, "the plan's people")
    _running_totals_hide_small_years(site.engine, years)
    page = site.client.get("/plans/plan").text
    ready = {label: row[0] for label, row in _table(page, "ready-dates").items()}
    assert ready == households  # the page and the API show the same figures
    texts = [*run["data_issues"], *(t["label"] for t in _tasks(site))]
    for code in waiting:
        if households[code] is None:
            assert not [t for t in texts if t.startswith(f"{code}: ") and re.search(r"\d", t)], code
            assert not [t for t in texts if t.endswith(f"houses in {code.title()}") and re.search(r"\d", t)], code
    assert "sus: 4 households wait" not in " ".join(texts)
    assert "proposed 4 houses in Sus" not in texts and "proposed houses in Sus" in texts


def test_the_risk_page_shows_no_year_that_adds_a_small_count(site: Site) -> None:
    """Its "ready by the end of the year" figures rise by the settlements the plan makes ready that year (their
    ready dates are on the same page): two shown figures never differ by a few households, nor by a withheld one.
    Its bands are sums of an unknown subset of those settlements (P10 could be Sus alone): rounded."""
    with unit_of_work(site.engine) as session:
        run = session.scalars(select(PlanRun)).one()
        risk.run_risk(session, run, scenarios=20, seed=1)
        goals = {goal["id"].removeprefix("settlement:") for goal in run.schedule_problem["goals"]}
        ready = [
            (day, households, people)
            for code, day, households, people in session.execute(
                select(
                    Settlement.code, PlanSettlement.ready_date, PlanSettlement.households, PlanSettlement.people
                ).join(Settlement, Settlement.id == PlanSettlement.settlement_id)
            )
            if code in goals
        ]
    shown = {int(year): cells for year, cells in _table(site.client.get("/plans/plan/risk").text, "years").items()}
    withheld = site.client.get("/api/plan-runs/plan/settlements?limit=100").json()["items"]
    assert {s["settlement_code"] for s in withheld if s["people"] is None} & goals  # Sus and Tiny among them
    bands = [band for cells in shown.values() for band in cells[1:] if band is not None]
    assert bands and all(band % (10 * THRESHOLD) == 0 for band in bands)  # rounded: no subset sum lands on Sus
    published = [(0, 0)] + [(year, cells[0]) for year, cells in sorted(shown.items()) if cells[0] is not None]
    assert len(published) > 1  # the plan's line is still there
    for (before, _), (after, _) in itertools.pairwise(published):
        households = sum(h for day, h, _ in ready if before < day.year <= after)
        assert households == 0 or households >= THRESHOLD, f"{before}..{after}: {households} households"


def test_a_sweeps_public_people_home_by_year_is_rounded_while_a_settlement_is_small(site: Site) -> None:
    """A sweep's result (public on /api/jobs) gives people home by year per variant: sums of settlements under a
    schedule nobody sees, rounded like the risk bands."""
    base = Scenario(name="sweep", demining_teams=2, teams_per_clearance=2, clearance_m2_per_team_month=100_000,
                    sequencing_seconds=1, allocation_seconds=1, horizon_months=48)  # fmt: skip
    with Session(site.engine) as session:
        outcomes, _ = sweep.run_sweep(session, base, [sweep.Variant("two", {}), sweep.Variant("four", {
            "demining_teams": 4})], seconds=1)  # fmt: skip
    years = [people for row in sweep.rows(outcomes) for key, people in row.items() if key.startswith("home_by_")]
    assert years and all(people % (10 * THRESHOLD) == 0 for people in years if people is not None)


def _tasks(site: Site) -> list[dict[str, str]]:
    return site.client.get("/api/plan-runs/plan/tasks?limit=200").json()["items"]


def _running_totals_hide_small_years(engine: Engine, years: list[dict[str, int | None]]) -> None:
    """Two published running totals never differ by a small number of households (truth from the allocation)."""
    with Session(engine) as session:
        moves = session.scalars(select(PlanAllocation.move_date).where(PlanAllocation.move_date.is_not(None)))
        households_by_year: dict[int, int] = {}
        for day in moves:
            households_by_year[day.year] = households_by_year.get(day.year, 0) + 1
    published = [(0, 0)] + [(row["year"], row["cumulative"]) for row in years if row["cumulative"] is not None]
    for (before, _), (after, _) in itertools.pairwise(published):
        between = sum(n for year, n in households_by_year.items() if before < year <= after)
        assert between == 0 or between >= THRESHOLD, f"{before}..{after}: {between} households"
    for row in years:
        if row["people"] is not None:
            assert households_by_year.get(row["year"], 0) == 0 or households_by_year[row["year"]] >= THRESHOLD


def test_the_rule_withholds_a_complement_or_the_total_and_merges_small_years() -> None:
    sizes = {"district": 31, "big": 20, "mid": 7, "sus": 4}
    assert withhold(sizes, [Group("district", ("big", "mid", "sus"))], THRESHOLD) == {"sus", "mid"}
    alone = {"district": 4, "sus": 4}
    assert withhold(alone, [Group("district", ("sus",))], THRESHOLD) == {"district", "sus"}
    two_small = {"total": 8, "a": 1, "b": 2, "c": 5}  # 1 + 2 = 3 would be a small remainder: c goes too
    assert withhold(two_small, [Group("total", ("a", "b", "c"))], THRESHOLD) == {"a", "b", "c"}
    country = {"n": 40, "d1": 30, "d2": 10, "s1": 27, "s2": 3, "s3": 10}  # s2 withheld -> s1 -> d1 -> d2
    groups = [Group("n", ("d1", "d2")), Group("d1", ("s1", "s2")), Group("d2", ("s3",))]
    assert withhold(country, groups, THRESHOLD) == {"s2", "s1"}
    years = {"y1": 10, "y2": 2, "y3": 6, "c1": 10, "c2": 12, "c3": 18}  # running totals c of years y
    chain = [Group("c1", ("y1",), True), Group("c2", ("c1", "y2"), True), Group("c3", ("c2", "y3"), True)]
    assert withhold(years, chain, THRESHOLD) == {"y2", "c2", "y3"}  # the small year is merged with the next
    assert sees_exact_counts(Role.REGISTRAR) and not sees_exact_counts(Role.VIEWER) and not sees_exact_counts(None)
    assert {Role.REGISTRAR, Role.ADMIN} == EXACT_COUNT_ROLES
