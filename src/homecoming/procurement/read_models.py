"""What the procurement pages read beyond the one visibility policy (`actions.visible_*`): the tender list as a
viewer may see it, a tender's contract, a contract's tender. Stored records; the pages only render them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.db.crud import get_by_code
from homecoming.procurement import actions
from homecoming.procurement.models import (
    Bidder,
    BillOfQuantities,
    Contract,
    ContractStatus,
    PriceList,
    Tender,
    TenderStatus,
)


def tenders_listed(actor: User | None, district_id: int | None, status: TenderStatus | None) -> Select[Tender]:
    """The tenders this viewer may see (`actions.visible_tenders`), in a district and a status when given: a filter
    narrows what the viewer may see, never widens it (a draft stays hidden from outsiders). The door pages it."""
    query = actions.visible_tenders(actor)
    if district_id is not None:
        query = query.where(Tender.district_id == district_id)
    if status is not None:
        query = query.where(Tender.status == status)
    return query


def contract_of(session: Session, tender: Tender) -> Contract | None:
    return session.scalars(select(Contract).where(Contract.tender_id == tender.id)).one_or_none()


def tender_of(session: Session, contract: Contract) -> Tender:
    return session.get_one(Tender, contract.tender_id)


def contracts_listed(status: ContractStatus | None, bidder_id: int | None) -> Select[Contract]:
    """The contracts a list pages through, in a status and with a bidder when given (what each viewer sees of one
    is `actions`' rule)."""
    query = select(Contract)
    if status is not None:
        query = query.where(Contract.status == status)
    if bidder_id is not None:
        query = query.where(Contract.bidder_id == bidder_id)
    return query


def price_lists_listed(region_id: int | None, on: dt.date | None) -> Select[PriceList]:
    """Every price list ever made, of a region and in force by a date when given."""
    query = select(PriceList)
    if region_id is not None:
        query = query.where(PriceList.region_id == region_id)
    if on is not None:
        query = query.where(PriceList.effective_date <= on)
    return query


def bills_listed() -> Select[BillOfQuantities]:
    return select(BillOfQuantities)


def price_list_of_code(session: Session, code: str) -> PriceList:
    return get_by_code(session, PriceList, code)


def bidder_of_code(session: Session, code: str) -> Bidder:
    return get_by_code(session, Bidder, code)


def bidder(session: Session, bidder_id: int) -> Bidder:
    return session.get_one(Bidder, bidder_id)


def tender(session: Session, tender_id: int) -> Tender:
    return session.get_one(Tender, tender_id)
