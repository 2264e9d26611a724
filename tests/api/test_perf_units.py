"""Routes that do all their work in one trip to a worker thread (deps.Unit) keep the rules of the others: the rule is
checked before the route's work, a public one asks nobody's account, and every answer is as fresh as the last commit."""

from __future__ import annotations

from api_support import Api

from homecoming.accounts.roles import Role

SETTLEMENT = {"code": "new-v", "name": "New", "district_code": "aghdam", "kind": "village", "lat": 40, "lon": 47}


def test_a_public_list_asks_for_no_account_so_a_bad_token_changes_nothing(api: Api) -> None:
    plain = api.client.get("/api/settlements")
    odd = api.client.get("/api/settlements", headers={"Authorization": "Bearer not-a-token"})
    assert (plain.status_code, odd.status_code, odd.content) == (200, 200, plain.content)


def test_the_registrar_list_refuses_before_its_work_in_the_error_shape(api: Api) -> None:
    unknown = api.client.get("/api/households?district=nowhere", headers={"Authorization": "Bearer not-a-token"})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (401, "auth.bad_token")
    planner = api.client.get("/api/households?district=nowhere", headers=api.as_(Role.PLANNER))
    assert (planner.status_code, planner.json()["error"]["code"]) == (403, "auth.forbidden")
    registrar = api.client.get("/api/households?district=nowhere", headers=api.as_(Role.REGISTRAR))
    assert (registrar.status_code, registrar.json()["error"]["code"]) == (404, "districts.not_found")


def test_the_lists_show_a_change_as_soon_as_it_is_committed(api: Api) -> None:
    before = api.client.get("/api/settlements?district=aghdam").json()["total"]
    created = api.client.post("/api/settlements", json=SETTLEMENT, headers=api.as_(Role.PLANNER))
    assert created.status_code == 201
    assert api.client.get("/api/settlements?district=aghdam").json()["total"] == before + 1
    households = api.client.get("/api/households?status=waiting", headers=api.as_(Role.REGISTRAR)).json()
    code = households["items"][0]["code"]
    returned = api.client.post(
        f"/api/households/{code}/return", json={"on": "2026-05-01", "version": 1}, headers=api.as_(Role.REGISTRAR)
    )
    assert returned.status_code == 200
    after = api.client.get("/api/households?status=waiting", headers=api.as_(Role.REGISTRAR)).json()
    assert after["total"] == households["total"] - 1 and code not in {item["code"] for item in after["items"]}


def test_the_household_list_built_once_per_shape_pages_filters_and_sorts_as_asked(api: Api) -> None:
    def page(query: str) -> dict[str, object]:
        answer = api.client.get(f"/api/households?{query}", headers=api.as_(Role.REGISTRAR))
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    whole = page("district=aghdam")
    part = page("district=aghdam&limit=2&offset=1")
    assert (part["total"], part["items"]) == (whole["total"], whole["items"][1:3])  # type: ignore[index]
    by_size = page("sort=-size&limit=500")["items"]
    assert by_size == sorted(by_size, key=lambda item: (-item["size"], item["code"]))  # type: ignore[index]
    village = page("settlement=aghdam-v")
    assert village["total"] == whole["total"] and page("settlement=fuzuli-v")["total"] != village["total"]
    assert page("settlement=aghdam-v&status=returned")["total"] == 0
    refused = api.client.get("/api/households?sort=head_name", headers=api.as_(Role.REGISTRAR))
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "request.bad_sort")
