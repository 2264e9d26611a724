"""What the list endpoints keep between requests (a token's owner, the audit trail's count) is never staler than the
last commit: a change made by another connection counts from the very next request, on both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from api_support import Api
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from homecoming.accounts import service as accounts
from homecoming.accounts.models import ApiToken, Role, User
from homecoming.households.models import Household
from homecoming.territory.models import Settlement
from homecoming.works.models import Project, Sector

REGISTRY = "/api/households?district=aghdam"


def test_a_token_revoked_elsewhere_is_refused_on_the_next_request(api: Api) -> None:
    assert api.client.get(REGISTRY, headers=api.as_(Role.REGISTRAR)).status_code == 200  # its owner now kept
    with Session(api.engine) as session:  # another connection, as a second server process or the CLI would
        assert accounts.revoke_token(session, api.tokens[Role.REGISTRAR])
        session.commit()
    refused = api.client.get(REGISTRY, headers=api.as_(Role.REGISTRAR))
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "auth.bad_token")


def test_a_deactivated_account_or_a_new_role_counts_from_the_next_request(api: Api) -> None:
    assert api.client.get(REGISTRY, headers=api.as_(Role.REGISTRAR)).status_code == 200
    with Session(api.engine) as session:
        session.execute(update(User).where(User.username == Role.REGISTRAR.value).values(role=Role.VIEWER))
        session.commit()
    demoted = api.client.get(REGISTRY, headers=api.as_(Role.REGISTRAR))
    assert (demoted.status_code, demoted.json()["error"]["code"]) == (403, "auth.forbidden")
    with Session(api.engine) as session:
        session.execute(update(User).where(User.username == Role.REGISTRAR.value).values(active=False))
        session.commit()
    refused = api.client.get(REGISTRY, headers=api.as_(Role.REGISTRAR))
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "auth.bad_token")


def test_a_token_stops_at_its_expiry_though_nothing_was_committed(api: Api) -> None:
    assert api.client.get(REGISTRY, headers=api.as_(Role.REGISTRAR)).status_code == 200
    with Session(api.engine) as session:
        expiry = session.scalars(
            select(ApiToken.expires_at).where(ApiToken.token_sha256 == accounts.digest(api.tokens[Role.REGISTRAR]))
        ).one()
    app = api.client.app
    app.state.clock = lambda: expiry - dt.timedelta(seconds=1)  # type: ignore[attr-defined]
    assert api.client.get(REGISTRY, headers=api.as_(Role.REGISTRAR)).status_code == 200
    app.state.clock = lambda: expiry  # type: ignore[attr-defined]
    refused = api.client.get(REGISTRY, headers=api.as_(Role.REGISTRAR))
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "auth.bad_token")


def test_the_account_a_write_acts_as_is_the_one_the_token_names(api: Api) -> None:
    """The owner comes from the cache attached to the request's session: a write made with it is audited as them."""
    for _ in range(2):
        assert api.client.get(REGISTRY, headers=api.as_(Role.PLANNER)).status_code == 403  # cached: a planner
    settlement = {"code": "new-v", "name": "New", "district_code": "aghdam", "kind": "village", "lat": 40, "lon": 47}
    assert api.client.post("/api/settlements", json=settlement, headers=api.as_(Role.PLANNER)).status_code == 201
    trail = api.client.get("/api/audit?record=new-v", headers=api.as_(Role.ADMIN)).json()
    assert [(item["username"], item["action"]) for item in trail["items"]] == [(Role.PLANNER.value, "create")]


def test_the_audit_trail_total_counts_a_write_from_the_next_request(api: Api) -> None:
    before = api.client.get("/api/audit", headers=api.as_(Role.ADMIN)).json()["total"]
    assert api.client.get("/api/audit", headers=api.as_(Role.ADMIN)).json()["total"] == before  # kept
    answer = api.client.post(
        "/api/households/hh-00/return", json={"on": "2026-05-01", "version": 1}, headers=api.as_(Role.REGISTRAR)
    )
    assert answer.status_code == 200
    after = api.client.get("/api/audit", headers=api.as_(Role.ADMIN)).json()
    assert after["total"] == before + 1 and after["items"][0]["record_code"] == "hh-00"


def test_a_listed_household_is_exactly_its_own_record(api: Api) -> None:
    """The list serialises plain rows in the model's field order; each item is what GET /api/households/{code}
    answers for it."""
    listed = api.client.get("/api/households?limit=500", headers=api.as_(Role.REGISTRAR)).json()["items"]
    assert len(listed) == 9
    for item in listed:
        one = api.client.get(f"/api/households/{item['code']}", headers=api.as_(Role.REGISTRAR))
        assert list(item.items()) == list(one.json().items())


def _move(api: Api, statement: Any) -> None:
    with Session(api.engine) as session:  # another connection, as a second server process or the CLI would
        session.execute(statement)
        session.commit()


def test_a_page_past_the_end_is_empty_and_shows_a_record_committed_elsewhere_next(api: Api) -> None:
    """A page that starts at or after the total costs no page query; the total it trusts is as fresh as the last
    commit, so a record another connection moves into the list is on that page from the next request."""
    registrar = api.as_(Role.REGISTRAR)
    end = api.client.get("/api/households?settlement=fuzuli-v&offset=3", headers=registrar).json()
    assert (end["total"], end["items"]) == (3, [])
    aghdam, fuzuli = (
        select(Settlement.id).where(Settlement.code == code).scalar_subquery() for code in ("aghdam-v", "fuzuli-v")
    )
    _move(api, update(Household).where(Household.code == "hh-05").values(origin_settlement_id=fuzuli))
    moved = api.client.get("/api/households?settlement=fuzuli-v&offset=3", headers=registrar).json()
    assert (moved["total"], [item["code"] for item in moved["items"]]) == (4, ["hh-08"])  # in id order: hh-05 first
    whole = api.client.get("/api/households?settlement=fuzuli-v", headers=registrar).json()["items"]
    assert [item["code"] for item in whole] == ["hh-05", "hh-06", "hh-07", "hh-08"]
    projects = api.client.get("/api/projects?settlement=aghdam-v&offset=2").json()
    assert (projects["total"], projects["items"]) == (2, [])
    _move(api, update(Project).where(Project.code == "fuzuli-road").values(settlement_id=aghdam))
    projects = api.client.get("/api/projects?settlement=aghdam-v&offset=2").json()
    assert (projects["total"], [item["code"] for item in projects["items"]]) == (3, ["fuzuli-road"])


def test_an_empty_list_shows_the_first_record_committed_elsewhere_next(api: Api) -> None:
    assert api.client.get("/api/projects?sector=power").json() == {"total": 0, "limit": 50, "offset": 0, "items": []}
    _move(api, update(Project).where(Project.code == "aghdam-water").values(sector=Sector.POWER))
    listed = api.client.get("/api/projects?sector=power").json()
    assert (listed["total"], [item["code"] for item in listed["items"]]) == (1, ["aghdam-water"])
