"""Unit costs of the needs estimate from the procurement price lists, by item code.

The mapping from a kind of damaged object and its damage level to a price-list item (docs/damage.md):

    destroyed -> replace.<kind>            e.g. replace.house, replace.road_segment
    severe    -> repair.<kind>.severe      e.g. repair.school.severe
    partial   -> repair.<kind>.partial     e.g. repair.house.partial
    none      -> nothing to pay

`<kind>` is the damage register's kind as written (house, apartment_building, school, ...). The price is the one
in force on the estimate's date (the latest list effective by then) in the settlement's region, else the
national one; an item no list prices by then falls back to the cost table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.damage.models import DamageLevel, ObjectKind
from homecoming.damage.needs import DamageQuantity, ListedPrice
from homecoming.procurement import pricing
from homecoming.procurement.models import PriceList


def item_code(kind: ObjectKind, level: DamageLevel) -> str | None:
    """The price-list item that prices one unit of `kind` at `level` (None: undamaged, nothing to price)."""
    if level == DamageLevel.DESTROYED:
        return f"replace.{kind}"
    if level in (DamageLevel.SEVERE, DamageLevel.PARTIAL):
        return f"repair.{kind}.{level}"
    return None


def listed_prices(
    session: Session, quantities: Iterable[DamageQuantity], on: dt.date
) -> dict[tuple[str | None, ObjectKind, DamageLevel], ListedPrice]:
    """The price in force on `on` for every region, kind and level the quantities need."""
    needed: dict[str | None, dict[str, tuple[ObjectKind, DamageLevel]]] = {}
    for item in quantities:
        code = item_code(item.kind, item.level)
        if code is not None:
            needed.setdefault(item.region_code, {})[code] = (item.kind, item.level)
    found: dict[tuple[str | None, ObjectKind, DamageLevel], ListedPrice] = {}
    lists: dict[int, PriceList] = {}
    for region_code, items in needed.items():
        prices = pricing.price_at(session, sorted(items), on, region_code)
        missing = {p.price_list_id for p in prices.values()} - lists.keys()
        if missing:
            lists |= {pl.id: pl for pl in session.scalars(select(PriceList).where(PriceList.id.in_(missing)))}
        for code, price in prices.items():
            price_list = lists[price.price_list_id]
            kind, level = items[code]
            found[(region_code, kind, level)] = ListedPrice(
                code, price.unit, float(price.unit_price), price_list.currency, price_list.code,
                price_list.effective_date,
            )  # fmt: skip
    return found
