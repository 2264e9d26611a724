"""A list's answer is kept whole until the next committed change (`http.deps.Unit.kept`): a repeat runs none of the
list's queries, yet never shows one caller what another may see, never outlives a commit by anyone, and a
transaction that wrote keeps nothing. On both engines."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

from api_support import PASSWORD_HASH, Api
from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel
from sqlalchemy import Engine, event, select, update
from sqlalchemy.orm import Session

from homecoming.accounts import service as accounts
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.db import freshness, make_engine, unit_of_work
from homecoming.households.models import Household
from homecoming.http.deps import RequiresInUnit, Unit
from homecoming.mine_action.models import HazardArea
from homecoming.territory.models import District, Region
from homecoming.works.models import Project

SRC = Path(__file__).resolve().parents[2] / "src"


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL the app sends meanwhile."""
    sent: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _commit_elsewhere(api: Api, statement: object) -> None:
    """A change committed by a second engine, as a second server process or the CLI would."""
    other = make_engine(api.engine.url.render_as_string(hide_password=False))
    try:
        with unit_of_work(other) as session:
            session.execute(statement)  # type: ignore[call-overload]
    finally:
        other.dispose()


def test_a_repeated_list_request_runs_none_of_the_lists_queries(api: Api) -> None:
    for path, headers, table in (
        ("/api/households?district=aghdam&limit=2", api.as_(Role.REGISTRAR), "households"),
        ("/api/projects?sector=school", {}, "projects"),
        ("/api/hazard-areas", {}, "hazard_areas"),
        ("/api/audit?limit=3", api.as_(Role.ADMIN), "audit"),
        ("/api/budget-allocations", {}, "budget_allocations"),
        ("/api/price-lists", {}, "price_lists"),
        ("/api/bills-of-quantities", api.as_(Role.PLANNER), "bills_of_quantities"),
        ("/api/districts", {}, "districts"),
        ("/api/settlements", {}, "settlements"),
    ):
        first = api.client.get(path, headers=headers)
        with statements(api.engine) as sent:
            again = api.client.get(path, headers=headers)
        assert first.status_code == again.status_code == 200, first.text
        assert again.content == first.content and again.headers["content-type"] == "application/json"
        assert not [s for s in sent if f"FROM {table}" in s], sent


def test_the_query_s_order_between_names_shares_an_answer_and_a_repeated_name_reads_its_last(api: Api) -> None:
    registrar = api.as_(Role.REGISTRAR)
    one = api.client.get("/api/households?limit=2&offset=1&sort=code", headers=registrar).json()
    assert [item["code"] for item in one["items"]] == ["hh-01", "hh-02"]
    with statements(api.engine) as sent:
        other_order = api.client.get("/api/households?sort=code&offset=1&limit=2", headers=registrar).json()
    assert other_order == one and not [s for s in sent if "FROM households" in s]
    assert api.client.get("/api/households?limit=2&limit=3", headers=registrar).json()["limit"] == 3
    assert api.client.get("/api/households?limit=3&limit=2", headers=registrar).json()["limit"] == 2


def test_a_kept_list_still_refuses_whoever_may_not_see_it(api: Api) -> None:
    assert api.client.get("/api/households", headers=api.as_(Role.REGISTRAR)).status_code == 200  # kept now
    refused = api.client.get("/api/households", headers=api.as_(Role.PLANNER))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "auth.forbidden")
    anonymous = api.client.get("/api/households")
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "auth.required")
    assert api.client.get("/api/audit", headers=api.as_(Role.ADMIN)).status_code == 200
    assert api.client.get("/api/audit", headers=api.as_(Role.REGISTRAR)).status_code == 403


class Caller(BaseModel):
    role: str
    district: str | None


CALLER_RULE = RequiresInUnit(Role.DATA_ENTRY, Role.PLANNER)
CallerUnit = Annotated[Unit, Depends(CALLER_RULE)]
CALLER_ROUTES = APIRouter()


@CALLER_ROUTES.get("/api/test-kept-caller")
async def caller(unit: CallerUnit) -> Response:
    """A route whose answer is who asks (role and district), kept like the lists: the case a key must separate."""

    def answer(session: Session, user: User | None) -> Caller:
        assert user is not None
        return Caller(role=user.role.value, district=accounts.district_code(session, user))

    return await unit.kept(answer)


def test_two_roles_and_two_districts_get_their_own_answers(api: Api) -> None:
    api.client.app.include_router(CALLER_ROUTES)  # type: ignore[attr-defined]
    with Session(api.engine) as session:
        fuzuli = session.scalars(select(District.id).where(District.code == "fuzuli")).one()
        clerk = User(username="clerk-fuzuli", password_hash=PASSWORD_HASH, role=Role.DATA_ENTRY, district_id=fuzuli)
        session.add(clerk)
        session.flush()
        fuzuli_clerk = {"Authorization": f"Bearer {accounts.issue_token(session, clerk, 'tests')}"}
        session.commit()
    callers = [(api.as_(Role.DATA_ENTRY), {"role": "data_entry", "district": "aghdam"})]
    callers += [(fuzuli_clerk, {"role": "data_entry", "district": "fuzuli"})]
    callers += [(api.as_(Role.PLANNER), {"role": "planner", "district": None})]
    for _ in range(2):  # the second round from the cache: nothing was committed since the first
        for headers, expected in callers:
            assert api.client.get("/api/test-kept-caller", headers=headers).json() == expected


def test_a_commit_by_a_second_engine_changes_the_next_answer(api: Api) -> None:
    def names() -> list[str]:
        return [item["name"] for item in api.client.get("/api/projects?sort=code").json()["items"]]

    assert names() == names() == ["aghdam-school", "aghdam-water", "fuzuli-road"]
    _commit_elsewhere(api, update(Project).where(Project.code == "fuzuli-road").values(name="Fuzuli road"))
    assert names() == ["aghdam-school", "aghdam-water", "Fuzuli road"]

    def remaining() -> list[float]:
        return [item["remaining_area_m2"] for item in api.client.get("/api/hazard-areas").json()["items"]]

    assert remaining() == remaining() == [12_000]
    _commit_elsewhere(api, update(HazardArea).where(HazardArea.code == "cha-1").values(remaining_area_m2=5_000))
    assert remaining() == [5_000]


def test_a_commit_by_another_process_changes_the_next_answer(api: Api) -> None:
    registrar = api.as_(Role.REGISTRAR)

    def heads() -> list[str]:
        page = api.client.get("/api/households?settlement=fuzuli-v", headers=registrar).json()
        return [item["head_name"] for item in page["items"]]

    assert heads() == heads() == ["Person 6", "Person 7", "Person 8"]
    script = (
        "import sys\n"
        "from sqlalchemy import update\n"
        "from homecoming.db import make_engine, unit_of_work\n"
        "from homecoming.households.models import Household\n"
        "with unit_of_work(make_engine(sys.argv[1])) as session:\n"
        "    session.execute(update(Household).where(Household.code == 'hh-07').values(head_name='Renamed'))\n"
    )
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    url = api.engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", script, url], check=True, env=env, timeout=120)
    assert heads() == ["Person 6", "Renamed", "Person 8"]


def test_a_write_through_the_api_shows_in_the_next_answer_and_in_the_audit_trail(api: Api) -> None:
    def returns() -> list[str | None]:
        page = api.client.get("/api/households?settlement=fuzuli-v", headers=api.as_(Role.REGISTRAR)).json()
        return [item["returned_on"] for item in page["items"]]

    assert returns() == returns() == [None] * 3
    trail = api.client.get("/api/audit?limit=1", headers=api.as_(Role.ADMIN)).json()
    returned = api.client.post(
        "/api/households/hh-06/return", json={"on": "2026-05-01", "version": 1}, headers=api.as_(Role.REGISTRAR)
    )
    assert returned.status_code == 200, returned.text
    assert returns() == ["2026-05-01", None, None]
    after = api.client.get("/api/audit?limit=1", headers=api.as_(Role.ADMIN)).json()
    assert after["total"] == trail["total"] + 1 and after["items"][0]["record_code"] == "hh-06"


def test_a_transaction_that_wrote_keeps_no_answer(engine: Engine) -> None:
    computed: list[int] = []

    def answer() -> bytes:
        computed.append(1)
        return b"[]"

    with unit_of_work(engine) as session:
        session.add(Region(code="east", name="East"))
        session.flush()
        for _ in range(2):
            assert freshness.cached_answer(session, ("regions",), answer) == b"[]"
    assert len(computed) == 2
    for _ in range(2):  # nothing written: computed once, then kept
        with unit_of_work(engine) as session:
            assert freshness.cached_answer(session, ("regions",), answer) == b"[]"
    assert len(computed) == 3


def test_answers_are_kept_within_their_byte_budget_oldest_going_first() -> None:
    cache = freshness.FreshCache(size=10, budget_bytes=10)
    for key in ("a", "b", "c"):
        cache.get("state", key, lambda: b"1234")  # 4 bytes each: the third pushes out the first
    kept = {key: cache.get("state", key, lambda: b"new!") for key in ("b", "c", "a")}
    assert kept == {"b": b"1234", "c": b"1234", "a": b"new!"}
    assert cache.get("state", "huge", lambda: b"x" * 11) == b"x" * 11  # answered, larger than the budget: not kept
    assert cache.get("state", "c", lambda: b"gone") == b"1234"  # and it pushed nothing out
    assert cache.get("state", "huge", lambda: b"y" * 11) == b"y" * 11


def test_the_households_status_filter_reads_a_commit_made_elsewhere(api: Api) -> None:
    registrar = api.as_(Role.REGISTRAR)

    def returned() -> list[str]:
        page = api.client.get("/api/households?status=returned", headers=registrar).json()
        return [item["code"] for item in page["items"]]

    assert returned() == returned() == []
    _commit_elsewhere(api, update(Household).where(Household.code == "hh-03").values(returned_on=dt.date(2026, 1, 2)))
    assert returned() == ["hh-03"]
