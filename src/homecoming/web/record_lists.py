"""The lists that lead to a record to change (/forms/projects, settlements, hazard-areas, households): a page at a
time, sorted by a column, filtered by district, settlement and status as each list has them (web/listing.py).

Which records an account may list is the domain's rule (`changeable_*`, `visible_households`, the mine-action read
model): a filter only narrows it, so a data_entry account asking for another district's settlements gets none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request

from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.households import actions as households
from homecoming.households.models import Household
from homecoming.http.listing import id_for, page_of
from homecoming.mine_action import read_models as mine_read_models
from homecoming.mine_action.models import HazardArea, HazardStatus
from homecoming.phrases import N_
from homecoming.territory import actions as territory_actions
from homecoming.territory.models import District, Settlement, SettlementKind
from homecoming.web.form_specs import MINE_ACTION, REGISTRARS, SETTLEMENT_EDITORS, WORKS_EDITORS
from homecoming.web.listing import ListSpec, ListView
from homecoming.web.placenames import district_options, settlement_options
from homecoming.works import actions as works_actions
from homecoming.works.models import Project, ProjectStatus

Row = dict[str, Any]
Links = tuple[tuple[str, str], ...]
HOUSEHOLD_STATUSES = ("waiting", "returned")


@dataclass(frozen=True)
class RecordList:
    """One list: who may see it (the roles of its forms), its title, what it may be asked, the column each header
    sorts by (code, name, state), and its page of rows."""

    roles: tuple[Role, ...]
    title: str
    spec: ListSpec
    headers: dict[str, str]
    rows: Callable[[Session, User, ListView], tuple[int, list[Row]]]

    def allows(self, role: Role) -> bool:
        return role == Role.ADMIN or role in self.roles


def _district_id(session: Session, view: ListView) -> int | None:
    return id_for(session, District, view.filter("district"), "district")


def _projects(session: Session, user: User, view: ListView) -> tuple[int, list[Row]]:
    links: Links = (("projects/{code}/edit", N_("Correct")), ("projects/{code}/progress", N_("Report progress")))
    status = view.chosen("status", ProjectStatus)
    query = works_actions.changeable_projects(session, user, view.filter("q"), _district_id(session, view), status)
    total, rows = page_of(session, query, Project, PROJECTS.sortable, view.paging)
    return total, [{"code": p.code, "name": p.name, "term": str(p.status), "amount": p.progress_pct, "unit": "%",
                    "links": links} for p in rows]  # fmt: skip


def _settlements(session: Session, user: User, view: ListView) -> tuple[int, list[Row]]:
    links: Links = (("settlements/{code}/edit", N_("Correct")),)
    kind = view.chosen("kind", SettlementKind)
    query = territory_actions.changeable_settlements(session, user, view.filter("q"), _district_id(session, view), kind)
    total, rows = page_of(session, query, Settlement, SETTLEMENTS.sortable, view.paging)
    return total, [{"code": s.code, "name": s.name, "term": str(s.kind), "links": links} for s in rows]


def _hazard_areas(session: Session, _user: User, view: ListView) -> tuple[int, list[Row]]:
    links: Links = (("hazard-areas/{code}/release", N_("Record land release")),)
    status = view.chosen("status", HazardStatus)
    settlement_id = id_for(session, Settlement, view.filter("settlement"), "settlement")
    query = mine_read_models.hazard_areas_listed(_district_id(session, view), settlement_id, status, None,
                                                 like=view.filter("q"))  # fmt: skip
    total, rows = page_of(session, query, HazardArea, HAZARD_AREAS.sortable, view.paging)
    return total, [{"code": a.code, "name": str(a.classification), "name_is_term": True, "term": str(a.status),
                    "amount": a.remaining_area_m2, "unit": "m²", "links": links, "illustrative": a.illustrative}
                   for a in rows]  # fmt: skip


def _households(session: Session, user: User, view: ListView) -> tuple[int, list[Row]]:
    links: Links = (("households/{code}/return", N_("Record the return")),)
    settlement_id = id_for(session, Settlement, view.filter("settlement"), "settlement")
    district_id = _district_id(session, view)
    query = households.visible_households(session, user, like=view.filter("q"), settlement_id=settlement_id,
                                          district_id=district_id, status=view.filter("status"))  # fmt: skip
    total, rows = page_of(session, query, Household, HOUSEHOLDS.sortable, view.paging)
    return total, [{"code": h.code, "name": h.head_name, "term": "returned" if h.returned_on else "waiting",
                    "day": h.returned_on, "links": links} for h in rows]  # fmt: skip


PROJECTS = ListSpec(("code", "name", "status", "progress_pct"), ("q", "district", "status"),
                    {"status": tuple(s.value for s in ProjectStatus)})  # fmt: skip
SETTLEMENTS = ListSpec(("name", "code", "kind"), ("q", "district", "kind"),
                       {"kind": tuple(k.value for k in SettlementKind)})  # fmt: skip
HAZARD_AREAS = ListSpec(("code", "classification", "status", "remaining_area_m2"),
                        ("q", "district", "settlement", "status"),
                        {"status": tuple(s.value for s in HazardStatus)})  # fmt: skip
HOUSEHOLDS = ListSpec(("code", "head_name", "returned_on"), ("q", "district", "settlement", "status"),
                      {"status": HOUSEHOLD_STATUSES})  # fmt: skip

LISTS: dict[str, RecordList] = {
    "projects": RecordList(WORKS_EDITORS, N_("Works projects"), PROJECTS,
                           {"code": "code", "name": "name", "state": "status"}, _projects),
    "settlements": RecordList(SETTLEMENT_EDITORS, N_("Settlements"), SETTLEMENTS,
                              {"code": "code", "name": "name", "state": "kind"}, _settlements),
    "hazard-areas": RecordList(MINE_ACTION, N_("Hazard areas"), HAZARD_AREAS,
                               {"code": "code", "name": "classification", "state": "status"}, _hazard_areas),
    "households": RecordList(REGISTRARS, N_("Households"), HOUSEHOLDS,
                             {"code": "code", "name": "head_name", "state": "returned_on"}, _households),
}  # fmt: skip


def filter_choices(request: Request, session: Session, user: User, kind: str, view: ListView) -> dict[str, Any]:
    """The filter form's choices: districts (a data_entry account's own only), settlements where the list has them
    (of the chosen district), and the list's statuses or kinds."""
    spec = LISTS[kind].spec
    districts = district_options(request, session)
    if user.role == Role.DATA_ENTRY:
        own = {code for code, _name in territory_actions.writable_districts(session, user)}
        districts = [option for option in districts if option[0] in own]
    choices: dict[str, Any] = {"district": districts}
    if "settlement" in spec.filters:
        choices["settlement"] = settlement_options(request, session, view.filter("district"))
    for name in ("status", "kind"):
        if name in spec.choices:
            choices[name] = [(value, value) for value in spec.choices[name]]
    return choices
