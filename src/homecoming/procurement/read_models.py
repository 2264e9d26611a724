"""What the procurement pages read beyond the one visibility policy (`actions.visible_*`): the tender list as a
viewer may see it, a tender's contract, a contract's tender. Stored records; the pages only render them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.procurement import actions
from homecoming.procurement.models import Contract, Tender

TENDERS_LISTED = 500


def listed_tenders(session: Session, actor: User | None, limit: int = TENDERS_LISTED) -> list[Tender]:
    """The tenders this viewer may see (`actions.visible_tenders`), the latest deadline first."""
    query = actions.visible_tenders(actor).order_by(Tender.tender_end.desc(), Tender.code)
    return list(session.scalars(query.limit(limit)))


def contract_of(session: Session, tender: Tender) -> Contract | None:
    return session.scalars(select(Contract).where(Contract.tender_id == tender.id)).one_or_none()


def tender_of(session: Session, contract: Contract) -> Tender:
    return session.get_one(Tender, contract.tender_id)
