"""The review queue: who sees what, and each decision (approve through the domain's own rules, reject with a
reason, send back for correction)."""

from __future__ import annotations

from pathlib import Path

from api_support import Api
from fielddata_support import HAZARD, Collect, collect, instance, jpeg, use_folder
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.households.models import Household
from homecoming.mine_action.models import HazardArea, LandReleaseActivity

SIGNATURE = "signature-1.png"
COVERED_ROUTES = {  # the audit walk of the review queue's write routes (test_usecases_audit_complete)
    ("POST", "/api/field-submissions/{code}/approve"),
    ("POST", "/api/field-submissions/{code}/reject"),
    ("POST", "/api/field-submissions/{code}/correction"),
}


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (20, 10), 255).save(out, format="PNG")
    return out.getvalue()


def _send(phone: Collect, form_id: str, instance_id: str, answers: dict[str, str],
          files: dict[str, bytes] | None = None) -> None:  # fmt: skip
    response = phone.submit(instance(form_id, phone.versions()[form_id], instance_id, answers), files)
    assert response.status_code == 201, response.text


def _decide(api: Api, role: Role, code: str, decision: str, version: int = 1, **body: object) -> dict[str, object]:
    response = api.client.post(f"/api/field-submissions/{code}/{decision}?version={version}", json=body,
                               headers=api.as_(role))  # fmt: skip
    return {**response.json(), "http": response.status_code}


def test_a_hazard_survey_approved_becomes_a_hazard_area_with_its_polygon(api: Api, tmp_path: Path) -> None:
    use_folder(api, tmp_path / "files")
    _send(collect(api, "enumerator"), "hazard_survey", "uuid:aaaa1111-0000", HAZARD)
    assert api.client.get("/api/field-submissions", headers=api.as_(Role.DATA_ENTRY)).json() == []  # not its form
    [waiting] = api.client.get("/api/field-submissions", headers=api.as_(Role.MINE_ACTION_OFFICER)).json()
    assert waiting["fields"]["shape"]["type"] == "Polygon"
    assert _decide(api, Role.MINE_ACTION_OFFICER, "uuid:aaaa1111-0000", "approve")["http"] == 200
    with Session(api.engine) as session:
        area = session.scalars(select(HazardArea).where(HazardArea.code == "odk-aaaa11110000")).one()
        assert (area.classification, area.contamination_type, area.casualty_risk) == ("CHA", "ap_mines", True)
        assert area.polygon_geojson == waiting["fields"]["shape"] and 900_000 < area.estimated_area_m2 < 1_000_000


def test_a_land_release_approved_reduces_its_hazard_area(api: Api, tmp_path: Path) -> None:
    use_folder(api, tmp_path / "files")
    answers = {"hazard_area": "cha-1", "kind": "clearance", "method": "manual", "status": "completed",
               "cancelled_m2": "0", "reduced_m2": "0", "cleared_m2": "2000", "items_found": "3",
               "items_destroyed": "3", "operator": "ANAMA team 4", "start_date": "2026-05-01",
               "end_date": "2026-06-01"}  # fmt: skip
    _send(collect(api, "enumerator"), "land_release", "uuid:bbbb2222", answers)
    assert _decide(api, Role.MINE_ACTION_OFFICER, "uuid:bbbb2222", "approve")["http"] == 200
    with Session(api.engine) as session:
        activity = session.scalars(select(LandReleaseActivity)).one()
        assert (activity.cleared_m2, activity.team, activity.method) == (2000, "ANAMA team 4", "manual")
        assert session.scalars(select(HazardArea).where(HazardArea.code == "cha-1")).one().remaining_area_m2 == 10_000


def test_a_household_verification_is_applied_at_the_version_the_registrar_saw(api: Api, tmp_path: Path) -> None:
    use_folder(api, tmp_path / "files")
    answers = {"household": "hh-01", "members_present": "3", "voluntary_return": "no", "signature": SIGNATURE}
    _send(collect(api, "enumerator"), "household_verification", "uuid:cccc3333", answers, {SIGNATURE: _png()})
    [difference] = [d for d in api.client.get("/api/field-submissions/uuid:cccc3333", headers=api.as_(Role.REGISTRAR))
                    .json()["fields"].items() if d[0] == "members_present"]  # fmt: skip
    assert difference == ("members_present", 3)
    stale = _decide(api, Role.REGISTRAR, "uuid:cccc3333", "approve", record_version=7)
    assert stale["http"] == 409 and stale["error"]["code"] == "households.stale_version"  # type: ignore[index]
    assert stale["error"]["details"]["current"] == {"table": "households", "code": "hh-01", "version": 1}  # type: ignore[index]
    approved = _decide(api, Role.REGISTRAR, "uuid:cccc3333", "approve", record_version=1)
    assert (approved["http"], approved["applied_code"]) == (200, "hh-01")
    with Session(api.engine) as session:
        household = session.scalars(select(Household).where(Household.code == "hh-01")).one()
        assert (household.consent_to_return, household.consent_date, household.version) == (False, None, 2)
    history = api.client.get("/api/households/hh-01/confirmations", headers=api.as_(Role.REGISTRAR)).json()
    assert [(c["confirmed"], c["method"], c["taken_by"]) for c in history] == [(False, "field_visit", "enumerator")]


def test_reject_and_correction_need_a_reason_and_leave_the_registry_alone(api: Api, tmp_path: Path) -> None:
    use_folder(api, tmp_path / "files")
    phone = collect(api, "enumerator")
    _send(phone, "hazard_survey", "uuid:dddd4444", HAZARD)
    _send(phone, "hazard_survey", "uuid:eeee5555", {**HAZARD, "classification": "SHA"})
    no_reason = _decide(api, Role.MINE_ACTION_OFFICER, "uuid:dddd4444", "reject", reason=" ")
    assert no_reason["http"] == 422 and no_reason["error"]["code"] == "fielddata.reason_required"  # type: ignore[index]
    rejected = _decide(api, Role.MINE_ACTION_OFFICER, "uuid:dddd4444", "reject", reason="the same area as cha-1")
    assert (rejected["http"], rejected["status"], rejected["reason"]) == (200, "rejected", "the same area as cha-1")
    back = _decide(api, Role.MINE_ACTION_OFFICER, "uuid:eeee5555", "correction", reason="walk the south edge again")
    assert (back["http"], back["status"]) == (200, "correction")
    stale = _decide(api, Role.MINE_ACTION_OFFICER, "uuid:eeee5555", "approve", version=1)
    assert stale["http"] == 409 and stale["error"]["code"] == "field_submissions.stale_version"  # type: ignore[index]
    assert api.client.get("/api/field-submissions", headers=api.as_(Role.MINE_ACTION_OFFICER)).json() == []
    with Session(api.engine) as session:
        assert session.scalars(select(HazardArea.code)).all() == ["cha-1"]
        trail = session.execute(select(AuditEntry.username, AuditEntry.action, AuditEntry.record_code)
                                .where(AuditEntry.table_name == "field_submissions", AuditEntry.action == "update")
                                .order_by(AuditEntry.id)).all()  # fmt: skip
        assert trail == [("mine_action_officer", "update", "uuid:dddd4444"),
                         ("mine_action_officer", "update", "uuid:eeee5555")]  # fmt: skip


def test_a_viewer_and_an_enumerator_may_not_review(api: Api, tmp_path: Path) -> None:
    use_folder(api, tmp_path / "files")
    _send(collect(api, "enumerator"), "damage_survey", "uuid:ffff6666", {
        "settlement": "aghdam-v", "kind": "school", "level": "partial", "method": "field_survey",
        "location": "40.0 46.9 0 0", "photo_1": "a.jpg"}, {"a.jpg": jpeg()})  # fmt: skip
    for role in (Role.VIEWER, Role.ENUMERATOR, Role.CONTRACTOR):
        assert api.client.get("/api/field-submissions", headers=api.as_(role)).status_code == 403
        assert _decide(api, role, "uuid:ffff6666", "approve")["http"] == 403
    assert api.client.get("/api/field-submissions/uuid:ffff6666", headers=api.as_(Role.REGISTRAR)).status_code == 403


def _entries(api: Api) -> list[tuple[str, str, str]]:
    with Session(api.engine) as session:
        rows = session.execute(select(AuditEntry.username, AuditEntry.action, AuditEntry.table_name)
                               .order_by(AuditEntry.id)).all()  # fmt: skip
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_each_decision_leaves_one_audit_entry_naming_the_reviewer_and_a_refusal_none(api: Api, tmp_path: Path) -> None:
    use_folder(api, tmp_path / "files")
    phone = collect(api, "enumerator")
    for n, decision in enumerate(("approve", "reject", "correction")):
        code = f"uuid:0000000{n}-audit"
        _send(phone, "hazard_survey", code, HAZARD)
        before = _entries(api)
        assert _decide(api, Role.VIEWER, code, decision, reason="no")["http"] == 403
        assert _decide(api, Role.MINE_ACTION_OFFICER, code, decision, version=9, reason="no")["http"] == 409
        assert _entries(api) == before
        assert _decide(api, Role.MINE_ACTION_OFFICER, code, decision, reason="why")["http"] == 200
        table = "hazard_areas" if decision == "approve" else "field_submissions"
        action = "create" if decision == "approve" else "update"
        assert _entries(api) == [*before, ("mine_action_officer", action, table)]
