"""The data-entry forms, one per API write: the same schema, the same roles, and the same use-case to save (so role,
district, version and audit rules are the domain's, not a copy of them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.finance import actions as finance_actions
from homecoming.finance.models import BudgetFigureKind, FundingSource
from homecoming.finance.schemas import BudgetAllocationCreate
from homecoming.households import actions as households
from homecoming.households.schemas import HouseholdCreate, ReturnedOn
from homecoming.mine_action import actions as mine_actions
from homecoming.mine_action import service as mine_service
from homecoming.mine_action.models import ActivityKind, ActivityStatus, ContaminationType, HazardClassification, LandUse
from homecoming.mine_action.schemas import ActivityCreate, HazardAreaCreate
from homecoming.phrases import N_
from homecoming.returns import actions as returns
from homecoming.returns.models import DatePrecision
from homecoming.returns.schemas import ReturnEventCreate
from homecoming.territory import actions as territory_actions
from homecoming.territory import scope
from homecoming.territory import service as territory_service
from homecoming.territory.models import SettlementKind
from homecoming.territory.schemas import SettlementChange, SettlementCreate
from homecoming.web.formkit import Input, enum_choices
from homecoming.works import actions as works_actions
from homecoming.works import service as works_service
from homecoming.works.models import ProjectStatus, Sector
from homecoming.works.schemas import ProgressChange, ProjectChange, ProjectCreate

# (session, user, code of the record in the path or None, validated schema, comment) -> code of the saved record
Save = Callable[[Session, User, str | None, Any, str | None], str]
# (session, user, code) -> the record to change as its door shows it, or the record itself (its columns are shown)
Current = Callable[[Session, User, str], Any]

WORKS_EDITORS = works_actions.EDITORS  # the use-cases' own role lists (the API's routes name the same ones)
SETTLEMENT_EDITORS = territory_actions.EDITORS
MINE_ACTION = mine_actions.OFFICERS
RETURN_RECORDERS = returns.RECORDERS
REGISTRARS = households.REGISTRARS


@dataclass(frozen=True)
class FormSpec:
    path: str  # under /forms/; "{code}" is the record being changed
    title: str
    roles: tuple[Role, ...]
    schema: type[BaseModel]
    inputs: tuple[Input, ...]
    save: Save
    current: Current | None = None  # an edit: the record as the API shows it, with its version
    place_of: Callable[[Session, str], scope.Place] | None = None  # checked on opening the form, as on saving
    defaults: dict[str, Any] = field(default_factory=dict)
    intro: str | None = None

    @property
    def is_edit(self) -> bool:
        return self.current is not None

    def url(self, code: str | None = None) -> str:
        return "/forms/" + (self.path.replace("{code}", code) if code else self.path)

    def allows(self, role: Role) -> bool:
        return role == Role.ADMIN or role in self.roles


def settlement_choices(session: Session, user: User) -> list[tuple[str, str]]:
    """Settlements to pick from: only those the account may record things in."""
    return _named(territory_actions.writable_settlements(session, user))


def district_choices(session: Session, user: User) -> list[tuple[str, str]]:
    return _named(territory_actions.writable_districts(session, user))


def _named(places: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each place by its name; by its name and code only where two places share the name."""
    shared = {name for name, n in Counter(name for _code, name in places).items() if n > 1}
    return [(code, f"{name} ({code})" if name in shared else name) for code, name in places]


def operator_choices(session: Session, _user: User) -> list[tuple[str, str]]:
    """The mine-action operators, by name (who did a survey or a clearance)."""
    return [(o.code, o.name) for o in mine_service.operators(session)]


def _text(name: str, label: str, required: bool = False, hint: str | None = None) -> Input:
    return Input(name, label, "text", required, hint=hint)


def _number(name: str, label: str, step: str = "any", required: bool = False) -> Input:
    return Input(name, label, "number", required, step=step)


CODE = _text("code", N_("Code"), True, N_("lower-case letters, digits and dashes; unique"))
SOURCE = Input("source_url", N_("Source address (URL)"), "url")
PROJECT_EDIT = (
    _text("name", N_("Name"), True),
    _number("stage", N_("Stage (1-4)"), "1", True),
    Input("status", N_("Status"), "select", True, enum_choices(ProjectStatus)),
    _number("budget_amount", N_("Budget amount")),
    _text("budget_currency", N_("Budget currency"), hint=N_("three capital letters, e.g. AZN")),
    Input("planned_start", N_("Planned start"), "date"),
    Input("planned_end", N_("Planned end"), "date"),
    SOURCE,
)
SETTLEMENT_FACTS = (
    _number("lat", N_("Latitude")),
    _number("lon", N_("Longitude")),
    _number("households_before", N_("Households before displacement"), "1"),
    _number("population_before", N_("Population before displacement"), "1"),
)


FORMS: dict[str, FormSpec] = {
    spec.path: spec
    for spec in (
        FormSpec(
            "projects/new",
            N_("New works project"),
            WORKS_EDITORS,
            ProjectCreate,
            (
                CODE,
                _text("name", N_("Name"), True),
                Input("sector", N_("Sector"), "select", True, enum_choices(Sector)),
                _number("stage", N_("Stage (1-4)"), "1", True),
                Input("settlement_code", N_("Settlement"), "select", choices=settlement_choices),
                Input("district_code", N_("District (if no single settlement)"), "select", choices=district_choices),
                *PROJECT_EDIT[2:],
            ),
            lambda s, u, _c, data, why: works_actions.create_project(s, u, data, comment=why).code,
            defaults={"stage": "1", "status": "planned", "budget_currency": "AZN"},
        ),
        FormSpec(
            "projects/{code}/edit",
            N_("Correct a works project"),
            WORKS_EDITORS,
            ProjectChange,
            PROJECT_EDIT,
            lambda s, u, code, data, why: (
                works_actions.update_project(s, u, str(code), data, version=data.version, comment=why).code
            ),
            current=lambda s, _u, code: works_service.get_project(s, code),
            place_of=works_actions.place_of,
        ),
        FormSpec(
            "projects/{code}/progress",
            N_("Report progress on a works project"),
            WORKS_EDITORS,
            ProgressChange,
            (
                _number("progress_pct", N_("Progress (%%)"), required=True),
                Input("on", N_("Date of the report"), "date", True),
            ),
            lambda s, u, code, data, why: (
                works_actions.report_progress(s, u, str(code), data, version=data.version, comment=why).code
            ),
            current=lambda s, _u, code: works_service.get_project(s, code),
            place_of=works_actions.place_of,
            intro=N_("Progress only goes forward; 100%% completes the project."),
        ),
        FormSpec(
            "settlements/new",
            N_("New settlement"),
            SETTLEMENT_EDITORS,
            SettlementCreate,
            (
                CODE,
                _text("name", N_("Name"), True),
                Input("district_code", N_("District"), "select", True, district_choices),
                Input("kind", N_("Kind"), "select", True, enum_choices(SettlementKind)),
                *SETTLEMENT_FACTS,
                SOURCE,
            ),
            lambda s, u, _c, data, why: territory_actions.create_settlement(s, u, data, comment=why).code,
        ),
        FormSpec(
            "settlements/{code}/edit",
            N_("Correct the facts of a settlement"),
            SETTLEMENT_EDITORS,
            SettlementChange,
            (_text("name", N_("Name"), True), *SETTLEMENT_FACTS),
            lambda s, u, code, data, why: (
                territory_actions.update_settlement(s, u, str(code), data, version=data.version, comment=why).code
            ),
            current=lambda s, _u, code: territory_service.get_settlement(s, code),
            place_of=territory_actions.place_of,
        ),
        FormSpec(
            "hazard-areas/new",
            N_("New hazard area (survey)"),
            MINE_ACTION,
            HazardAreaCreate,
            (
                CODE,
                Input("classification", N_("Classification"), "select", True, enum_choices(HazardClassification)),
                _number("estimated_area_m2", N_("Estimated area (m²)")),
                Input("contamination_type", N_("Contamination"), "select", True, enum_choices(ContaminationType)),
                Input("blocked_land_use", N_("Land use it blocks"), "select", True, enum_choices(LandUse)),
                Input("casualty_risk", N_("Recent casualties (first priority)"), "checkbox"),
                Input("blocks_settlement_code", N_("Settlement it blocks"), "select", choices=settlement_choices),
                Input("district_code", N_("District"), "select", choices=district_choices),
                SOURCE,
            ),
            lambda s, u, _c, data, why: mine_actions.create_hazard_area(s, u, data, comment=why).code,
            defaults={"contamination_type": "unknown", "blocked_land_use": "housing"},
        ),
        FormSpec(
            "hazard-areas/{code}/release",
            N_("Record land release on a hazard area"),
            MINE_ACTION,
            ActivityCreate,
            (
                CODE,
                Input("kind", N_("Activity"), "select", True, enum_choices(ActivityKind)),
                Input("status", N_("Status"), "select", True, enum_choices(ActivityStatus)),
                Input("start_date", N_("Start date"), "date"),
                Input("end_date", N_("End date"), "date"),
                _number("cancelled_m2", N_("Cancelled by non-technical survey (m²)")),
                _number("reduced_m2", N_("Reduced by technical survey (m²)")),
                _number("cleared_m2", N_("Cleared (m²)")),
                _number("items_found", N_("Items found"), "1"),
                _number("items_destroyed", N_("Items destroyed"), "1"),
                Input("operator_code", N_("Operator"), "select", choices=operator_choices),
                _text("team", N_("Team")),
            ),
            lambda s, u, code, data, why: mine_actions.record_release(s, u, str(code), data, comment=why).code,
            defaults={"status": "completed"},
        ),
        FormSpec(
            "return-events/new",
            N_("Returns recorded in a settlement"),
            RETURN_RECORDERS,
            ReturnEventCreate,
            (
                CODE,
                Input("settlement_code", N_("Settlement"), "select", True, settlement_choices),
                Input("event_date", N_("Date"), "date", True),
                Input("date_precision", N_("Date precision"), "select", True, enum_choices(DatePrecision)),
                _text("kind", N_("Kind (convoy, individual, ...)"), True),
                _number("families", N_("Families"), "1"),
                _number("people", N_("People"), "1"),
                Input("cumulative", N_("The figures are a running total"), "checkbox"),
                SOURCE,
            ),
            lambda s, u, _c, data, why: returns.record_event(s, u, data, comment=why).code,
            defaults={"date_precision": "day", "kind": "convoy"},
        ),
        FormSpec(
            "budget-allocations/new",
            N_("New budget line"),
            finance_actions.RECORDERS,
            BudgetAllocationCreate,
            (
                CODE,
                _number("year", N_("Year"), "1", True),
                Input("source_kind", N_("Source of the money"), "select", True, enum_choices(FundingSource)),
                Input("figure_kind", N_("Kind of figure"), "select", True, enum_choices(BudgetFigureKind)),
                _number("amount", N_("Amount"), required=True),
                _text("currency", N_("Currency"), True, N_("three capital letters, e.g. AZN")),
                _number("rate_to_azn", N_("Rate to AZN"), required=True),
                SOURCE,
            ),
            lambda s, u, _c, data, why: finance_actions.record_allocation(s, u, data, comment=why).code,
            defaults={"currency": "AZN", "rate_to_azn": "1"},
        ),
        FormSpec(
            "households/new",
            N_("Register a household"),
            REGISTRARS,
            HouseholdCreate,
            (
                Input("code", N_("Code"), "text", True),
                Input("origin_settlement_code", N_("Settlement of origin"), "select", True, settlement_choices),
                _text("head_name", N_("Head of household"), True),
                _number("size", N_("People in the household"), "1", True),
                _number("children", N_("Children"), "1"),
                _number("elderly", N_("Elderly"), "1"),
                _number("rooms_needed", N_("Rooms needed"), "1", True),
                Input("disability", N_("A member lives with a disability"), "checkbox"),
                Input("single_parent", N_("Single parent"), "checkbox"),
                Input("chronic_illness", N_("A member has a chronic illness"), "checkbox"),
                Input("consent_to_return", N_("Consents to return"), "checkbox"),
                Input("consent_date", N_("Date of consent"), "date"),
                _text("phone", N_("Phone")),
                _text("current_address", N_("Current address")),
                Input("registered_on", N_("Registered on"), "date", True),
            ),
            lambda s, u, _c, data, why: households.register_household(s, u, data, comment=why).code,
            intro=N_("Personal data: seen by registrars only."),
        ),
        FormSpec(
            "households/{code}/return",
            N_("Record that a household returned"),
            REGISTRARS,
            ReturnedOn,
            (Input("on", N_("Returned on"), "date", True),),
            lambda s, u, code, data, _why: (
                households.mark_returned(s, u, str(code), data.on, version=data.version, comment=data.comment).code
            ),
            current=households.visible_household,  # the record itself: the form shows its version only
        ),
    )
}


def check_district(spec: FormSpec, session: Session, user: User, code: str | None) -> None:
    """Open an edit form only where saving it would be allowed (the API checks again on saving)."""
    if spec.place_of is not None and code is not None:
        scope.ensure_may_write(session, user, spec.place_of(session, code))
