"""Price lists with history and bills of quantities priced at a chosen date.

A price list is written once: a change of price is a new list with a later effective date, so an estimate made
for any past date can be made again and gives the same figure. A regional list wins over the national one
(no region) for the items it prices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from homecoming.db.crud import add_unique, get_by_code, id_of
from homecoming.errors import Conflict, RuleViolation
from homecoming.procurement.models import BillOfQuantities, BoqLine, PriceItem, PriceList
from homecoming.procurement.schemas import BillOfQuantitiesCreate, PriceListCreate
from homecoming.territory.models import Region
from homecoming.works.models import Project


def add_price_list(session: Session, data: PriceListCreate) -> PriceList:
    """Record a new list; one per region and effective date, and an existing list is never touched."""
    region_id = id_of(session, Region, data.region_code)
    clash = select(PriceList.code).where(
        PriceList.effective_date == data.effective_date,
        PriceList.region_id.is_(None) if region_id is None else PriceList.region_id == region_id,
    )
    existing = session.scalars(clash).first()
    if existing is not None:
        where = data.region_code or "national"
        raise Conflict(
            "price_list.date_taken",
            f"the {where} price list {existing} is already in force from {data.effective_date}; "
            "a new price needs a new effective date",
            {"existing": existing},
        )
    fields = data.model_dump(exclude={"region_code", "items"})
    price_list = add_unique(session, PriceList(region_id=region_id, **fields))
    session.add_all(PriceItem(price_list_id=price_list.id, **item.model_dump()) for item in data.items)
    session.flush()
    return price_list


def add_bill_of_quantities(session: Session, data: BillOfQuantitiesCreate) -> BillOfQuantities:
    codes = [line.item_code for line in data.lines]
    if len(set(codes)) != len(codes):
        raise RuleViolation("boq.duplicate_item", "each item appears once in a bill of quantities")
    boq = add_unique(
        session,
        BillOfQuantities(code=data.code, title=data.title, project_id=id_of(session, Project, data.project_code)),
    )
    session.add_all(BoqLine(boq_id=boq.id, **line.model_dump()) for line in data.lines)
    session.flush()
    return boq


@dataclass(frozen=True)
class EstimateLine:
    item_code: str
    description: str
    unit: str
    quantity: float
    unit_price: float
    amount: float
    price_list_code: str  # where the price came from


@dataclass(frozen=True)
class CostEstimate:
    boq_code: str
    on: dt.date
    region_code: str | None
    currency: str
    lines: tuple[EstimateLine, ...]

    @property
    def total(self) -> float:
        return round(sum(line.amount for line in self.lines), 2)


def price_at(session: Session, item_codes: list[str], on: dt.date, region_code: str | None) -> dict[str, PriceItem]:
    """Each item's price in force on `on`: the latest list effective by then, the region's before the nation's."""
    region_id = id_of(session, Region, region_code)
    query = (
        select(PriceItem, PriceList)
        .join(PriceList, PriceItem.price_list_id == PriceList.id)
        .where(
            PriceItem.item_code.in_(item_codes),
            PriceList.effective_date <= on,
            or_(PriceList.region_id.is_(None), PriceList.region_id == region_id),
        )
    )
    best: dict[str, tuple[tuple[bool, dt.date], PriceItem]] = {}
    for item, price_list in session.execute(query):
        rank = (price_list.region_id is not None, price_list.effective_date)
        if item.item_code not in best or rank > best[item.item_code][0]:
            best[item.item_code] = (rank, item)
    return {code: item for code, (_rank, item) in best.items()}


def cost_estimate(session: Session, boq_code: str, on: dt.date, region_code: str | None = None) -> CostEstimate:
    boq = get_by_code(session, BillOfQuantities, boq_code)
    lines = list(session.scalars(select(BoqLine).where(BoqLine.boq_id == boq.id).order_by(BoqLine.item_code)))
    prices = price_at(session, [line.item_code for line in lines], on, region_code)
    missing = [line.item_code for line in lines if line.item_code not in prices]
    if missing:
        raise RuleViolation(
            "estimate.item_unpriced",
            f"no price list in force on {on} prices {', '.join(missing)}; add a list or choose another date",
            {"items": missing, "on": on.isoformat()},
        )
    lists = {
        pl.id: pl
        for pl in session.scalars(select(PriceList).where(PriceList.id.in_({p.price_list_id for p in prices.values()})))
    }
    currencies = {pl.currency for pl in lists.values()}
    if len(currencies) > 1:
        raise RuleViolation(
            "estimate.mixed_currencies",
            f"the prices in force mix {sorted(currencies)}",
            {"currencies": sorted(currencies)},
        )
    rows = tuple(
        EstimateLine(
            line.item_code,
            prices[line.item_code].description,
            prices[line.item_code].unit,
            line.quantity,
            prices[line.item_code].unit_price,
            round(line.quantity * prices[line.item_code].unit_price, 2),
            lists[prices[line.item_code].price_list_id].code,
        )
        for line in lines
    )
    return CostEstimate(boq_code, on, region_code, currencies.pop() if currencies else "AZN", rows)
