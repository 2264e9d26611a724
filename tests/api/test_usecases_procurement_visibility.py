"""The bid and draft policies (`procurement.actions.visible_bids`, `visible_tenders`) give the same answer through
the API, the tender pages and `homecoming tender bids`, for each viewer, before and after the opening."""

from __future__ import annotations

import re

import pytest
from api_support import Api
from procurement_support import AFTER, BEFORE, RIVAL, Market, make_market
from typer.testing import CliRunner

from homecoming.accounts.roles import Role
from homecoming.cli.main import app

Seen = list[tuple[str, float | None]]  # bidder, price
COMPANIES = ("azer-build", "kur-insaat", "euro-works")
PRICES = {"azer-build": "480000", "kur-insaat": "455000", "euro-works": "440000"}


@pytest.fixture
def market(api: Api, cli_database: str) -> Market:
    """The API's database is the command line's too."""
    return make_market(api)


def through_api(m: Market, who: Role | str) -> Seen:
    return [(b["bidder_code"], b["price"]) for b in m.get(who, "/api/tenders/T-1/bids")]


def through_page(m: Market, who: Role | str) -> Seen:
    html = m.api.client.get("/tenders/T-1", headers={**m.headers(who), "accept": "text/html"}).text
    section = re.search(r'<section id="bids">(.*?)</section>', html, re.S) or re.search(
        r'<section id="own-bid">(.*?)</section>', html, re.S
    )
    rows = re.findall(r'data-bidder="([a-z-]+)" data-price="([0-9.]*)"', section.group(1)) if section else []
    return [(bidder, float(price) if price else None) for bidder, price in rows]


def through_cli(company: str | None) -> Seen:
    args = ["tender", "bids", "T-1", *(["--as", company] if company else [])]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    seen: Seen = []
    for line in result.output.splitlines():
        bidder = next((c for c in COMPANIES if c in line), None)
        if bidder is not None:
            price = re.search(r"\b(\d{1,3}(?:,\d{3})+\.\d{2})\b", line)
            seen.append((bidder, float(price.group(1).replace(",", "")) if price else None))
    return seen


def _bids(m: Market) -> None:
    m.publish("T-1")
    m.clock.now = BEFORE
    m.bid(Role.CONTRACTOR, "T-1", "azer-build", PRICES["azer-build"])
    m.bid(RIVAL, "T-1", "kur-insaat", PRICES["kur-insaat"])
    m.bid_directly("T-1", "euro-works", PRICES["euro-works"])


def test_before_the_opening_each_door_shows_a_bidder_its_own_sealed_bid_the_office_all_the_public_none(
    market: Market,
) -> None:
    m = market
    _bids(m)
    own, rival = [("azer-build", None)], [("kur-insaat", None)]
    assert through_api(m, Role.CONTRACTOR) == through_page(m, Role.CONTRACTOR) == through_cli("azer-build") == own
    assert through_api(m, RIVAL) == through_page(m, RIVAL) == through_cli("kur-insaat") == rival
    office = [(c, None) for c in COMPANIES]
    assert through_api(m, Role.PROCUREMENT_OFFICER) == through_page(m, Role.PROCUREMENT_OFFICER) == office
    assert through_page(m, Role.PUBLIC) == through_cli(None) == []
    assert m.get(Role.PUBLIC, "/api/tenders/T-1/bids", 401)["error"]["code"] == "auth.required"


def test_from_the_opening_on_every_door_shows_everyone_every_bid_and_price(market: Market) -> None:
    m = market
    _bids(m)
    m.clock.now = AFTER
    for share in m.shares["T-1"][:2]:
        m.give("T-1", share)
    every = [(c, float(PRICES[c])) for c in COMPANIES]
    for who, company in ((Role.CONTRACTOR, "azer-build"), (RIVAL, "kur-insaat")):
        assert through_api(m, who) == through_page(m, who) == through_cli(company) == every
    assert through_api(m, Role.PROCUREMENT_OFFICER) == through_page(m, Role.PROCUREMENT_OFFICER) == every
    assert through_page(m, Role.PUBLIC) == through_cli(None) == every


def test_a_draft_tender_exists_only_for_staff_through_the_api_and_the_pages(market: Market) -> None:
    m = market
    m.create("T-0")
    m.publish("T-1")
    for who, shown in ((Role.PUBLIC, ["T-1"]), (Role.CONTRACTOR, ["T-1"]), (Role.VIEWER, ["T-0", "T-1"]),
                       (Role.PROCUREMENT_OFFICER, ["T-0", "T-1"])):  # fmt: skip
        listed = sorted(t["code"] for t in m.get(who, "/api/tenders")["items"])
        page = m.api.client.get("/tenders", headers={**m.headers(who), "accept": "text/html"}).text
        assert listed == sorted(re.findall(r'data-tender="([A-Z0-9-]+)"', page)) == shown, who
        status = 200 if "T-0" in shown else 404
        assert m.api.client.get("/api/tenders/T-0", headers=m.headers(who)).status_code == status
        html = m.api.client.get("/tenders/T-0", headers={**m.headers(who), "accept": "text/html"})
        assert html.status_code == status
