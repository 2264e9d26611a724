"""Issue 22, item 4: mine accidents and victims through the API (both engines). Personal data (names, birth dates,
free text) reaches mine-action officers and admins only; a data-entry clerk, a viewer or a planner reads the record
without it and the public reads counts only; a refused accident writes nothing, not even an audit entry."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Api
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.mine_action.models import MineAccident, MineVictim

PERSONAL = ("name", "birth_date", "note")


def accident(code: str = "acc-1", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": code,
        "occurred_on": "2024-05-03",
        "settlement_code": "aghdam-v",
        "device_type": "ap_mine",
        "activity": "farming",
        "hazard_area_code": "cha-1",
        "description": "Ali Aliyev stepped on a mine while ploughing",
        "victims": [
            {"age_group": "adult", "sex": "male", "kind": "civilian", "outcome": "injured", "name": "Ali Aliyev",
             "birth_date": "1980-02-01", "note": "lost a foot"},
            {"age_group": "child", "sex": "female", "kind": "civilian", "outcome": "killed", "name": "Leyla Aliyeva",
             "birth_date": "2012-07-09"},
        ],
    }  # fmt: skip
    body.update(changes)
    return body


def counts(api: Api) -> tuple[int, int, int]:
    with Session(api.engine) as session:
        return (
            session.scalar(select(func.count()).select_from(MineAccident)) or 0,
            session.scalar(select(func.count()).select_from(MineVictim)) or 0,
            session.scalar(
                select(func.count()).select_from(AuditEntry).where(AuditEntry.table_name == "mine_accidents")
            )
            or 0,
        )


def test_an_officer_records_an_accident_and_reads_its_victims_names(api: Api) -> None:
    made = api.client.post("/api/mine-accidents", json=accident(), headers=api.as_(Role.MINE_ACTION_OFFICER))
    assert made.status_code == 201, made.text
    read = api.client.get("/api/mine-accidents/acc-1", headers=api.as_(Role.MINE_ACTION_OFFICER)).json()
    assert read["district_code"] == "aghdam" and read["hazard_area_code"] == "cha-1"
    assert (read["killed"], read["injured"], read["personal_data_shown"]) == (1, 1, True)
    assert [(v["number"], v["name"], v["outcome"]) for v in read["victims"]] == [
        (1, "Ali Aliyev", "injured"),
        (2, "Leyla Aliyeva", "killed"),
    ]
    assert read["description"].startswith("Ali Aliyev")
    assert counts(api) == (1, 2, 1)


@pytest.mark.parametrize("role", [Role.DATA_ENTRY, Role.VIEWER, Role.PLANNER])
def test_other_staff_read_accidents_without_any_personal_data(api: Api, role: Role) -> None:
    api.client.post("/api/mine-accidents", json=accident(), headers=api.as_(Role.MINE_ACTION_OFFICER))
    one = api.client.get("/api/mine-accidents/acc-1", headers=api.as_(role))
    listed = api.client.get("/api/mine-accidents", headers=api.as_(role))
    assert one.status_code == listed.status_code == 200
    for seen in (one.json(), listed.json()["items"][0]):
        assert seen["description"] is None and seen["personal_data_shown"] is False
        assert [{k: v[k] for k in PERSONAL} for v in seen["victims"]] == [dict.fromkeys(PERSONAL)] * 2
        assert [(v["age_group"], v["sex"], v["outcome"]) for v in seen["victims"]] == [
            ("adult", "male", "injured"),
            ("child", "female", "killed"),
        ]
    assert "Aliyev" not in one.text + listed.text


def test_the_public_and_companies_read_no_accident_record(api: Api) -> None:
    api.client.post("/api/mine-accidents", json=accident(), headers=api.as_(Role.MINE_ACTION_OFFICER))
    assert api.client.get("/api/mine-accidents").status_code == 401
    assert api.client.get("/api/mine-accidents/acc-1").status_code == 401
    for role in (Role.CONTRACTOR, Role.REGISTRAR, Role.ENUMERATOR):
        assert api.client.get("/api/mine-accidents/acc-1", headers=api.as_(role)).status_code == 403
    assert "Aliyev" not in api.client.get("/api/mine-casualties").text


def test_a_district_clerk_records_in_its_district_and_never_reads_back_the_names_it_sent(api: Api) -> None:
    made = api.client.post("/api/mine-accidents", json=accident(), headers=api.as_(Role.DATA_ENTRY))
    assert made.status_code == 201, made.text
    assert made.json()["victims"][0]["name"] is None and "Aliyev" not in made.text
    elsewhere = accident("acc-2", settlement_code="fuzuli-v", hazard_area_code=None)
    refused = api.client.post("/api/mine-accidents", json=elsewhere, headers=api.as_(Role.DATA_ENTRY))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "auth.other_district"
    assert counts(api) == (1, 2, 1)


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        (
            {
                "victims": [
                    {"kind": "civilian", "outcome": "injured"},
                    {"kind": "civilian", "outcome": "killed", "birth_date": "2024-06-01"},
                ]
            },
            "mine_action.born_after_accident",
            "victims[1].birth_date",
        ),
        (
            {"victims": [{"kind": "civilian", "outcome": "killed", "age_group": "adult", "birth_date": "2012-07-09"}]},
            "mine_action.age_group_disagrees",
            "victims[0].age_group",
        ),
        ({"occurred_on": "2099-01-01"}, "mine_action.accident_in_future", "occurred_on"),
        ({"settlement_code": "fuzuli-v"}, "mine_action.hazard_area_elsewhere", "hazard_area_code"),
    ],
)
def test_a_refused_accident_says_what_and_where_and_writes_nothing(
    api: Api, changes: dict[str, Any], code: str, field: str
) -> None:
    answer = api.client.post("/api/mine-accidents", json=accident(**changes), headers=api.as_(Role.MINE_ACTION_OFFICER))
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert (error["code"], error["details"]["field"]) == (code, field)
    assert field.split(".")[-1] in error["message"] or field in error["message"]
    assert counts(api) == (0, 0, 0)


def test_an_accident_without_a_place_or_victims_is_refused_by_the_schema(api: Api) -> None:
    officer = api.as_(Role.MINE_ACTION_OFFICER)
    nowhere = api.client.post("/api/mine-accidents", json=accident(settlement_code=None), headers=officer)
    assert nowhere.status_code == 422 and "say where it happened" in nowhere.text
    no_victims = api.client.post("/api/mine-accidents", json=accident(victims=[]), headers=officer)
    assert no_victims.status_code == 422 and "victims" in no_victims.text
    point = accident("acc-3", settlement_code=None, district_code="aghdam", lat=40.01, lon=46.91)
    assert api.client.post("/api/mine-accidents", json=point, headers=officer).status_code == 201
    assert counts(api) == (1, 2, 1)


def test_public_casualty_counts_withhold_small_cells_and_officers_read_them_exact(api: Api) -> None:
    officer = api.as_(Role.MINE_ACTION_OFFICER)
    injured = {"kind": "civilian", "outcome": "injured"}
    killed = {"kind": "deminer", "outcome": "killed"}
    for code, day, victims in (
        ("a-2023", "2023-04-01", [killed, killed] + [injured] * 6),
        ("a-2024", "2024-04-01", [killed] * 7 + [injured] * 9),
    ):
        body = accident(code, occurred_on=day, victims=victims, hazard_area_code=None)
        assert api.client.post("/api/mine-accidents", json=body, headers=officer).status_code == 201

    def table(headers: dict[str, str]) -> list[tuple[Any, ...]]:
        answer = api.client.get("/api/mine-casualties", headers=headers).json()
        rows = [*answer["recorded_by_year"], answer["recorded_total"]]
        return [(r["year"], *((r[c]["value"], r[c]["small"]) for c in ("killed", "injured", "total"))) for r in rows]

    assert (
        table({})
        == table(api.as_(Role.DATA_ENTRY))
        == [
            (2023, (None, True), (None, False), (8, False)),  # 2 killed: small; the injured then follow
            (2024, (None, False), (None, False), (16, False)),  # complements: else 9 - 7 gives 2023's 2
            (None, (9, False), (15, False), (24, False)),
        ]
    )
    assert table(officer) == [
        (2023, (2, False), (6, False), (8, False)),
        (2024, (7, False), (9, False), (16, False)),
        (None, (9, False), (15, False), (24, False)),
    ]
