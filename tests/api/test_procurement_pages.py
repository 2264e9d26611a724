"""The procurement pages show what the API would show the same person, and nothing more."""

from __future__ import annotations

import re

import pytest
from api_support import Api
from procurement_support import BEFORE, RIVAL, Market, make_market

from homecoming.accounts.roles import Role

PRICES = {"azer-build": "480000", "kur-insaat": "455000", "euro-works": "440000"}


@pytest.fixture
def market(api: Api) -> Market:
    return make_market(api)


def _page(m: Market, who: Role | str, path: str, expect: int = 200) -> str:
    response = m.api.client.get(path, headers={**m.headers(who), "accept": "text/html"})
    assert response.status_code == expect, response.text[:500]
    return response.text


def test_tender_pages_hide_drafts_and_sealed_bids_from_the_public(market: Market) -> None:
    m = market
    m.create("T-0")
    m.publish("T-1")
    m.clock.now = BEFORE
    m.bid(Role.CONTRACTOR, "T-1", "azer-build", "480123")
    listing = _page(m, Role.PUBLIC, "/tenders")
    assert 'data-tender="T-1"' in listing and 'data-tender="T-0"' not in listing
    assert 'data-tender="T-0"' in _page(m, Role.VIEWER, "/tenders")
    public = _page(m, Role.PUBLIC, "/tenders/T-1")
    assert '<dd id="bids-count">sealed until the deadline</dd>' in public
    assert '<li class="current" aria-current="step">enquiries</li>' in public
    assert "480123" not in public and "480,123" not in public
    assert "Your bid" not in public
    _page(m, Role.PUBLIC, "/tenders/T-0", 404)
    own = _page(m, Role.CONTRACTOR, "/tenders/T-1")
    assert "Your bid" in own and "480,123" not in own  # its own price is sealed too until the opening


def test_the_tender_page_shows_the_evaluation_with_margins_and_flags(market: Market) -> None:
    m = market
    m.opened("T-1", PRICES)
    m.step("T-1", "evaluation")
    m.step("T-1", "award")
    html = _page(m, Role.PUBLIC, "/tenders/T-1")
    row = r'<tr id="bid-[0-9a-f]{12}"( class="winner")?>\s*<td class="num">(\d)</td><td>([A-Za-z ]+)</td>'
    rows = re.findall(row, html)
    assert [(rank, bidder, bool(won)) for won, rank, bidder in rows] == [  # each company by its name (issue 19)
        ("1", "Kur Insaat", True),
        ("2", "Euro Works", False),
        ("3", "Azer Build", False),
    ]
    assert "+22,000.00" in html  # euro-works: 5% of 440,000
    assert html.count('<span class="flag">abnormally low</span>') == 1
    assert "Awarded to Kur Insaat at 455,000.00 AZN" in html and "kur-insaat</" not in html  # no code to the public
    office = _page(m, Role.PROCUREMENT_OFFICER, "/tenders/T-1")  # the clerk who types codes sees them too
    assert "Awarded to Kur Insaat at 455,000.00 AZN" in office
    assert '<code class="bidder-code">kur-insaat</code>' in office
    assert "Rule: the lowest evaluated price among qualified bids; bids from outside" in html
    # the rule is written from the report's figures in the reader's language, never the stored English sentence
    az = m.api.client.get("/tenders/T-1", headers={**m.headers(Role.PUBLIC), "accept": "text/html",
                                                   "accept-language": "az"}).text  # fmt: skip
    assert "Qayda: ixtisas tələblərinə cavab verən təkliflər" in az and "lowest evaluated price" not in az


def test_a_contractor_sees_only_its_own_bids_page(market: Market) -> None:
    m = market
    m.opened("T-1", PRICES)
    mine = _page(m, Role.CONTRACTOR, "/my/bids")
    assert re.findall(r'data-bidder="([a-z-]+)"', mine) == ["azer-build"]
    assert "480,000.00" in mine and "455,000" not in mine
    assert re.findall(r'data-bidder="([a-z-]+)"', _page(m, RIVAL, "/my/bids")) == ["kur-insaat"]
    assert "Not allowed" in _page(m, Role.VIEWER, "/my/bids", 403)
    assert _page(m, Role.CONTRACTOR, "/").count('href="/my/bids"') == 1
    assert 'href="/my/bids"' not in _page(m, Role.VIEWER, "/")


def test_contract_red_flags_and_money_pages(market: Market) -> None:
    m = market
    m.opened("T-1", {"azer-build": "600000"})  # one bid, 20% above the estimate
    m.step("T-1", "evaluation")
    m.step("T-1", "award")
    milestones = [{"title": "walls", "amount": 250_000}, {"title": "roof", "amount": 350_000}]
    m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", {"code": "C-1", "milestones": milestones}, 201)
    inspection = m.post(Role.DATA_ENTRY, "/api/contracts/C-1/milestones/1/inspections",
                        {"inspected_on": "2025-06-02", "passed": True}, 201)  # fmt: skip
    m.post(Role.PROCUREMENT_OFFICER, f"/api/inspections/{inspection['id']}/approval")
    m.post(Role.PROCUREMENT_OFFICER, "/api/contracts/C-1/milestones/1/payments", {"amount": 250_000}, 201)
    contract = _page(m, Role.PUBLIC, "/contracts/C-1")
    assert "Milestone 1: walls" in contract and "Paid 250,000.00 on" in contract
    assert "data_entry" not in contract  # the inspector's name is for staff
    assert "data_entry" in _page(m, Role.PLANNER, "/contracts/C-1")
    flags = _page(m, Role.PUBLIC, "/red-flags")
    assert re.findall(r'data-flag="([a-z_]+)"', flags) == ["single_bid", "award_above_estimate"]
    assert '<a href="/tenders/T-1">tenders/T-1</a>' in flags
    money = _page(m, Role.PUBLIC, "/money")
    assert '<rect class="allocated"' in money and '<rect class="committed"' in money and '<rect class="paid"' in money
    row = re.search(r"<tr><td>2025</td>(.*?)</tr>", money.split('id="money-by-year"')[1])
    assert row is not None
    assert re.findall(r'<td class="num">([^<]*)</td>', row.group(1)) == ["1,000,000", "600,000", "250,000", "1"]
