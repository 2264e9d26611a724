from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from homecoming.db.base import Base
from homecoming.db.types import HOUSEHOLD_MEMBERS, HOUSEHOLD_SIZE, ROOMS, str_enum


class Household(Base):
    """One displaced household. Records people, places and needs only; never ethnicity or politics."""

    __tablename__ = "households"
    __table_args__ = (
        CheckConstraint("size >= 1", name="size_positive"),
        CheckConstraint("children >= 0 AND elderly >= 0 AND children + elderly <= size", name="members_fit"),
        CheckConstraint("rooms_needed >= 1", name="rooms_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    origin_settlement_id: Mapped[int] = mapped_column(ForeignKey("settlements.id"), index=True)
    head_name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer, info=HOUSEHOLD_SIZE)
    children: Mapped[int] = mapped_column(Integer, default=0, info=HOUSEHOLD_MEMBERS)
    elderly: Mapped[int] = mapped_column(Integer, default=0, info=HOUSEHOLD_MEMBERS)
    rooms_needed: Mapped[int] = mapped_column(Integer, info=ROOMS)
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    single_parent: Mapped[bool] = mapped_column(Boolean, default=False)
    chronic_illness: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_to_return: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_date: Mapped[dt.date | None]
    phone: Mapped[str | None] = mapped_column(String(40))
    current_address: Mapped[str | None] = mapped_column(String(300))
    registered_on: Mapped[dt.date]
    returned_on: Mapped[dt.date | None]
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, server_default="1")  # optimistic concurrency (API updates)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


class DocumentType(enum.StrEnum):
    NATIONAL_ID = "national_id"
    PASSPORT = "passport"
    BIRTH_CERTIFICATE = "birth_certificate"
    IDP_CARD = "idp_card"  # the displaced person's card


class SpecificNeed(enum.StrEnum):
    """The fixed list of specific needs a registrar may record for a person (UNHCR's specific-needs categories,
    trimmed to those a return plan acts on); they raise the household's allocation priority (households.rules)."""

    DISABILITY = "disability"
    CHRONIC_ILLNESS = "chronic_illness"
    SERIOUS_MEDICAL_CONDITION = "serious_medical_condition"
    OLDER_PERSON_ALONE = "older_person_alone"
    SINGLE_PARENT = "single_parent"
    PREGNANT = "pregnant"
    UNACCOMPANIED_CHILD = "unaccompanied_child"
    SEPARATED_CHILD = "separated_child"


class ConfirmationMethod(enum.StrEnum):
    IN_PERSON = "in_person"
    PHONE = "phone"
    FIELD_VISIT = "field_visit"  # an enumerator's visit (the ODK form)
    WRITTEN = "written"


class DuplicateStatus(enum.StrEnum):
    OPEN = "open"
    SAME_PERSON = "same_person"
    DIFFERENT = "different"


class HouseholdMember(Base):
    """One person of a household. Personal data: read and written through households.actions only."""

    __tablename__ = "household_members"
    __table_args__ = (
        UniqueConstraint("household_id", "number"),
        CheckConstraint("(document_type IS NULL) = (document_number IS NULL)", name="document_whole"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the household; the API's member id
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[dt.date]
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, "member_sex"))
    document_type: Mapped[DocumentType | None] = mapped_column(str_enum(DocumentType, "member_document_type"))
    document_number: Mapped[str | None] = mapped_column(String(40), index=True)
    specific_needs: Mapped[list[str]] = mapped_column(JSON, default=list)  # SpecificNeed values, sorted
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    household: Mapped[Household] = relationship(lazy="joined", innerjoin=True)

    @property
    def code(self) -> str:
        """Its name in the audit trail and in messages: the household's code and its number there."""
        return f"{self.household.code}/{self.number}"


class ReturnConfirmation(Base):
    """A household saying again (or no longer) that it wants to go home: when, how, and who took it down. The
    household's consent_to_return is the latest answer; these rows are its history."""

    __tablename__ = "return_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    confirmed: Mapped[bool] = mapped_column(Boolean)  # False: the household withdrew
    confirmed_on: Mapped[dt.date]
    method: Mapped[ConfirmationMethod] = mapped_column(str_enum(ConfirmationMethod, "confirmation_method"))
    taken_by: Mapped[str] = mapped_column(String(64))  # who took it down (an account, or the enumerator's name)


class DuplicateCandidate(Base):
    """Two registry members the duplicate search thinks may be one person, for a registrar to decide."""

    __tablename__ = "duplicate_candidates"
    __table_args__ = (UniqueConstraint("member_id", "other_member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("household_members.id", ondelete="CASCADE"), index=True)
    other_member_id: Mapped[int] = mapped_column(ForeignKey("household_members.id", ondelete="CASCADE"), index=True)
    match_probability: Mapped[float] = mapped_column(Float)
    agreements: Mapped[dict[str, str]] = mapped_column(JSON)  # comparison -> the level it reached (why it is here)
    found_at: Mapped[dt.datetime]
    status: Mapped[DuplicateStatus] = mapped_column(str_enum(DuplicateStatus, "duplicate_status"), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    member: Mapped[HouseholdMember] = relationship(foreign_keys=[member_id], lazy="joined", innerjoin=True)
    other_member: Mapped[HouseholdMember] = relationship(foreign_keys=[other_member_id], lazy="joined", innerjoin=True)

    @property
    def code(self) -> str:
        return f"DUP-{self.id}"


class MemberMerge(Base):
    """A person a registrar decided is another member registered twice: the row of the merged member stays (never
    deleted: the trail and its household's history keep it), merged into the member kept. A merged member no longer
    counts anywhere (its household's size and needs, the allocation's priority, the duplicate search):
    households.members.active_members is the one filter."""

    __tablename__ = "member_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    merged_member_id: Mapped[int] = mapped_column(ForeignKey("household_members.id", ondelete="CASCADE"), unique=True)
    kept_member_id: Mapped[int] = mapped_column(ForeignKey("household_members.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("duplicate_candidates.id", ondelete="SET NULL"))
    merged_by: Mapped[str] = mapped_column(String(64))
    merged_at: Mapped[dt.datetime]
    forced: Mapped[bool] = mapped_column(Boolean, default=False)  # past a refusal (sex, birth years), with a comment
    merged_member: Mapped[HouseholdMember] = relationship(foreign_keys=[merged_member_id], lazy="joined",
                                                          innerjoin=True)  # fmt: skip
    kept_member: Mapped[HouseholdMember] = relationship(foreign_keys=[kept_member_id], lazy="joined", innerjoin=True)

    @property
    def code(self) -> str:
        return self.merged_member.code
