"""Mine-action use-cases: surveying a hazard area, recording the land an activity releases and its inspections,
the operators, recomputing what the drawn hazards block, and accidents with their victims, whichever door the change
comes from (API, form, CLI). Reads of accidents go through `visible_*` here: the one personal-data rule.

Each checks the role and the district, makes the change and writes its audit entry in the caller's unit of work;
a refusal raises before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from homecoming.accounts import permissions
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit import service as audit
from homecoming.db.base import Base
from homecoming.disclosure.rule import sees_exact_counts
from homecoming.mine_action import accidents, blocking, casualties, service
from homecoming.mine_action.models import (
    AccidentActivity,
    AgeGroup,
    DeviceType,
    HazardArea,
    LandReleaseActivity,
    MineAccident,
    MineVictim,
    Operator,
    Outcome,
    QualityInspection,
    Sex,
    VictimKind,
    hazard_area_blocked_projects,
)
from homecoming.mine_action.schemas import (
    AccidentCreate,
    ActivityCreate,
    HazardAreaCreate,
    InspectionCreate,
    OperatorCreate,
)
from homecoming.territory import scope
from homecoming.works.models import Project

OFFICERS = (Role.MINE_ACTION_OFFICER,)
# Who records an accident: the officers, and a district clerk in its own district (who then reads it back without
# the personal data it sent). Who reads accident records: staff who plan or record work. Personal data (names, birth
# dates, free text): the officers alone (and admin, always). The public reads counts only (`visible_casualties`).
RECORDERS = (Role.MINE_ACTION_OFFICER, Role.DATA_ENTRY)
READERS = (Role.VIEWER, Role.DATA_ENTRY, Role.PLANNER, Role.MINE_ACTION_OFFICER)
PERSONAL_DATA_READERS = OFFICERS
R = TypeVar("R", bound=Base)
RELEASED = ("status", "remaining_area_m2")  # what land release changes on its hazard area, shown in the trail


def _released(area: HazardArea) -> dict[str, Any]:
    """The hazard area's figures that land release and its inspections change, as the trail shows them."""
    snapshot = audit.snapshot(area)
    return {name: snapshot[name] for name in RELEASED}


def _created_with_release(
    session: Session, user: User, area: HazardArea, create: Callable[[], R], comment: str | None
) -> R:
    """Create a record that changes the hazard area's released figures (an activity, an inspection): one entry for
    the record, holding the area's figures before and after."""
    before = _released(area)
    record = create()
    released = {"hazard_area": area.code, "before": before, "after": _released(area)}
    audit.record_change(session, user, "create", record, before=None, comment=comment,
                        after={**audit.snapshot(record), "hazard_area_change": released})  # fmt: skip
    return record


def create_hazard_area(
    session: Session, actor: User | None, data: HazardAreaCreate, *, comment: str | None = None
) -> HazardArea:
    user = permissions.require_role(actor, *OFFICERS)
    scope.ensure_may_write(session, user, service.place_of_new_area(session, data))
    area = service.create_hazard_area(session, data)
    audit.record_change(session, user, "create", area, before=None, comment=comment)
    return area


def record_release(
    session: Session, actor: User | None, hazard_code: str, data: ActivityCreate, *, comment: str | None = None
) -> LandReleaseActivity:
    """Land released on a hazard area: one entry for the activity, holding the area's figures before and after."""
    user = permissions.require_role(actor, *OFFICERS)
    area = service.get_hazard_area(session, hazard_code)
    return _created_with_release(session, user, area, lambda: service.record_activity(session, hazard_code, data),
                                 comment)  # fmt: skip


def compute_blocks(session: Session, actor: User | None, *, comment: str | None = None) -> list[blocking.Blocks]:
    """Recompute what the drawn hazard areas block; one entry per hazard area whose answer changed."""
    user = permissions.require_role(actor, *OFFICERS)
    was = _blocked(session)
    results = blocking.compute_blocks(session)
    now = _blocked(session)
    for area in session.scalars(select(HazardArea).where(HazardArea.id.in_(was.keys() | now.keys()))):
        if was.get(area.id) != now.get(area.id):
            audit.record_change(session, user, "update", area, before=was.get(area.id), after=now.get(area.id),
                                comment=comment)  # fmt: skip
    return results


def _blocked(session: Session) -> dict[int, dict[str, Any]]:
    """What each hazard area blocks now: its settlement and its projects' codes."""
    table = hazard_area_blocked_projects
    projects: dict[int, list[str]] = {}
    rows = session.execute(
        select(table.c.hazard_area_id, Project.code)
        .join(Project, Project.id == table.c.project_id)
        .order_by(Project.code)
    )
    for area_id, code in rows:
        projects.setdefault(area_id, []).append(code)
    areas = session.execute(select(HazardArea.id, HazardArea.blocks_settlement_id))
    return {
        area_id: {"blocks_settlement_id": settlement_id, "blocked_projects": projects.get(area_id, [])}
        for area_id, settlement_id in areas
    }


def create_operator(
    session: Session, actor: User | None, data: OperatorCreate, *, comment: str | None = None
) -> Operator:
    user = permissions.require_role(actor, *OFFICERS)
    operator = service.create_operator(session, data)
    audit.record_change(session, user, "create", operator, before=None, comment=comment)
    return operator


def record_inspection(
    session: Session, actor: User | None, activity_code: str, data: InspectionCreate, *, comment: str | None = None
) -> QualityInspection:
    """A QA/QC inspection; one entry holding the hazard area's figures before and after (a failure re-opens land)."""
    user = permissions.require_role(actor, *OFFICERS)
    activity = service.get_activity(session, activity_code)
    area = session.get_one(HazardArea, activity.hazard_area_id)
    return _created_with_release(session, user, area,
                                 lambda: service.record_inspection(session, activity_code, data), comment)  # fmt: skip


# --- accidents and victims ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VictimSeen:
    """A victim as one reader may see them: `name`, `birth_date` and `note` None unless the reader may read
    personal data."""

    number: int
    age_group: AgeGroup
    sex: Sex
    kind: VictimKind
    outcome: Outcome
    name: str | None
    birth_date: dt.date | None
    note: str | None


@dataclass(frozen=True)
class AccidentSeen:
    """An accident as one reader may see it (`description` is free text: personal data)."""

    code: str
    occurred_on: dt.date
    district_id: int
    settlement_id: int | None
    lat: float | None
    lon: float | None
    device_type: DeviceType
    activity: AccidentActivity
    hazard_area_id: int | None
    description: str | None
    victims: list[VictimSeen]
    personal_data_shown: bool

    @property
    def killed(self) -> int:
        return sum(v.outcome == Outcome.KILLED for v in self.victims)

    @property
    def injured(self) -> int:
        return sum(v.outcome == Outcome.INJURED for v in self.victims)


def record_accident(
    session: Session, actor: User | None, data: AccidentCreate, *, now: dt.datetime, comment: str | None = None
) -> AccidentSeen:
    """An accident and its victims, one audit entry; answered as the recorder may read it back."""
    user = permissions.require_role(actor, *RECORDERS)
    scope.ensure_may_write(session, user, accidents.place_of_accident(session, data))
    accident = accidents.create_accident(session, data, now.date())
    victims = accidents.victims_of(session, [accident.id])[accident.id]
    after = {**audit.snapshot(accident), "victims": [audit.snapshot(v) for v in victims]}
    audit.record_change(session, user, "create", accident, before=None, comment=comment, after=after)
    return _seen(accident, victims, _sees_personal_data(user))


def visible_accidents(actor: User | None) -> Select[tuple[MineAccident]]:
    """The accidents a reader may list (a query the door filters, orders and pages; then `seen_accidents`)."""
    permissions.require_role(actor, *READERS)
    return select(MineAccident)


def seen_accidents(session: Session, actor: User | None, rows: list[MineAccident]) -> list[AccidentSeen]:
    """A page of accidents with their victims, personal data withheld unless the reader may read it."""
    user = permissions.require_role(actor, *READERS)
    victims = accidents.victims_of(session, [a.id for a in rows])
    return [_seen(a, victims[a.id], _sees_personal_data(user)) for a in rows]


def visible_accident(session: Session, actor: User | None, code: str) -> AccidentSeen:
    user = permissions.require_role(actor, *READERS)
    accident = accidents.get_accident(session, code)
    return _seen(accident, accidents.victims_of(session, [accident.id])[accident.id], _sees_personal_data(user))


def visible_casualties(session: Session, actor: User | None, threshold: int) -> casualties.Casualties:
    """The public's casualty figures: reported national figures, and recorded victims per year with small counts
    withheld (exact for those who read the records themselves)."""
    exact = actor is not None and (_sees_personal_data(actor) or sees_exact_counts(actor.role))
    rows, total = casualties.protected(accidents.victims_by_year(session), threshold, exact=exact)
    return casualties.Casualties(casualties.reported(accidents.casualty_figures(session)), rows, total, exact)


def _sees_personal_data(user: User) -> bool:
    return user.role in permissions.allowed_roles(*PERSONAL_DATA_READERS)


def _seen(accident: MineAccident, victims: list[MineVictim], personal: bool) -> AccidentSeen:
    return AccidentSeen(
        code=accident.code,
        occurred_on=accident.occurred_on,
        district_id=accident.district_id,
        settlement_id=accident.settlement_id,
        lat=accident.lat,
        lon=accident.lon,
        device_type=accident.device_type,
        activity=accident.activity,
        hazard_area_id=accident.hazard_area_id,
        description=accident.description if personal else None,
        victims=[
            VictimSeen(
                number=v.number,
                age_group=v.age_group,
                sex=v.sex,
                kind=v.kind,
                outcome=v.outcome,
                name=v.name if personal else None,
                birth_date=v.birth_date if personal else None,
                note=v.note if personal else None,
            )
            for v in victims
        ],
        personal_data_shown=personal,
    )
