"""Heritage sites: recorded with their place and condition, linked to the works that restore them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from homecoming.errors import Conflict, NotFound, RuleViolation
from homecoming.heritage import service as heritage
from homecoming.heritage.models import Condition, HeritageCategory
from homecoming.heritage.schemas import HeritageSiteCreate
from homecoming.territory import service as territory
from homecoming.territory.schemas import DistrictCreate
from homecoming.works import service as works
from homecoming.works.models import ProjectStatus, Sector
from homecoming.works.schemas import ProgressReport, ProjectCreate


@pytest.fixture
def sites(territory_session: Session) -> Session:
    heritage.create_site(
        territory_session,
        HeritageSiteCreate(
            code="zabukh-bridge",
            name_latin="Zabukh bridge",
            name_local="Zabux körpüsü",
            category=HeritageCategory.BRIDGE,
            settlement_code="zabukh",
            condition_before=Condition.FAIR,
            condition_after=Condition.RUINED,
            documented_damage="deck collapsed",
            source_url="https://example.org/survey",
        ),
    )
    heritage.create_site(
        territory_session,
        HeritageSiteCreate(code="sus-cemetery", name_latin="Sus cemetery", category=HeritageCategory.CEMETERY),
    )
    return territory_session


def test_a_site_takes_its_district_from_its_settlement(sites: Session) -> None:
    bridge = heritage.get_site(sites, "zabukh-bridge")
    assert bridge.district_id is not None
    assert [s.code for s in heritage.list_sites(sites, district_code="lachin")] == ["zabukh-bridge"]
    assert [s.code for s in heritage.list_sites(sites, category=HeritageCategory.CEMETERY)] == ["sus-cemetery"]


def test_a_settlement_outside_the_given_district_is_refused(sites: Session) -> None:
    territory.create_district(sites, DistrictCreate(code="shusha", name="Shusha", region_code="karabakh"))
    with pytest.raises(RuleViolation) as caught:
        heritage.create_site(
            sites,
            HeritageSiteCreate(
                code="x",
                name_latin="X",
                category=HeritageCategory.MOSQUE,
                settlement_code="sus",
                district_code="shusha",
            ),
        )
    assert caught.value.code == "territory.settlement_not_in_district"


def test_a_code_is_taken_once(sites: Session) -> None:
    with pytest.raises(Conflict) as caught:
        heritage.create_site(
            sites, HeritageSiteCreate(code="sus-cemetery", name_latin="Again", category=HeritageCategory.CEMETERY)
        )
    assert caught.value.code == "heritage_sites.duplicate_code"


def test_the_site_page_shows_condition_and_restoration_works_with_their_status(sites: Session) -> None:
    works.create_project(
        sites,
        ProjectCreate(
            code="bridge-restoration",
            name="Restore Zabukh bridge",
            sector=Sector.HERITAGE,
            stage=3,
            budget_amount=250_000,
            budget_currency="AZN",
        ),
    )
    heritage.link_restoration(sites, "zabukh-bridge", "bridge-restoration")
    heritage.link_restoration(sites, "zabukh-bridge", "bridge-restoration")  # twice keeps one link
    works.report_progress(sites, "bridge-restoration", ProgressReport(progress_pct=30, on=dt.date(2025, 6, 1)))
    page = heritage.site_page(sites, "zabukh-bridge")
    assert (page.name_local, page.settlement, page.district) == ("Zabux körpüsü", "Zabukh", "Lachin")
    assert (page.condition_before, page.condition_after, page.documented_damage) == (
        Condition.FAIR,
        Condition.RUINED,
        "deck collapsed",
    )
    assert [(w.code, w.status, w.progress_pct, w.budget_amount) for w in page.restoration] == [
        ("bridge-restoration", ProjectStatus.IN_PROGRESS, 30.0, 250_000.0)
    ]
    assert page.attachments == 0


def test_an_unknown_project_cannot_be_linked(sites: Session) -> None:
    with pytest.raises(NotFound) as caught:
        heritage.link_restoration(sites, "zabukh-bridge", "nothing")
    assert caught.value.code == "projects.not_found"


def test_a_site_imported_with_only_its_settlement_is_found_in_its_district(sites: Session) -> None:
    heritage.get_site(sites, "zabukh-bridge").district_id = None  # as a file naming only the settlement leaves it
    sites.flush()
    assert [s.code for s in heritage.list_sites(sites, district_code="lachin")] == ["zabukh-bridge"]
    assert heritage.site_page(sites, "zabukh-bridge").district == "Lachin"
