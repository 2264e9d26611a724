"""Issue 22's clerk forms on their pages (both engines): a household's page adds and takes off a person, and
/mine-accidents records an accident, through the API's own schemas and use-cases: one audit entry on success,
nothing written on a refusal (each beside its field, in the reader's language), the same roles and district rule
as the API, and the public's casualty page still showing counts only."""

from __future__ import annotations

import re
from typing import Any

from api_support import PASSWORD, Api
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_usecases_people_audit import entries

from homecoming.accounts.roles import Role
from homecoming.households.models import HouseholdMember
from homecoming.mine_action.models import MineAccident, MineVictim

AZ = {"accept-language": "az-AZ,az;q=0.9"}
MEMBER = {"given_name": "Leyla", "family_name": "Məmmədova", "birth_date": "1958-03-07", "sex": "female",
          "document_type": "national_id", "document_number": "AZE12345678"}  # fmt: skip
ACCIDENT = {"code": "acc-form-1", "occurred_on": "2024-05-20", "settlement_code": "aghdam-v",
            "hazard_area_code": "cha-1", "device_type": "at_mine", "activity": "farming",
            "victims-0-kind": "civilian", "victims-0-outcome": "injured", "victims-0-age_group": "adult",
            "victims-0-sex": "female"}  # fmt: skip


def log_in(api: Api, role: Role) -> None:
    api.client.post("/logout")
    if role != Role.PUBLIC:
        assert api.client.post("/login", data={"username": role.value, "password": PASSWORD}).status_code == 200


def send(api: Api, page: str, path: str, data: dict[str, Any], **headers: str) -> Any:
    """The form as a browser sends it: with the session's CSRF token read from the page."""
    shown = api.client.get(page, headers=headers)
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text)
    assert token is not None, shown.text[:500]
    return api.client.post(path, data={**data, "csrf_token": token.group(1)}, headers=headers, follow_redirects=False)


def count(api: Api, table: Any) -> int:
    with Session(api.engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def problem(page: str, name: str) -> str:
    found = re.search(rf'id="f-{name}-problem">([^<]*)<', page)
    assert found is not None, f"no problem beside {name}"
    return found.group(1)


def test_a_registrar_adds_a_member_on_the_page_and_takes_them_off_again(api: Api) -> None:
    log_in(api, Role.REGISTRAR)
    before = len(entries(api))
    added = send(api, "/households/hh-00", "/households/hh-00/members",
                 {**MEMBER, "specific_needs": ["chronic_illness", "disability"]})  # fmt: skip
    assert (added.status_code, added.headers["location"]) == (303, "/households/hh-00?added=1#members")
    assert len(entries(api)) == before + 1
    page = api.client.get("/households/hh-00?added=1").text
    assert 'id="member-added"' in page and "Leyla" in page and "chronic illness, disability" in page
    version = re.search(r'members/1/remove">.*?name="version" value="(\d+)"', page)
    assert version is not None
    stale = send(api, "/households/hh-00", "/households/hh-00/members/1/remove", {"version": "9"})
    assert stale.status_code == 409 and count(api, HouseholdMember) == 1
    removed = send(api, "/households/hh-00", "/households/hh-00/members/1/remove", {"version": version.group(1)})
    assert removed.status_code == 303 and count(api, HouseholdMember) == 0


def test_a_bad_member_is_refused_beside_its_field_in_the_readers_language(api: Api) -> None:
    log_in(api, Role.REGISTRAR)
    before = entries(api)
    future = send(api, "/households/hh-00", "/households/hh-00/members", {**MEMBER, "birth_date": "2099-01-01"})
    assert future.status_code == 422
    assert problem(future.text, "birth_date") == "a birth date of 2099-01-01 is after today"
    assert 'value="Leyla"' in future.text  # what was typed is kept
    unnamed = send(api, "/households/hh-00", "/households/hh-00/members", {**MEMBER, "given_name": ""}, **AZ)
    assert unnamed.status_code == 422 and problem(unnamed.text, "given_name") == "bu xananı doldurun"
    half = send(api, "/households/hh-00", "/households/hh-00/members", {**MEMBER, "document_type": ""}, **AZ)
    assert half.status_code == 422
    assert problem(half.text, "document_type").startswith("sənədin həm növünü, həm nömrəsini yazın")
    future_az = send(api, "/households/hh-00", "/households/hh-00/members", {**MEMBER, "birth_date": "2099-01-01"},
                     **AZ)  # fmt: skip
    assert problem(future_az.text, "birth_date").startswith("doğum tarixi bu gündən sonradır")
    assert entries(api) == before and count(api, HouseholdMember) == 0


def test_only_registrars_post_a_member_and_only_with_the_sessions_token(api: Api) -> None:
    log_in(api, Role.REGISTRAR)
    forged = api.client.post("/households/hh-00/members", data={**MEMBER, "csrf_token": "forged"})
    assert forged.status_code == 403
    for role in (Role.PLANNER, Role.MINE_ACTION_OFFICER, Role.PUBLIC):
        log_in(api, role)
        refused = api.client.post("/households/hh-00/members", data=MEMBER)
        assert refused.status_code in (401, 403)
    assert count(api, HouseholdMember) == 0


def test_an_officer_records_an_accident_and_the_public_reads_withheld_counts_only(api: Api) -> None:
    log_in(api, Role.MINE_ACTION_OFFICER)
    before = len(entries(api))
    made = send(api, "/mine-accidents", "/mine-accidents", ACCIDENT)
    assert (made.status_code, made.headers["location"]) == (303, "/mine-accidents/acc-form-1?recorded=1")
    assert len(entries(api)) == before + 1 and count(api, MineVictim) == 1
    assert 'id="recorded"' in api.client.get("/mine-accidents/acc-form-1?recorded=1").text
    log_in(api, Role.PUBLIC)
    public = api.client.get("/mine-action").text
    assert "acc-form-1" not in public and "cha-1" not in public and "&lt;5" in public
    assert 'id="accident-form"' not in public
    log_in(api, Role.VIEWER)  # a reader of the records: no form
    assert 'id="accident-form"' not in api.client.get("/mine-accidents").text


def test_a_bad_accident_is_refused_beside_its_field_and_nothing_is_written(api: Api) -> None:
    log_in(api, Role.MINE_ACTION_OFFICER)
    before = entries(api)
    future = send(api, "/mine-accidents", "/mine-accidents", {**ACCIDENT, "occurred_on": "2099-01-01"})
    assert future.status_code == 422 and problem(future.text, "occurred_on").startswith("occurred_on 2099-01-01")
    gap = {k.replace("victims-0-", "victims-1-"): v for k, v in ACCIDENT.items()}  # the first row left empty
    skipped = send(api, "/mine-accidents", "/mine-accidents", gap, **AZ)
    assert skipped.status_code == 422 and problem(skipped.text, "victims-0-kind") == "bu xananı doldurun"
    nowhere = send(api, "/mine-accidents", "/mine-accidents", {**ACCIDENT, "settlement_code": ""}, **AZ)
    assert problem(nowhere.text, "settlement_code").startswith("harada baş verdiyini göstərin")
    future_az = send(api, "/mine-accidents", "/mine-accidents", {**ACCIDENT, "occurred_on": "2099-01-01"}, **AZ)
    assert problem(future_az.text, "occurred_on").startswith("tarix bu gündən sonradır")
    assert entries(api) == before and count(api, MineAccident) == 0


def test_a_district_clerk_records_in_its_own_district_only(api: Api) -> None:
    log_in(api, Role.DATA_ENTRY)  # a clerk of Aghdam
    elsewhere = send(api, "/mine-accidents", "/mine-accidents", {**ACCIDENT, "settlement_code": "fuzuli-v",
                                                                 "hazard_area_code": ""})  # fmt: skip
    assert elsewhere.status_code == 403 and count(api, MineAccident) == 0
    assert send(api, "/mine-accidents", "/mine-accidents", ACCIDENT).status_code == 303
