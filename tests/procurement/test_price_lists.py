"""Price lists keep their history; a bill of quantities is priced with the lists in force on a chosen date."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session
from tender_helpers import FakeClock, opened, publish, tender_data

from homecoming.errors import Conflict, RuleViolation
from homecoming.procurement import pricing, service
from homecoming.procurement.schemas import BillOfQuantitiesCreate, BoqLineCreate, PriceItemCreate, PriceListCreate


def price_list(code: str, on: dt.date, prices: dict[str, float], region: str | None = None) -> PriceListCreate:
    units = {"cement": "t", "asphalt": "t", "rebar": "t"}
    return PriceListCreate(
        code=code,
        region_code=region,
        effective_date=on,
        currency="AZN",
        items=[PriceItemCreate(item_code=k, description=k, unit=units[k], unit_price=v) for k, v in prices.items()],
    )


@pytest.fixture
def priced(money: Session) -> Session:
    pricing.add_price_list(
        money, price_list("N-2024", dt.date(2024, 1, 1), {"cement": 150, "asphalt": 90, "rebar": 1300})
    )
    pricing.add_price_list(money, price_list("N-2025", dt.date(2025, 1, 1), {"cement": 165, "asphalt": 95}))
    pricing.add_price_list(money, price_list("K-2025", dt.date(2025, 4, 1), {"cement": 180}, region="karabakh"))
    pricing.add_bill_of_quantities(
        money,
        BillOfQuantitiesCreate(
            code="boq-road",
            title="Zabukh road",
            project_code="zabukh-road",
            lines=[
                BoqLineCreate(item_code="cement", quantity=120),
                BoqLineCreate(item_code="asphalt", quantity=2000),
                BoqLineCreate(item_code="rebar", quantity=15.5),
            ],
        ),
    )
    return money


def test_an_estimate_uses_the_prices_in_force_on_the_date(priced: Session) -> None:
    old = pricing.cost_estimate(priced, "boq-road", dt.date(2024, 6, 30))
    assert [(line.item_code, line.unit_price, line.amount, line.price_list_code) for line in old.lines] == [
        ("asphalt", 90, 180_000, "N-2024"),
        ("cement", 150, 18_000, "N-2024"),
        ("rebar", 1300, 20_150, "N-2024"),
    ]
    assert old.total == 218_150
    new = pricing.cost_estimate(priced, "boq-road", dt.date(2025, 2, 1))
    assert [(line.item_code, line.price_list_code) for line in new.lines] == [
        ("asphalt", "N-2025"),
        ("cement", "N-2025"),
        ("rebar", "N-2024"),
    ]
    assert new.total == 190_000 + 19_800 + 20_150


def test_a_regional_list_wins_in_its_region_only(priced: Session) -> None:
    on = dt.date(2025, 5, 1)
    regional = {
        line.item_code: line.unit_price for line in pricing.cost_estimate(priced, "boq-road", on, "karabakh").lines
    }
    national = {line.item_code: line.unit_price for line in pricing.cost_estimate(priced, "boq-road", on).lines}
    assert (regional["cement"], national["cement"]) == (180, 165)


def test_a_new_list_never_rewrites_an_old_one(priced: Session) -> None:
    with pytest.raises(Conflict) as caught:
        pricing.add_price_list(priced, price_list("N-2025b", dt.date(2025, 1, 1), {"cement": 170}))
    assert caught.value.code == "price_list.date_taken"
    assert pricing.cost_estimate(priced, "boq-road", dt.date(2024, 6, 30)).total == 218_150


def test_an_item_without_a_price_on_the_date_is_named(priced: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        pricing.cost_estimate(priced, "boq-road", dt.date(2023, 12, 31))
    assert caught.value.code == "estimate.item_unpriced"
    assert caught.value.details["items"] == ["asphalt", "cement", "rebar"]


def test_a_tender_estimate_priced_from_a_bill_of_quantities(priced: Session, clock: FakeClock) -> None:
    data = tender_data(estimate_amount=None, estimate_boq_code="boq-road", estimate_on=dt.date(2024, 6, 30))
    tender = service.create_tender(priced, data)
    assert (tender.estimate_amount, tender.estimate_on) == (218_150, dt.date(2024, 6, 30))
    assert tender.estimate_boq_id == pricing.get_by_code(priced, pricing.BillOfQuantities, "boq-road").id
    shares = publish(priced, "T-1", clock)
    opened(priced, clock, shares, {"azer-build": "170000", "kur-insaat": "200000"})
    report = service.evaluate(priced, "T-1", clock)
    assert report.abnormally_low_below == 174_520  # 80% of the priced estimate
    assert [(b.bidder_code, b.abnormally_low) for b in report.bids] == [("azer-build", True), ("kur-insaat", False)]


def test_a_tender_takes_one_estimate_with_its_date() -> None:
    with pytest.raises(ValidationError, match="either estimate_amount or estimate_boq_code"):
        tender_data(estimate_boq_code="boq-road", estimate_on=dt.date(2024, 6, 30))
    with pytest.raises(ValidationError, match="estimate_on"):
        tender_data(estimate_amount=None, estimate_boq_code="boq-road")


def test_a_boq_estimate_in_another_currency_is_refused(priced: Session) -> None:
    data = tender_data(
        currency="USD", estimate_amount=None, estimate_boq_code="boq-road", estimate_on=dt.date(2025, 2, 1)
    )
    with pytest.raises(RuleViolation) as caught:
        service.create_tender(priced, data)
    assert caught.value.code == "tender.estimate_currency"
