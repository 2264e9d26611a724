"""Lists people can work with (issue 19, item 5): the registry, the record lists, tenders, the audit trail and a plan's
data gaps page, sort and filter through one helper (web/listing.py). Hostile input gets a clear refusal, never a 500;
a filter only narrows what the reader may see (district scope, drafts, withheld counts)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from api_support import Api
from procurement_support import Market, make_market
from sqlalchemy.orm import Session
from test_plan_pages import make_run

from homecoming.accounts.roles import Role
from homecoming.households import service as households
from homecoming.households.schemas import HouseholdCreate

HTML = {"accept": "text/html"}


def _get(api: Api, role: Role, path: str, expect: int = 200) -> str:
    response = api.client.get(path, headers=HTML | api.as_(role))
    assert response.status_code == expect, response.text[:400]
    return response.text


def _rows(html: str, table_id: str) -> list[str]:
    """The first cell of each row of a table, tags stripped (a tender's row: its code)."""
    body = html.split(f'id="{table_id}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    if table_id == "tenders":
        return re.findall(r'<tr data-tender="([^"]+)">', body)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<tr><td[^>]*>(.*?)</td>", body)]


def _window(html: str) -> str:
    found = re.search(r'<p class="rows" data-rows="([^"]+)">', html)
    assert found is not None
    return found.group(1)


def _links(html: str, rel: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(rf'<a href="([^"]+)" rel="{rel}">', html)]


def _more_households(api: Api, count: int) -> None:
    """`count` more households from Aghdam village (hh-10 ...), every third one home since 2025-06-01."""
    with Session(api.engine) as session:
        for n in range(10, 10 + count):
            households.register_household(
                session,
                HouseholdCreate(code=f"hh-{n:02d}", origin_settlement_code="aghdam-v", head_name=f"Person {n}",
                                size=2, rooms_needed=1, consent_to_return=True, consent_date=dt.date(2024, 1, 1),
                                registered_on=dt.date(2023, 1, 1)),
            )  # fmt: skip
            if n % 3 == 0:
                households.mark_returned(session, f"hh-{n:02d}", dt.date(2025, 6, 1))
        session.commit()


def test_the_registry_pages_at_its_boundaries_keeping_filters_and_order(api: Api) -> None:
    _more_households(api, 55)  # 61 from Aghdam village: hh-00 ... hh-05 and hh-10 ... hh-64
    first = _get(api, Role.REGISTRAR, "/registry/aghdam-v?per_page=25")
    assert _window(first) == "1-25/61" and "Rows 1–25 of 61" in first
    assert _rows(first, "registry")[:2] == ["hh-00", "hh-01"] and len(_rows(first, "registry")) == 25
    assert _links(first, "prev") == [] and set(_links(first, "next")) == {"/registry/aghdam-v?per_page=25&page=2"}
    last = _get(api, Role.REGISTRAR, "/registry/aghdam-v?per_page=25&page=3")
    assert _window(last) == "51-61/61" and _rows(last, "registry")[-1] == "hh-64"
    assert _links(last, "next") == [] and set(_links(last, "prev")) == {"/registry/aghdam-v?per_page=25&page=2"}
    beyond = _get(api, Role.REGISTRAR, "/registry/aghdam-v?per_page=25&page=4")
    assert _window(beyond) == "0-61/61" and 'href="/registry/aghdam-v?per_page=25&amp;page=3">Last page' in beyond
    descending = _get(api, Role.REGISTRAR, "/registry/aghdam-v?sort=-code&status=returned")
    assert _rows(descending, "registry")[:3] == ["hh-63", "hh-60", "hh-57"] and _window(descending) == "1-18/18"
    assert set(_links(descending, "next")) == set()
    header = re.search(r'aria-sort="descending"><a href="([^"]+)" data-sort="code"', descending)
    assert header is not None and header.group(1) == "/registry/aghdam-v?status=returned"  # back to ascending
    found = _get(api, Role.REGISTRAR, "/registry/aghdam-v?q=person%201&per_page=25")
    assert _rows(found, "registry") == ["hh-01", "hh-10", "hh-11", "hh-12", "hh-13", "hh-14", "hh-15", "hh-16",
                                        "hh-17", "hh-18", "hh-19"]  # fmt: skip
    assert first.count("<td>waiting</td>") == 25 - 6  # the status column is never blank: hh-12, 15, 18, ... are home


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("sort=head_name;drop table households", "request.bad_sort"),
        ("sort=origin_settlement_id", "request.bad_sort"),
        ("page=0", "request.bad_page"),
        ("page=-1", "request.bad_page"),
        ("page=abc", "request.bad_page"),
        ("page=99999999999999999999", "request.bad_page"),
        ("per_page=30", "request.bad_page"),
        ("per_page=100000", "request.bad_page"),
        ("status=gone'--", "request.bad_filter"),
        ("q=" + "x" * 101, "request.bad_filter"),
    ],
)
def test_hostile_list_parameters_are_refused_with_a_clear_message(api: Api, query: str, code: str) -> None:
    refused = _get(api, Role.REGISTRAR, f"/registry/aghdam-v?{query}", 400)
    assert f'data-code="{code}"' in refused
    if code == "request.bad_sort":
        assert "choose one of: code, head_name, size, rooms_needed, registered_on, returned_on" in refused


def test_a_list_refuses_a_sort_key_it_does_not_offer_everywhere(api: Api) -> None:
    for role, path in (
        (Role.ADMIN, "/admin/audit?sort=username"),
        (Role.PUBLIC, "/tenders?sort=winning_bidder_id"),
        (Role.DATA_ENTRY, "/forms/settlements?sort=population_before"),
        (Role.REGISTRAR, "/forms/households?sort=head_name%20desc"),
    ):
        assert 'data-code="request.bad_sort"' in _get(api, role, path, 400), path
    assert 'data-code="request.bad_filter"' in _get(api, Role.PUBLIC, "/tenders?status=sealed", 400)
    assert 'data-code="districts.not_found"' in _get(api, Role.PUBLIC, "/tenders?district=nowhere", 404)


def test_a_district_filter_never_shows_another_districts_records(api: Api) -> None:
    own = _get(api, Role.DATA_ENTRY, "/forms/settlements")  # the clerk of Aghdam
    assert _rows(own, "records") == ["aghdam-v"] and 'value="fuzuli"' not in own
    other = _get(api, Role.DATA_ENTRY, "/forms/settlements?district=fuzuli")
    assert "fuzuli-v" not in other and _window(other) == "0-0/0"
    projects = _get(api, Role.DATA_ENTRY, "/forms/projects?district=fuzuli&q=road")
    assert "fuzuli-road" not in projects and _window(projects) == "0-0/0"
    national = _get(api, Role.PLANNER, "/forms/settlements?district=fuzuli")
    assert _rows(national, "records") == ["fuzuli-v"]


def test_household_list_filters_by_district_settlement_and_status_for_registrars_only(api: Api) -> None:
    _more_households(api, 3)  # hh-10 (returned is hh-12 only)
    fuzuli = _get(api, Role.REGISTRAR, "/forms/households?district=fuzuli")
    assert _rows(fuzuli, "records") == ["hh-06", "hh-07", "hh-08"] and fuzuli.count("<td>waiting</td>") == 3
    home = _get(api, Role.REGISTRAR, "/forms/households?settlement=aghdam-v&status=returned")
    assert _rows(home, "records") == ["hh-12"] and re.search(r"<td>returned [^<]*2025</td>", home)
    by_name = _get(api, Role.REGISTRAR, "/forms/households?sort=-head_name&per_page=25")
    assert _rows(by_name, "records")[0] == "hh-08"  # "Person 8" is the last name in order
    for role in (Role.VIEWER, Role.DATA_ENTRY, Role.PLANNER):
        _get(api, role, "/forms/households?district=fuzuli", 403)
        _get(api, role, "/registry/fuzuli-v?status=waiting", 403)


def test_hazard_areas_filter_by_settlement_and_status(api: Api) -> None:
    blocking = _get(api, Role.MINE_ACTION_OFFICER, "/forms/hazard-areas?settlement=aghdam-v&status=open")
    assert _rows(blocking, "records") == ["cha-1"]
    assert _window(_get(api, Role.MINE_ACTION_OFFICER, "/forms/hazard-areas?status=closed")) == "0-0/0"
    assert _window(_get(api, Role.MINE_ACTION_OFFICER, "/forms/hazard-areas?settlement=fuzuli-v")) == "0-0/0"


@pytest.fixture
def market(api: Api) -> Market:
    return make_market(api)


def test_tenders_page_and_filter_without_showing_a_draft_to_the_public(market: Market) -> None:
    m = market
    m.create("T-0")  # a draft
    for n in range(1, 4):
        m.publish(f"T-{n}")
    api = m.api
    public = _get(api, Role.PUBLIC, "/tenders?per_page=25&sort=code")
    assert _rows(public, "tenders") == ["T-1", "T-2", "T-3"] and _window(public) == "1-3/3"
    assert 'value="draft"' not in public
    drafts = _get(api, Role.PUBLIC, "/tenders?status=draft")
    assert "T-0" not in drafts and "No tender matches these filters." in drafts
    office = _get(api, Role.PROCUREMENT_OFFICER, "/tenders?status=draft")
    assert _rows(office, "tenders") == ["T-0"] and 'value="draft"' in office
    newest_first = _get(api, Role.PUBLIC, "/tenders?district=aghdam&sort=-code")
    assert _rows(newest_first, "tenders") == ["T-3", "T-2", "T-1"]


def test_the_audit_trail_pages_oldest_first_when_asked(api: Api) -> None:
    body = {"population_before": 1200, "version": 1, "comment": "census 2009"}
    assert api.client.patch("/api/settlements/aghdam-v", json=body, headers=api.as_(Role.PLANNER)).status_code == 200
    body = {"population_before": 1300, "version": 2, "comment": "census 2019"}
    assert api.client.patch("/api/settlements/aghdam-v", json=body, headers=api.as_(Role.PLANNER)).status_code == 200
    newest = _get(api, Role.ADMIN, "/admin/audit?who=planner")
    oldest = _get(api, Role.ADMIN, "/admin/audit?who=planner&sort=at")
    assert newest.index("census 2019") < newest.index("census 2009")
    assert oldest.index("census 2009") < oldest.index("census 2019")
    assert 'href="/admin/audit?who=planner&amp;sort=at" data-sort="at"' in newest


def test_data_gaps_page_filters_by_place_and_keeps_small_counts_withheld(api: Api) -> None:
    make_run(api, "first")
    plan = _get(api, Role.PUBLIC, "/plans/first")
    assert 'href="/plans/first/data-gaps"' in plan
    every = _get(api, Role.PUBLIC, "/plans/first/data-gaps?per_page=25")
    total = int(_window(every).split("/")[1])
    assert total >= 3
    fuzuli = _get(api, Role.PUBLIC, "/plans/first/data-gaps?settlement=fuzuli-v")
    assert set(_rows(fuzuli, "data-gaps")) == {"Fuzuli-V"}
    assert "counts withheld" in fuzuli and "3 households" not in fuzuli  # 3 < 5: a filter does not bring it back
    aghdam = _get(api, Role.PUBLIC, "/plans/first/data-gaps?district=aghdam")
    assert set(_rows(aghdam, "data-gaps")) <= {"Aghdam-V", "the whole programme"} and "Fuzuli-V" not in aghdam
    assert 'data-code="request.bad_sort"' in _get(api, Role.PUBLIC, "/plans/first/data-gaps?sort=text", 400)
