"""Each role against each kind of route, through real requests with bearer tokens."""

from __future__ import annotations

from api_support import PASSWORD, ROLES, Api

from homecoming.accounts.roles import Role


def _statuses(api: Api, method: str, path: str, **kwargs: object) -> dict[Role, int]:
    return {
        role: api.client.request(method, path, headers=api.as_(role), **kwargs).status_code  # type: ignore[arg-type]
        for role in [Role.PUBLIC, *ROLES]
    }


def test_only_registrars_and_admins_see_households(api: Api) -> None:
    statuses = _statuses(api, "GET", "/api/households")
    assert statuses == {
        role: 200 if role in {Role.REGISTRAR, Role.ADMIN} else 401 if role == Role.PUBLIC else 403 for role in statuses
    }
    refused = api.client.get("/api/households/hh-00", headers=api.as_(Role.PLANNER)).json()
    assert refused["error"]["code"] == "auth.forbidden"
    assert "registrar" in refused["error"]["details"]["allowed"]


def test_public_reads_reference_data_but_staff_only_return_events(api: Api) -> None:
    assert set(_statuses(api, "GET", "/api/settlements").values()) == {200}
    assert set(_statuses(api, "GET", "/api/projects").values()) == {200}
    assert set(_statuses(api, "GET", "/api/hazard-areas").values()) == {200}
    assert set(_statuses(api, "GET", "/api/returns/progress").values()) == {200}
    events = _statuses(api, "GET", "/api/return-events")
    assert events.pop(Role.PUBLIC) == 401
    assert events.pop(Role.CONTRACTOR) == 403  # a company's account sees no programme-internal records
    assert events.pop(Role.ENUMERATOR) == 403  # nor does a field account, which only sends forms (/odk)
    assert set(events.values()) == {200}


def test_only_mine_action_officers_record_hazard_areas(api: Api) -> None:
    created = []
    for role in [Role.PUBLIC, *ROLES]:
        body = {
            "code": f"sha-{role.value}",
            "classification": "SHA",
            "estimated_area_m2": 500,
            "district_code": "fuzuli",
        }
        response = api.client.post("/api/hazard-areas", json=body, headers=api.as_(role))
        if response.status_code == 201:
            created.append(role)
    assert created == [Role.MINE_ACTION_OFFICER, Role.ADMIN]


def test_audit_trail_and_accounts_are_for_admins(api: Api) -> None:
    assert _statuses(api, "GET", "/api/audit") == {
        role: 200 if role == Role.ADMIN else 401 if role == Role.PUBLIC else 403 for role in [Role.PUBLIC, *ROLES]
    }
    body = {"username": "new.viewer", "password": "long-enough-pass", "role": "viewer"}
    assert api.client.post("/api/users", json=body, headers=api.as_(Role.PLANNER)).status_code == 403
    made = api.client.post("/api/users", json=body, headers=api.as_(Role.ADMIN))
    assert made.status_code == 201, made.text
    assert made.json() == {
        "username": "new.viewer",
        "role": "viewer",
        "district_code": None,
        "active": True,
        "locked": False,
    }


def test_data_entry_changes_only_its_own_district_and_nothing_stays_behind(api: Api) -> None:
    own = {"code": "aghdam-power", "name": "Power line", "sector": "power", "stage": 1, "settlement_code": "aghdam-v"}
    other = {**own, "code": "fuzuli-power", "settlement_code": "fuzuli-v"}
    assert api.client.post("/api/projects", json=own, headers=api.as_(Role.DATA_ENTRY)).status_code == 201
    refused = api.client.post("/api/projects", json=other, headers=api.as_(Role.DATA_ENTRY))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "auth.other_district"
    # the project was written and flushed before the district check refused it: the whole request rolled back
    assert api.client.get("/api/projects/fuzuli-power").status_code == 404
    assert api.client.get("/api/audit?table=projects", headers=api.as_(Role.ADMIN)).json()["total"] == 1


def test_tokens_come_from_a_password_and_a_bad_token_is_refused(api: Api) -> None:
    wrong = api.client.post("/api/auth/token", json={"username": "planner", "password": "not-it"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "auth.bad_credentials"
    unknown = api.client.post("/api/auth/token", json={"username": "nobody", "password": PASSWORD})
    assert unknown.json()["error"]["code"] == "auth.bad_credentials"
    token = api.client.post("/api/auth/token", json={"username": "planner", "password": PASSWORD}).json()["token"]
    me = api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    expected = {"username": "planner", "role": "planner", "district_code": None, "active": True, "locked": False}
    assert me.json() == expected
    bad = api.client.get("/api/auth/me", headers={"Authorization": "Bearer forged"})
    assert (bad.status_code, bad.json()["error"]["code"]) == (401, "auth.bad_token")
    data_entry = api.client.get("/api/auth/me", headers=api.as_(Role.DATA_ENTRY)).json()
    assert data_entry["district_code"] == "aghdam"


def test_a_revoked_token_no_longer_works(api: Api) -> None:
    headers = api.as_(Role.VIEWER)
    assert api.client.post("/api/auth/revoke", headers=headers).status_code == 204
    after = api.client.get("/api/auth/me", headers=headers)
    assert (after.status_code, after.json()["error"]["code"]) == (401, "auth.bad_token")
    assert api.client.get("/api/auth/me", headers=api.as_(Role.PLANNER)).status_code == 200
