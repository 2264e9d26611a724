"""Issue 22: the people of a household through the API, the pages and the command line: added, changed and removed
with their versions, the household's size following them, personal data refused to every role that may not read the
registry, the confirmation of return recorded and shown, and the duplicate-review list decided (both engines)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api_support import PASSWORD, ROLES, Api
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_usecases_people_audit import command, none_written, one_entry
from typer.testing import CliRunner

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.cli.main import app as cli

# Every write route of the people of a household, walked by the audit walk below (test_usecases_audit_complete).
COVERED_ROUTES = {
    ("POST", "/api/households/{code}/members"),
    ("PUT", "/api/households/{code}/members/{number}"),
    ("DELETE", "/api/households/{code}/members/{number}"),
    ("POST", "/api/households/{code}/confirmations"),
    ("POST", "/api/duplicate-candidates/{candidate_id}/decision"),
}
AZ = {"accept-language": "az-AZ,az;q=0.9"}
WIDE = {"COLUMNS": "200"}
LEYLA = {
    "given_name": "Leyla", "family_name": "Məmmədova", "birth_date": "1958-03-07", "sex": "female",
    "document_type": "national_id", "document_number": "AZE12345678", "specific_needs": ["chronic_illness"],
}  # fmt: skip
AYSEL = {"given_name": "Aysel", "family_name": "Məmmədova", "birth_date": "2015-09-30", "sex": "female"}


def log_in(api: Api, role: Role) -> None:
    api.client.post("/logout")
    if role != Role.PUBLIC:
        assert api.client.post("/login", data={"username": role.value, "password": PASSWORD}).status_code == 200


def household(api: Api, code: str = "hh-00") -> dict[str, Any]:
    answer = api.client.get(f"/api/households/{code}", headers=api.as_(Role.REGISTRAR))
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def test_members_are_added_changed_and_removed_and_the_household_counts_them(api: Api) -> None:
    registrar = api.as_(Role.REGISTRAR)
    assert household(api)["size"] == 4  # as registered, before any member
    added = api.client.post("/api/households/hh-00/members", json=LEYLA, headers=registrar)
    assert added.status_code == 201 and added.json()["number"] == 1
    api.client.post("/api/households/hh-00/members", json=AYSEL, headers=registrar)
    listed = api.client.get("/api/households/hh-00/members", headers=registrar).json()
    assert [(m["number"], m["given_name"], m["specific_needs"]) for m in listed] == [
        (1, "Leyla", ["chronic_illness"]), (2, "Aysel", []),
    ]  # fmt: skip
    assert (household(api)["size"], household(api)["children"], household(api)["elderly"]) == (2, 1, 1)
    corrected = {**AYSEL, "specific_needs": ["disability"], "version": 1, "comment": "seen"}
    changed = api.client.put("/api/households/hh-00/members/2", json=corrected, headers=registrar)
    assert changed.status_code == 200 and changed.json()["specific_needs"] == ["disability"]
    stale = api.client.put("/api/households/hh-00/members/2", json={**AYSEL, "version": 1}, headers=registrar)
    assert stale.status_code == 409 and stale.json()["error"]["details"]["current"]["version"] == 2
    removed = api.client.delete("/api/households/hh-00/members/1?version=1&comment=registered+twice", headers=registrar)
    assert removed.status_code == 204 and household(api)["size"] == 1
    gone = api.client.delete("/api/households/hh-00/members/1?version=1", headers=registrar)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "households.member_not_found"
    half = api.client.post("/api/households/hh-00/members", json={**AYSEL, "document_type": "passport"},
                           headers=registrar)  # fmt: skip
    assert half.status_code == 422  # a document type without its number
    with Session(api.engine) as session:
        trail = session.scalars(select(AuditEntry).where(AuditEntry.table_name == "household_members")
                                .order_by(AuditEntry.id)).all()  # fmt: skip
    assert [(e.action, e.record_code, e.comment) for e in trail] == [
        ("create", "hh-00/1", None), ("create", "hh-00/2", None), ("update", "hh-00/2", "seen"),
        ("delete", "hh-00/1", "registered twice"),
    ]  # fmt: skip
    assert trail[0].after["household_change"]["after"]["size"] == 1  # the recount is in the same entry


def test_members_and_the_review_list_are_refused_to_every_role_that_may_not_read_the_registry(api: Api) -> None:
    api.client.post("/api/households/hh-00/members", json=LEYLA, headers=api.as_(Role.REGISTRAR))
    readers = {Role.REGISTRAR, Role.ADMIN}
    for role in ROLES:
        asks = api.as_(role)
        answers = (
            api.client.get("/api/households/hh-00/members", headers=asks).status_code,
            api.client.post("/api/households/hh-00/members", json=AYSEL, headers=asks).status_code,
            api.client.get("/api/households/hh-00/confirmations", headers=asks).status_code,
            api.client.get("/api/duplicate-candidates", headers=asks).status_code,
        )
        assert answers == ((200, 201, 200, 200) if role in readers else (403,) * 4), role
        log_in(api, role)
        page = api.client.get("/households/hh-00")
        assert (page.status_code == 200) == (role in readers)
        assert ("Leyla" in page.text) == (role in readers)
    log_in(api, Role.PUBLIC)
    for path in ("/api/households/hh-00/members", "/api/duplicate-candidates", "/households/hh-00",
                 "/duplicate-candidates"):  # fmt: skip
        assert api.client.get(path).status_code == 401


def test_a_confirmation_of_return_records_when_how_and_who_and_the_page_shows_the_state(api: Api) -> None:
    registrar = api.as_(Role.REGISTRAR)
    version = household(api)["version"]
    withdrawal = {"confirmed": False, "on": "2026-11-02", "method": "phone", "version": version}
    withdrawn = api.client.post("/api/households/hh-00/confirmations", json=withdrawal, headers=registrar)
    assert withdrawn.status_code == 200 and withdrawn.json()["consent_to_return"] is False
    log_in(api, Role.REGISTRAR)
    page = api.client.get("/households/hh-00").text
    assert "Not confirmed: no convoy takes this household until it confirms its voluntary return." in page
    confirmed = api.client.post("/api/households/hh-00/confirmations", headers=registrar,
                                json={"on": "2026-11-20", "method": "in_person", "version": version + 1})  # fmt: skip
    assert confirmed.json()["consent_to_return"] is True and confirmed.json()["consent_date"] == "2026-11-20"
    history = api.client.get("/api/households/hh-00/confirmations", headers=registrar).json()
    assert history == [
        {"confirmed": True, "confirmed_on": "2026-11-20", "method": "in_person", "taken_by": "registrar"},
        {"confirmed": False, "confirmed_on": "2026-11-02", "method": "phone", "taken_by": "registrar"},
    ]
    assert "Confirmed: the plan may put this household on a convoy." in api.client.get("/households/hh-00").text
    in_azerbaijani = api.client.get("/households/hh-00", headers=AZ).text
    assert "Confirmed: the plan" not in in_azerbaijani and "hh-00" in in_azerbaijani


def test_a_registrar_decides_the_pairs_the_search_found_through_the_api_the_page_and_the_command_line(
    api: Api, cli_database: str
) -> None:
    registrar = api.as_(Role.REGISTRAR)
    twice = [("hh-00", LEYLA), ("hh-01", {**LEYLA, "given_name": "Лейла", "family_name": "Мамедова",
                                         "document_type": None, "document_number": None})]  # fmt: skip
    for code, person in [*twice, ("hh-02", AYSEL), ("hh-03", {**AYSEL, "given_name": "Elvin", "sex": "male"})]:
        assert api.client.post(f"/api/households/{code}/members", json=person, headers=registrar).status_code == 201
    searched = CliRunner().invoke(cli, ["--as", "registrar", "households", "dedupe"], env=WIDE)
    assert searched.exit_code == 0, searched.output
    assert "1 likely pairs — 1 new on the review list" in searched.output
    refused = CliRunner().invoke(cli, ["--as", "planner", "households", "duplicates"], env=WIDE)
    assert refused.exit_code != 0 and "auth.forbidden" in refused.output
    [pair] = api.client.get("/api/duplicate-candidates", headers=registrar).json()
    people = [(p["household_code"], p["member"]["given_name"]) for p in pair["people"]]
    assert people == [("hh-00", "Leyla"), ("hh-01", "Лейла")] and pair["status"] == "open"
    assert pair["agreements"] == {"given_name": "exact", "family_name": "exact", "birth_date": "exact",
                                  "document": "missing", "sex": "exact"}  # fmt: skip
    log_in(api, Role.REGISTRAR)
    page = api.client.get("/duplicate-candidates")
    assert f'id="pair-{pair["id"]}"' in page.text and "Лейла" in page.text
    assert "Possible duplicates" not in api.client.get("/duplicate-candidates", headers=AZ).text
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    posted = api.client.post(f"/duplicate-candidates/{pair['id']}/same", follow_redirects=False,
                             data={"csrf_token": token, "version": str(pair["version"])})  # fmt: skip
    assert posted.status_code == 303
    decided = api.client.get("/api/duplicate-candidates?status=same_person", headers=registrar).json()
    assert [(d["id"], d["decided_by"]) for d in decided] == [(pair["id"], "registrar")]
    again = api.client.post(f"/api/duplicate-candidates/{pair['id']}/decision", headers=registrar,
                            json={"status": "different", "version": decided[0]["version"]})  # fmt: skip
    assert again.status_code == 409 and again.json()["error"]["code"] == "households.duplicate_decided"
    assert dt.date.fromisoformat(LEYLA["birth_date"]).year == 1958


def test_each_members_confirmation_and_decision_write_makes_one_entry_naming_its_actor(
    api: Api, cli_database: str
) -> None:
    registrar, planner = api.as_(Role.REGISTRAR), api.as_(Role.PLANNER)
    members = "/api/households/hh-00/members"
    none_written(api, lambda: api.client.post(members, json=LEYLA, headers=planner), 403)
    assert one_entry(api, lambda: api.client.post(members, json=LEYLA, headers=registrar), 201) == (
        "registrar", "create", "household_members", "hh-00/1")  # fmt: skip
    none_written(api, lambda: api.client.put(f"{members}/1", json={**LEYLA, "version": 9}, headers=registrar), 409)
    corrected = {**LEYLA, "patronymic": "Kamal", "version": 1}
    assert one_entry(api, lambda: api.client.put(f"{members}/1", json=corrected, headers=registrar), 200) == (
        "registrar", "update", "household_members", "hh-00/1")  # fmt: skip
    none_written(api, lambda: api.client.delete(f"{members}/1?version=2", headers=planner), 403)
    assert one_entry(api, lambda: api.client.delete(f"{members}/1?version=2", headers=registrar), 204) == (
        "registrar", "delete", "household_members", "hh-00/1")  # fmt: skip
    confirm = {"on": "2026-11-20", "method": "phone", "version": household(api)["version"]}
    none_written(api, lambda: api.client.post("/api/households/hh-01/confirmations", json=confirm, headers=planner),
                 403)  # fmt: skip
    assert one_entry(api, command("--as", "registrar", "households", "confirm", "hh-01", "--how", "phone", "--on",
                                  "2026-11-20", "--version", "1", "--withdraw"), 0) == (
        "registrar", "update", "households", "hh-01")  # fmt: skip
    assert household(api, "hh-01")["consent_to_return"] is False
    assert one_entry(api, lambda: api.client.post("/api/households/hh-01/confirmations", headers=registrar,
                                                  json={**confirm, "version": 2}), 200)[3] == "hh-01"  # fmt: skip
    for code, person in (("hh-02", AYSEL), ("hh-03", {**AYSEL, "given_name": "Айсель", "family_name": "Мамедова"})):
        api.client.post(f"/api/households/{code}/members", json=person, headers=registrar)
    assert CliRunner().invoke(cli, ["--as", "registrar", "households", "dedupe"], env=WIDE).exit_code == 0
    [pair] = api.client.get("/api/duplicate-candidates", headers=registrar).json()
    decision = f"/api/duplicate-candidates/{pair['id']}/decision"
    body = {"status": "different", "version": pair["version"]}
    none_written(api, lambda: api.client.post(decision, json=body, headers=planner), 403)
    none_written(api, lambda: api.client.post(decision, json={**body, "version": 7}, headers=registrar), 409)
    assert one_entry(api, command("--as", "registrar", "households", "decide", str(pair["id"]), "different",
                                  "--version", str(pair["version"])), 0) == (
        "registrar", "update", "duplicate_candidates", f"DUP-{pair['id']}")  # fmt: skip
    none_written(api, lambda: api.client.post(decision, json={**body, "version": 2}, headers=registrar), 409)
