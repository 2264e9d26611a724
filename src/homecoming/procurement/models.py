"""Tenders with sealed bids, their evaluation and award, contracts paid on inspected milestones, price lists.

Times are naive UTC `datetime`s taken from the server's clock (never the client's); amounts are in the
tender's currency. A bid's price is only in its sealed envelope until the opening writes `opened_price`.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from homecoming.db.base import Base, IllustrativeMixin, SourcedMixin
from homecoming.db.types import AMOUNT, LATITUDE, LONGITUDE, POSITIVE_AMOUNT, QUANTITY, str_enum

MONEY = Numeric(18, 2, asdecimal=False)


class TenderStatus(enum.StrEnum):
    DRAFT = "draft"
    ENQUIRIES = "enquiries"
    TENDERING = "tendering"
    OPENING = "opening"
    EVALUATION = "evaluation"
    AWARDED = "awarded"
    CONTRACT_SIGNED = "contract_signed"
    COMPLETE = "complete"
    CANCELLED = "cancelled"
    UNSUCCESSFUL = "unsuccessful"


class ProcurementCategory(enum.StrEnum):
    """OCDS mainProcurementCategory."""

    GOODS = "goods"
    WORKS = "works"
    SERVICES = "services"


class BidStatus(enum.StrEnum):
    SEALED = "sealed"
    OPENED = "opened"
    DISQUALIFIED = "disqualified"


class ContractStatus(enum.StrEnum):
    ACTIVE = "active"
    COMPLETE = "complete"


class ComplaintStatus(enum.StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    REJECTED = "rejected"


class ComplaintRemedy(enum.StrEnum):
    """What an upheld complaint does to the tender: its bids evaluated again, or the tender cancelled."""

    RE_EVALUATE = "re_evaluate"
    CANCEL = "cancel"


class AmendmentStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"


class Bidder(IllustrativeMixin, Base):
    """A company that bids; `category` is what a tender's preference margin may favour (e.g. `local`)."""

    __tablename__ = "bidders"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(64))
    tax_id: Mapped[str | None] = mapped_column(String(64))


class Tender(IllustrativeMixin, Base):
    __tablename__ = "tenders"
    __table_args__ = (
        CheckConstraint("min_bids >= 1", name="min_bids_positive"),
        CheckConstraint("preference_margin_pct BETWEEN 0 AND 100", name="margin_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    category: Mapped[ProcurementCategory] = mapped_column(str_enum(ProcurementCategory, "procurement_category"))
    status: Mapped[TenderStatus] = mapped_column(str_enum(TenderStatus, "tender_status"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    budget_allocation_id: Mapped[int | None] = mapped_column(ForeignKey("budget_allocations.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    estimate_amount: Mapped[float] = mapped_column(MONEY, info=AMOUNT)
    # where the estimate came from, when it was priced from a bill of quantities (house rule 6)
    estimate_boq_id: Mapped[int | None] = mapped_column(ForeignKey("bills_of_quantities.id"), index=True)
    estimate_on: Mapped[dt.date | None]
    estimate_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    qualification_criteria: Mapped[str] = mapped_column(Text)
    min_bids: Mapped[int] = mapped_column(Integer, default=1)
    preference_category: Mapped[str | None] = mapped_column(String(64))
    preference_margin_pct: Mapped[float] = mapped_column(Float, default=0.0)
    abnormally_low_pct: Mapped[float] = mapped_column(Float, default=20.0)
    enquiry_end: Mapped[dt.datetime] = mapped_column(DateTime)
    tender_end: Mapped[dt.datetime] = mapped_column(DateTime)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    opened_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    awarded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    close_reason: Mapped[str | None] = mapped_column(Text)
    # Sealing: the public key bids are encrypted to. Its private key exists nowhere: only as the committee's
    # shares, each sealed to its member's own key (CommitteeSeat); any `opening_threshold` of them open the bids.
    opening_threshold: Mapped[int | None] = mapped_column(Integer)
    public_key: Mapped[bytes | None] = mapped_column(LargeBinary(64))
    evaluation_report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    winning_bidder_id: Mapped[int | None] = mapped_column(ForeignKey("bidders.id"), index=True)
    award_amount: Mapped[float | None] = mapped_column(MONEY)
    # set at the award: until then bidders may complain and the contract cannot be signed (None: awarded before
    # standstills existed, or not awarded)
    standstill_ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # optimistic concurrency (API transitions)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CommitteeMember(Base):
    """A person who may sit on opening committees. Only the public key of the pair the member made on its own
    machine is kept; `user_id` ties the member to an account that may then give its share itself."""

    __tablename__ = "committee_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)


class CommitteeSeat(Base):
    """A member's seat on one tender's committee: its share sealed to the member's key, and a commitment to it.

    `share_given` holds a share a member gave after the deadline until the k-th arrives (at most k-1 are ever
    stored: the k-th opens the bids at once and every given share is then wiped)."""

    __tablename__ = "committee_seats"
    __table_args__ = (
        UniqueConstraint("tender_id", "share_index", name="uq_committee_seats_index"),
        UniqueConstraint("tender_id", "member_id", name="uq_committee_seats_member"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("committee_members.id"), index=True)
    share_index: Mapped[int] = mapped_column(Integer)
    sealed_share: Mapped[bytes] = mapped_column(LargeBinary(128))
    share_sha256: Mapped[str] = mapped_column(String(64))
    share_given: Mapped[bytes | None] = mapped_column(LargeBinary(32))
    given_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Bid(Base):
    __tablename__ = "bids"
    __table_args__ = (UniqueConstraint("tender_id", "bidder_id", name="uq_bids_tender_bidder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("bidders.id"), index=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    receipt: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[BidStatus] = mapped_column(str_enum(BidStatus, "bid_status"))
    opened_price: Mapped[float | None] = mapped_column(MONEY)
    disqualification_reason: Mapped[str | None] = mapped_column(Text)


class BudgetChange(Base):
    """An approved increase of what may be committed against a budget allocation."""

    __tablename__ = "budget_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    budget_allocation_id: Mapped[int] = mapped_column(ForeignKey("budget_allocations.id"), index=True)
    amount_azn: Mapped[float] = mapped_column(MONEY, info=POSITIVE_AMOUNT)
    reason: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Contract(IllustrativeMixin, Base):
    __tablename__ = "contracts"
    __table_args__ = (CheckConstraint("value > 0", name="value_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), unique=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("bidders.id"), index=True)
    budget_allocation_id: Mapped[int | None] = mapped_column(ForeignKey("budget_allocations.id"), index=True)
    value: Mapped[float] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    rate_to_azn: Mapped[float] = mapped_column(Float, default=1.0)
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[ContractStatus] = mapped_column(str_enum(ContractStatus, "contract_status"))


class TenderComplaint(Base):
    """A bidder's complaint against an award, filed within the standstill; open, it blocks the signing."""

    __tablename__ = "tender_complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # `<tender>-C<n>`
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id", ondelete="CASCADE"), index=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("bidders.id"), index=True)
    filed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    grounds: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[ComplaintStatus] = mapped_column(str_enum(ComplaintStatus, "complaint_status"), index=True)
    remedy: Mapped[ComplaintRemedy | None] = mapped_column(str_enum(ComplaintRemedy, "complaint_remedy"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ContractAmendment(Base):
    """A variation order: a new price, scope or completion date, requested by one account, approved by another."""

    __tablename__ = "contract_amendments"
    __table_args__ = (
        UniqueConstraint("contract_id", "number", name="uq_contract_amendments_contract_number"),
        CheckConstraint("new_value > 0", name="new_value_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[AmendmentStatus] = mapped_column(str_enum(AmendmentStatus, "amendment_status"))
    reason: Mapped[str] = mapped_column(Text)
    scope: Mapped[str | None] = mapped_column(Text)  # the changed scope, in words
    old_value: Mapped[float] = mapped_column(MONEY)
    new_value: Mapped[float] = mapped_column(MONEY)
    old_end_date: Mapped[dt.date | None]
    new_end_date: Mapped[dt.date | None]
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Milestone(Base):
    __tablename__ = "milestones"
    __table_args__ = (
        UniqueConstraint("contract_id", "number", name="uq_milestones_contract_number"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    amount: Mapped[float] = mapped_column(MONEY)
    due_date: Mapped[dt.date | None]


class Inspection(Base):
    """A site inspection of one milestone; a payment needs a passed one approved by someone else."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"), index=True)
    inspector: Mapped[str] = mapped_column(String(200))
    inspected_on: Mapped[dt.date]
    passed: Mapped[bool] = mapped_column(Boolean)
    photos: Mapped[list[str]] = mapped_column(JSON)
    lat: Mapped[float | None] = mapped_column(Float, info=LATITUDE)
    lon: Mapped[float | None] = mapped_column(Float, info=LONGITUDE)
    notes: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Payment(Base):
    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), index=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    amount: Mapped[float] = mapped_column(MONEY)
    paid_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PriceList(SourcedMixin, Base):
    """Unit prices in force from `effective_date` in a region (no region: national). Never edited once made."""

    __tablename__ = "price_lists"
    __table_args__ = (UniqueConstraint("region_id", "effective_date", name="uq_price_lists_region_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    effective_date: Mapped[dt.date]
    currency: Mapped[str] = mapped_column(String(3))


class PriceItem(Base):
    __tablename__ = "price_items"
    __table_args__ = (
        UniqueConstraint("price_list_id", "item_code", name="uq_price_items_list_item"),
        CheckConstraint("unit_price >= 0", name="unit_price_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    price_list_id: Mapped[int] = mapped_column(ForeignKey("price_lists.id", ondelete="CASCADE"), index=True)
    item_code: Mapped[str] = mapped_column(String(64), index=True)
    description: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(32))
    unit_price: Mapped[float] = mapped_column(MONEY, info=AMOUNT)


class BillOfQuantities(Base):
    __tablename__ = "bills_of_quantities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))


class BoqLine(Base):
    __tablename__ = "boq_lines"
    __table_args__ = (
        UniqueConstraint("boq_id", "item_code", name="uq_boq_lines_boq_item"),
        CheckConstraint("quantity >= 0", name="quantity_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    boq_id: Mapped[int] = mapped_column(ForeignKey("bills_of_quantities.id", ondelete="CASCADE"), index=True)
    item_code: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[float] = mapped_column(Float, info=QUANTITY)
