"""The damage register: objects and bulk counts per settlement, and what the needs estimate counts from them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import ColumnElement, false, func, select
from sqlalchemy.orm import Session

from homecoming.damage import prices
from homecoming.damage.costs import CostTable, load_cost_table
from homecoming.damage.models import AssessmentMethod, DamageCount, DamagedObject, DamageLevel, ObjectKind
from homecoming.damage.needs import Basis, DamageQuantity, NeedsEstimate, estimate_needs
from homecoming.damage.rules import footprint_problem
from homecoming.damage.schemas import DamageCountCreate, DamagedObjectCreate
from homecoming.db.crud import add_unique, get_by_code
from homecoming.errors import RuleViolation
from homecoming.territory.models import District, Region, Settlement


def add_object(session: Session, data: DamagedObjectCreate) -> DamagedObject:
    problem = footprint_problem(data.footprint_geojson)
    if problem is not None:
        raise RuleViolation("damage.bad_footprint", f"{data.code}: {problem}", {"code": data.code})
    settlement = get_by_code(session, Settlement, data.settlement_code)
    fields = data.model_dump(exclude={"settlement_code"})
    return add_unique(session, DamagedObject(settlement_id=settlement.id, **fields))


def get_object(session: Session, code: str) -> DamagedObject:
    return get_by_code(session, DamagedObject, code)


def find_count(session: Session, data: DamageCountCreate) -> DamageCount | None:
    """The bulk count `data` would replace: same settlement, kind and level (None if there is none yet)."""
    settlement = get_by_code(session, Settlement, data.settlement_code)
    return session.scalars(
        select(DamageCount).where(
            DamageCount.settlement_id == settlement.id,
            DamageCount.kind == data.kind,
            DamageCount.level == data.level,
        )
    ).one_or_none()


def count_code(data: DamageCountCreate) -> str:
    """How the trail names a bulk count (it has no code of its own): settlement/kind/level."""
    return f"{data.settlement_code}/{data.kind}/{data.level}"


def set_count(session: Session, data: DamageCountCreate) -> DamageCount:
    """Record (or replace) the bulk count of one kind at one damage level in one settlement."""
    settlement = get_by_code(session, Settlement, data.settlement_code)
    fields = data.model_dump(exclude={"settlement_code"})
    count = find_count(session, data)
    if count is None:
        count = DamageCount(settlement_id=settlement.id, **fields)
        session.add(count)
    else:
        for name, value in fields.items():
            setattr(count, name, value)
    session.flush()
    return count


def damage_quantities(
    session: Session, *, district_code: str | None = None, settlement_code: str | None = None
) -> list[DamageQuantity]:
    """Damaged units per settlement, kind and level.

    Where a settlement has object-level records of a kind, they alone count for that kind, and its bulk counts
    of that kind (at every level) are left out: surveyed objects replace the first rough counts.
    """
    scope = _scope(session, district_code, settlement_code)
    objects = session.execute(
        select(
            Settlement.code,
            District.code,
            Region.code,
            DamagedObject.kind,
            DamagedObject.level,
            func.sum(DamagedObject.quantity),
        )
        .join(Settlement, DamagedObject.settlement_id == Settlement.id)
        .join(District, Settlement.district_id == District.id)
        .join(Region, District.region_id == Region.id)
        .where(*scope)
        .group_by(Settlement.code, District.code, Region.code, DamagedObject.kind, DamagedObject.level)
    ).all()
    counts = session.execute(
        select(Settlement.code, District.code, Region.code, DamageCount.kind, DamageCount.level, DamageCount.quantity)
        .join(Settlement, DamageCount.settlement_id == Settlement.id)
        .join(District, Settlement.district_id == District.id)
        .join(Region, District.region_id == Region.id)
        .where(*scope)
    ).all()
    surveyed = {(settlement, ObjectKind(kind)) for settlement, _, _, kind, _, _ in objects}
    quantities = [
        DamageQuantity(s, d, ObjectKind(k), DamageLevel(lv), float(q), Basis.OBJECTS, r)
        for s, d, r, k, lv, q in objects
    ]
    quantities += [
        DamageQuantity(s, d, ObjectKind(k), DamageLevel(lv), float(q), Basis.COUNTS, r)
        for s, d, r, k, lv, q in counts
        if (s, ObjectKind(k)) not in surveyed
    ]
    return quantities


ILLUSTRATIVE = "illustrative"  # the source a made-up count is shown with (homecoming.demo.illustrative)


def assessment_sources(session: Session) -> dict[tuple[str, ObjectKind], list[str]]:
    """Per district and kind, how the counted damage was assessed and where it was reported ("method: source"; the
    source is ILLUSTRATIVE for the demo's made-up counts, whatever their address).

    Bulk counts replaced by object records (same settlement and kind) are left out, as in the quantities.
    """
    rows: list[tuple[str, str, str, str, str | None, str]] = []
    for model, origin in ((DamagedObject, "objects"), (DamageCount, "counts")):
        made_up = DamageCount.illustrative if model is DamageCount else false()
        rows += [
            (settlement, district, kind, method, ILLUSTRATIVE if illustrative else source, origin)
            for settlement, district, kind, method, source, illustrative in session.execute(
                select(Settlement.code, District.code, model.kind, model.method, model.source_url, made_up)
                .join(Settlement, model.settlement_id == Settlement.id)
                .join(District, Settlement.district_id == District.id)
                .distinct()
            )
        ]
    surveyed = {(settlement, kind) for settlement, _, kind, _, _, origin in rows if origin == "objects"}
    found: dict[tuple[str, ObjectKind], set[str]] = {}
    for settlement, district, kind, method, source, origin in rows:
        if origin == "counts" and (settlement, kind) in surveyed:
            continue
        label = f"{AssessmentMethod(method)}: {source}" if source else f"{AssessmentMethod(method)}: no source"
        found.setdefault((district, ObjectKind(kind)), set()).add(label)
    return {key: sorted(labels) for key, labels in sorted(found.items())}


def needs_estimate(
    session: Session,
    *,
    uplift: float,
    cost_table: CostTable | None = None,
    cost_file: Path | None = None,
    district_code: str | None = None,
    settlement_code: str | None = None,
    on: dt.date | None = None,
    price_lists: bool = True,
) -> NeedsEstimate:
    """Priced on `on` (default today): the price lists in force that day first, the cost table for the rest.

    The same date gives the same estimate whatever lists are added later, since a list is never edited and a
    newer one takes effect only from its own date.
    """
    table = cost_table or load_cost_table(cost_file)
    quantities = damage_quantities(session, district_code=district_code, settlement_code=settlement_code)
    if not price_lists:
        return estimate_needs(quantities, table, uplift)
    on = on or dt.date.today()
    return estimate_needs(quantities, table, uplift, prices.listed_prices(session, quantities, on), on)


def _scope(session: Session, district_code: str | None, settlement_code: str | None) -> list[ColumnElement[bool]]:
    """Conditions on the district or settlement the caller asked about (both are joined in the queries)."""
    conditions: list[ColumnElement[bool]] = []
    if district_code is not None:
        conditions.append(District.id == get_by_code(session, District, district_code).id)
    if settlement_code is not None:
        conditions.append(Settlement.id == get_by_code(session, Settlement, settlement_code).id)
    return conditions
