"""What a caller sends to the procurement services."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, model_validator

from homecoming.db.types import AMOUNT, POSITIVE_AMOUNT, QUANTITY
from homecoming.input_rules import InputModel, within
from homecoming.procurement.models import ComplaintRemedy, ProcurementCategory

Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class BidderCreate(InputModel):
    code: Code
    name: str = Field(min_length=1, max_length=300)
    category: str | None = Field(default=None, max_length=64)
    tax_id: str | None = Field(default=None, max_length=64)


class TenderCreate(InputModel):
    """A draft tender. Deadlines are UTC; the preference margin, if any, is stated here for all to see."""

    code: Code
    title: str = Field(min_length=1, max_length=300)
    category: ProcurementCategory = ProcurementCategory.WORKS
    project_code: str | None = None
    district_code: str | None = None
    budget_allocation_code: str | None = None
    currency: Currency
    estimate_amount: float | None = within(POSITIVE_AMOUNT, None)
    estimate_boq_code: str | None = None  # or price a bill of quantities ...
    estimate_on: dt.date | None = None  # ... at the prices in force on this date
    estimate_region_code: str | None = None  # ... in this region (national prices otherwise)
    qualification_criteria: str = Field(min_length=1)
    min_bids: int = Field(default=1, ge=1)
    preference_category: str | None = Field(default=None, max_length=64)
    preference_margin_pct: float = Field(default=0.0, ge=0, le=100)
    abnormally_low_pct: float = Field(default=20.0, ge=0, le=100)
    enquiry_end: dt.datetime
    tender_end: dt.datetime

    @model_validator(mode="after")
    def _one_estimate(self) -> TenderCreate:
        if (self.estimate_amount is None) == (self.estimate_boq_code is None):
            raise ValueError("give either estimate_amount or estimate_boq_code (with estimate_on), not both")
        if self.estimate_boq_code is not None and self.estimate_on is None:
            raise ValueError("estimate_on: the date whose prices the bill of quantities is priced at")
        return self

    @model_validator(mode="after")
    def _margin_names_who_it_favours(self) -> TenderCreate:
        if self.preference_margin_pct > 0 and not self.preference_category:
            raise ValueError("a preference margin needs the bidder category it favours (preference_category)")
        return self


class CommitteeMemberCreate(InputModel):
    """A committee member: its name and the public key it made on its own machine (`homecoming committee keygen`)."""

    name: str = Field(min_length=1, max_length=200)
    public_key: str = Field(min_length=1, max_length=200, description="base64 of the member's X25519 public key")
    username: str | None = Field(default=None, max_length=64, description="the member's account, if it has one")


class Committee(InputModel):
    """Who opens the bids: any `threshold` of the `members` (names of registered committee members) together."""

    members: list[str] = Field(min_length=2)
    threshold: int = Field(ge=2)

    @model_validator(mode="after")
    def _threshold_fits(self) -> Committee:
        if self.threshold > len(self.members):
            raise ValueError(f"threshold {self.threshold} exceeds the {len(self.members)} committee members")
        if len(set(self.members)) != len(self.members):
            raise ValueError("committee members must be distinct")
        if len(self.members) > 255:
            raise ValueError("at most 255 committee members")
        return self


class MilestoneCreate(InputModel):
    title: str = Field(min_length=1, max_length=300)
    amount: float = within(POSITIVE_AMOUNT)
    due_date: dt.date | None = None


class ContractCreate(InputModel):
    code: Code
    rate_to_azn: float | None = Field(default=None, gt=0)  # required unless the tender is in AZN
    milestones: list[MilestoneCreate] = Field(min_length=1)


class InspectionCreate(InputModel):
    inspector: str = Field(min_length=1, max_length=200)
    inspected_on: dt.date
    passed: bool
    photos: list[str] = Field(default_factory=list)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    notes: str | None = None


class BudgetChangeCreate(InputModel):
    code: Code
    budget_allocation_code: str
    amount_azn: float = within(POSITIVE_AMOUNT)
    reason: str = Field(min_length=1)
    approved_by: str = Field(min_length=1, max_length=200)


class PriceItemCreate(InputModel):
    item_code: Code
    description: str = Field(min_length=1, max_length=300)
    unit: str = Field(min_length=1, max_length=32)
    unit_price: float = within(AMOUNT)


class PriceListCreate(InputModel):
    code: Code
    region_code: str | None = None
    effective_date: dt.date
    currency: Currency
    items: list[PriceItemCreate] = Field(min_length=1)
    source_url: str | None = None
    source_date: dt.date | None = None

    @model_validator(mode="after")
    def _items_once(self) -> PriceListCreate:
        codes = [i.item_code for i in self.items]
        if len(set(codes)) != len(codes):
            raise ValueError("each item_code appears once in a price list")
        return self


class BoqLineCreate(InputModel):
    item_code: Code
    quantity: float = within(QUANTITY)


class BillOfQuantitiesCreate(InputModel):
    code: Code
    title: str = Field(min_length=1, max_length=300)
    project_code: str | None = None
    lines: list[BoqLineCreate] = Field(min_length=1)


class ComplaintCreate(InputModel):
    """A bidder's complaint against an award: its grounds, in words (the company is the account's)."""

    grounds: str = Field(min_length=1, max_length=8000)


class ComplaintDecision(InputModel):
    """Upheld (with its remedy: evaluate the opened bids again, or cancel the tender) or rejected; always why."""

    upheld: bool
    remedy: ComplaintRemedy | None = None
    reason: str = Field(min_length=1, max_length=8000)


class AmendmentCreate(InputModel):
    """A variation order: any of a new contract value, scope or completion date, and why."""

    reason: str = Field(min_length=1, max_length=8000)
    new_value: float | None = within(POSITIVE_AMOUNT, None)
    scope: str | None = Field(default=None, min_length=1, max_length=8000)
    new_end_date: dt.date | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> AmendmentCreate:
        if self.new_value is None and self.scope is None and self.new_end_date is None:
            raise ValueError("an amendment changes the value, the scope or the completion date (give one)")
        return self


class AmendmentDecision(InputModel):
    approve: bool
