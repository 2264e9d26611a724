"""What a registry office sends to the household services. Personal data: people, places and needs only."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from homecoming.db.types import HOUSEHOLD_MEMBERS, HOUSEHOLD_SIZE, ROOMS
from homecoming.households.models import ConfirmationMethod, DocumentType, DuplicateStatus, Sex, SpecificNeed
from homecoming.input_rules import InputModel, within
from homecoming.versions import Versioned


class HouseholdCreate(InputModel):
    code: str = Field(min_length=1, max_length=32)
    origin_settlement_code: str
    head_name: str = Field(min_length=1, max_length=200)
    size: int = within(HOUSEHOLD_SIZE)
    children: int = within(HOUSEHOLD_MEMBERS, 0)
    elderly: int = within(HOUSEHOLD_MEMBERS, 0)
    rooms_needed: int = within(ROOMS)
    disability: bool = False
    single_parent: bool = False
    chronic_illness: bool = False
    consent_to_return: bool = False
    consent_date: dt.date | None = None
    phone: str | None = Field(default=None, max_length=40)
    current_address: str | None = Field(default=None, max_length=300)
    registered_on: dt.date

    @model_validator(mode="after")
    def _members_fit(self) -> HouseholdCreate:
        if self.children + self.elderly > self.size:
            raise ValueError(f"{self.children} children and {self.elderly} elderly do not fit in {self.size} people")
        if self.consent_to_return and self.consent_date is None:
            raise ValueError("consent_to_return needs the consent_date")
        return self


class ReturnedOn(Versioned):
    """A household is home: the day, with the version of the record read and why (kept in the audit trail)."""

    on: dt.date


class MemberCreate(InputModel):
    """One person of a household, as a registrar enters them. Personal data."""

    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    patronymic: str | None = Field(default=None, max_length=100)
    birth_date: dt.date
    sex: Sex
    document_type: DocumentType | None = None
    document_number: str | None = Field(default=None, min_length=1, max_length=40)
    specific_needs: list[SpecificNeed] = Field(default_factory=list, max_length=len(SpecificNeed))

    @model_validator(mode="after")
    def _document_whole(self) -> MemberCreate:
        if (self.document_type is None) != (self.document_number is None):
            raise ValueError("give both document_type and document_number, or neither")
        return self


class MemberChange(MemberCreate, Versioned):
    """A member's corrected record, with the version read."""


class ReturnConfirmationIn(Versioned):
    """A household says again (confirmed) or no longer (withdrawn) that it wants to go home: when and how; the
    version is the household's."""

    confirmed: bool = True
    on: dt.date
    method: ConfirmationMethod


class DuplicateDecision(Versioned):
    """A registrar's decision on a duplicate candidate. `force`: merge the same person although the two records
    disagree on sex or birth year (households.rules.merge_refusal); a comment saying why is then required."""

    status: Literal[DuplicateStatus.SAME_PERSON, DuplicateStatus.DIFFERENT]
    force: bool = False


class DuplicateSearch(InputModel):
    """A duplicate search to queue: the seed of the random sample that estimates the model (same seed, same pairs)."""

    seed: int = Field(default=0, ge=0, le=2**31 - 1)
