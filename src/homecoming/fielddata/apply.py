"""What each form becomes in the registry, made through the owning domain's own use-case (so its role, district
scope, version check and audit entry are those of any other write), and how it differs from what is there now."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.damage import actions as damage_actions
from homecoming.damage.schemas import DamagedObjectCreate
from homecoming.db.base import Base
from homecoming.db.crud import get_by_code
from homecoming.fielddata.definitions import Evidence, YesNo
from homecoming.fielddata.models import FieldSubmission
from homecoming.fielddata.service import record_code, sender_name
from homecoming.files.store import FileStore
from homecoming.households import actions as households_actions
from homecoming.households import service as households_service
from homecoming.households.models import ConfirmationMethod, Household
from homecoming.mine_action import actions as mine_actions
from homecoming.mine_action import service as mine_service
from homecoming.mine_action.models import HazardArea
from homecoming.mine_action.schemas import ActivityCreate, HazardAreaCreate
from homecoming.territory import scope
from homecoming.territory.models import Settlement

T = TypeVar("T", bound=Base)


@dataclass(frozen=True)
class Difference:
    field: str
    current: Any  # None: the registry has nothing there yet
    proposed: Any


def place_of(session: Session, form_id: str, values: dict[str, Any]) -> scope.Place:
    """Where the record a submission makes or changes lies (NotFound for a code the registry does not hold)."""
    if form_id == "land_release":
        area = mine_service.get_hazard_area(session, values["hazard_area"])
        return scope.Place(area.district_id, area.blocks_settlement_id, settlement_field="hazard_area")
    if form_id == "household_verification":
        household = households_service.get_household(session, values["household"])
        return scope.Place(settlement_id=household.origin_settlement_id, settlement_field="household")
    field = "blocked_settlement" if form_id == "hazard_survey" else "settlement"
    settlement = get_by_code(session, Settlement, values[field])
    return scope.Place(settlement.district_id, settlement.id, settlement_field=field)


def apply(
    session: Session, actor: User, submission: FieldSubmission, store: FileStore, *, record_version: int | None,
    comment: str,
) -> Base:  # fmt: skip
    """The registry record the submission becomes; raises (nothing kept) when the domain refuses it."""
    values, code = submission.fields, record_code(submission.code)
    if submission.form_id == "damage_survey":
        return _damage(session, actor, submission, store, comment)
    if submission.form_id == "hazard_survey":
        settlement = get_by_code(session, Settlement, values["blocked_settlement"])
        data = HazardAreaCreate(
            code=code, classification=values["classification"], polygon_geojson=values["shape"],
            contamination_type=values["contamination"], casualty_risk=values["evidence"] == Evidence.ACCIDENT,
            blocks_settlement_code=settlement.code,
        )  # fmt: skip
        return mine_actions.create_hazard_area(session, actor, data, comment=comment)
    if submission.form_id == "land_release":
        activity = ActivityCreate(
            code=code, kind=values["kind"], status=values["status"], cancelled_m2=values["cancelled_m2"],
            reduced_m2=values["reduced_m2"], cleared_m2=values["cleared_m2"],
            items_found=values.get("items_found", 0), items_destroyed=values.get("items_destroyed", 0),
            team=values["operator"][:100], method=values["method"], start_date=values.get("start_date"),
            end_date=values.get("end_date"),
        )  # fmt: skip
        return mine_actions.record_release(session, actor, values["hazard_area"], activity, comment=comment)
    household = households_service.get_household(session, values["household"])
    version = household.version if record_version is None else record_version
    consent = values["voluntary_return"] == YesNo.YES
    on = submission.received_at.date()
    return households_actions.reconfirm_return(session, actor, household.code, consent, on,
                                               ConfirmationMethod.FIELD_VISIT, sender_name(session, submission),
                                               version=version, comment=comment)  # fmt: skip


def _damage(session: Session, actor: User, submission: FieldSubmission, store: FileStore, comment: str) -> Base:
    values = submission.fields
    data = DamagedObjectCreate(
        code=record_code(submission.code), settlement_code=values["settlement"], kind=values["kind"],
        level=values["level"], method=values["method"], name=values.get("name"), lat=values["location"]["lat"],
        lon=values["location"]["lon"], assessed_on=submission.received_at.date(),
        assessor=sender_name(session, submission), notes=values.get("notes"),
    )  # fmt: skip
    record = damage_actions.add_object(session, actor, data, comment=comment)
    with tempfile.TemporaryDirectory(prefix="homecoming-odk-") as folder:
        for n, photo in enumerate(submission.files, start=1):
            path = Path(folder) / f"{record.code}-{n}{Path(photo['name']).suffix.lower()}"
            path.write_bytes(store.read(photo["key"]))
            damage_actions.attach_to_object(session, actor, record.code, path, caption=photo["field"],
                                            comment=comment, store=store)  # fmt: skip
    return record


@dataclass(frozen=True)
class Changes:
    differences: list[Difference]
    record_version: int | None  # the version of the registry record it changes (approval checks it)


def differences(session: Session, submission: FieldSubmission) -> Changes:
    """Each answer beside the registry's current value where there is one (a new record has none)."""
    values = submission.fields
    current: dict[str, Any] = {}
    version = None
    if submission.form_id == "household_verification":
        household = _find(session, Household, values.get("household", ""))
        if household is not None:
            current = {"members_present": household.size,
                       "voluntary_return": YesNo.YES if household.consent_to_return else YesNo.NO}  # fmt: skip
            version = household.version
    elif submission.form_id == "land_release":
        area = _find(session, HazardArea, values.get("hazard_area", ""))
        if area is not None:
            current = {"hazard_area": f"{area.code}: {area.remaining_area_m2:,.0f} m² remaining ({area.status})"}
    return Changes([Difference(name, current.get(name), value) for name, value in values.items()], version)


def _find(session: Session, model: type[T], code: str) -> T | None:
    return session.scalars(select(model).where(model.code == code)).one_or_none()  # type: ignore[attr-defined]
