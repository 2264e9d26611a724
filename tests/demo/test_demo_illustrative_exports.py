"""The demo's illustrative records in the open data and on /money (issue 19, item 6): the exports leave them out
unless asked and then mark them; a registry table's CSV carries its `illustrative` column; /money says which figures
count a made-up contract, as the other pages label each made-up record."""

from __future__ import annotations

import csv
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from test_demo_illustrative import LABEL

from homecoming.accounts import service as accounts_service
from homecoming.accounts.models import User
from homecoming.config import Settings
from homecoming.demo import illustrative
from homecoming.interchange import actions as interchange
from homecoming.interchange import ocds, standards
from homecoming.server.app import create_app


def _client(engine: Engine) -> tuple[TestClient, dict[str, str]]:
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False), secret_key="test-secret")
    with Session(engine) as session:
        admin = session.scalars(select(User).where(User.username == "demo-admin")).one()
        token = accounts_service.issue_token(session, admin, "tests")
        session.commit()
    return TestClient(create_app(settings, engine=engine)), {"Authorization": f"Bearer {token}"}


def test_open_data_and_money_say_what_the_demo_made_up(
    engine: Engine, tmp_path: Path, illustrative_demo: list[illustrative.DemoAccount]
) -> None:
    client, admin = _client(engine)
    with client:
        left_out = client.get("/api/open-data/ocds.json")  # the demo's only tender is illustrative
        assert (left_out.status_code, left_out.json()["error"]["code"]) == (404, "ocds.nothing_to_publish")
        package = client.get("/api/open-data/ocds.json?include_illustrative=true").json()
        assert ocds.schema_errors(package) == []
        amended, release = package["releases"]  # the time extension's release, then the process's full one
        assert (amended["tag"], amended["illustrative"]) == (["contractAmendment"], True)
        assert (release["tender"]["id"], release["illustrative"]) == ("ILL-1", True)
        assert release["tender"]["description"] == standards.ILLUSTRATIVE_NOTE
        money = client.get("/money", headers={"accept": "text/html"}).text
        assert 'id="illustrative-money"' in money and money.count(LABEL) >= 3  # the note, a year, a source
        hazards = client.get("/forms/hazard-areas", headers={"accept": "text/html", **admin}).text
        assert hazards.count(LABEL) == 3 and "Rows 1–3 of 3" in hazards
    with Session(engine) as session:
        interchange.export_table(session, None, "hazard_areas", tmp_path / "hazard_areas.csv")
    with (tmp_path / "hazard_areas.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["illustrative"] for row in rows] == ["true", "true", "true"]
