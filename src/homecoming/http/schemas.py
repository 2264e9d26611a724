"""What the API returns and the pages show: records with their foreign keys as stable codes, and their version."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from homecoming.households.models import ConfirmationMethod, DocumentType, DuplicateStatus, Sex, SpecificNeed
from homecoming.mine_action.models import ContaminationType, HazardClassification, HazardStatus, LandUse
from homecoming.returns.models import DatePrecision
from homecoming.territory.models import SettlementKind
from homecoming.works.models import ProjectStatus, Sector

Out = TypeVar("Out", bound=BaseModel)


def build(schema: type[Out], record: Any, **codes: Any) -> Out:
    """`schema` from the record's attributes of the same names, with its foreign keys given as codes.

    A loaded ORM record's columns are read from its own dict, without going through the ORM's attribute
    descriptors one field at a time (a sixth of a budget-allocation page's CPU in its unit, profiled); an attribute
    not loaded there (expired, deferred, a property) is read the ordinary way."""
    loaded = getattr(record, "__dict__", None)
    if loaded is None or "_sa_instance_state" not in loaded:
        loaded = _NOTHING_LOADED
    values = {
        name: loaded[name] if name in loaded else getattr(record, name) for name in _fields(schema) if name not in codes
    }
    return schema(**values, **codes)


_NOTHING_LOADED: dict[str, Any] = {}


def _fields(schema: type[BaseModel]) -> tuple[str, ...]:
    fields = _FIELDS.get(schema)
    if fields is None:
        fields = _FIELDS[schema] = tuple(schema.model_fields)
    return fields


_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {}


class DistrictOut(BaseModel):
    code: str
    name: str
    alt_names: str | None
    region_code: str
    admin_centre: str | None
    centre_lat: float | None
    centre_lon: float | None
    area_km2: float | None
    source_url: str | None


class SettlementOut(BaseModel):
    code: str
    name: str
    alt_names: str | None
    district_code: str
    kind: SettlementKind
    lat: float | None
    lon: float | None
    households_before: int | None
    population_before: int | None
    source_url: str | None
    version: int


class ProjectOut(BaseModel):
    code: str
    name: str
    sector: Sector
    stage: int
    status: ProjectStatus
    progress_pct: float
    district_code: str | None
    settlement_code: str | None
    budget_amount: float | None
    budget_currency: str | None
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    source_url: str | None
    version: int


class HouseholdOut(BaseModel):
    code: str
    origin_settlement_code: str
    head_name: str
    size: int
    children: int
    elderly: int
    rooms_needed: int
    disability: bool
    single_parent: bool
    chronic_illness: bool
    consent_to_return: bool
    consent_date: dt.date | None
    phone: str | None
    current_address: str | None
    registered_on: dt.date
    returned_on: dt.date | None
    synthetic: bool
    version: int


class ReturnEventOut(BaseModel):
    code: str
    settlement_code: str
    event_date: dt.date
    date_precision: DatePrecision
    kind: str
    cumulative: bool
    families: int | None
    people: int | None
    note: str | None
    source_url: str | None


class HazardAreaOut(BaseModel):
    code: str
    classification: HazardClassification
    status: HazardStatus
    estimated_area_m2: float
    remaining_area_m2: float
    blocks_settlement_code: str | None
    district_code: str | None
    contamination_type: ContaminationType
    blocked_land_use: LandUse
    casualty_risk: bool
    source_url: str | None
    illustrative: bool = False  # made up by the demo to show the pages: say so wherever it is shown


class AuditOut(BaseModel):
    at: dt.datetime
    username: str
    action: str
    table_name: str
    record_code: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    comment: str | None


class MemberOut(BaseModel):
    """One person of a household (personal data: registrars only)."""

    number: int
    given_name: str
    family_name: str
    patronymic: str | None
    birth_date: dt.date
    sex: Sex
    document_type: DocumentType | None
    document_number: str | None
    specific_needs: list[SpecificNeed]
    version: int


class ReturnConfirmationOut(BaseModel):
    confirmed: bool
    confirmed_on: dt.date
    method: ConfirmationMethod
    taken_by: str


class DuplicatePersonOut(BaseModel):
    household_code: str
    member: MemberOut


class DuplicateCandidateOut(BaseModel):
    """A pair on the registrars' review list: both people, how likely one person, and why."""

    id: int
    match_probability: float
    agreements: dict[str, str]
    status: DuplicateStatus
    decided_by: str | None
    decided_at: dt.datetime | None
    found_at: dt.datetime
    version: int
    people: list[DuplicatePersonOut]


class HouseholdNoteOut(BaseModel):
    """A household the merges left for the registrar to settle by hand: `left_empty` (nobody counts in it any more)
    or `same_family` (people merged across it and `other_household`: perhaps one family registered twice)."""

    kind: Literal["left_empty", "same_family"]
    household: str
    other_household: str | None
    people: int
