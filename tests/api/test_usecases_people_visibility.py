"""Issue 17: who may read the household registry, and which small counts are withheld, is one answer whichever door
asks: the API, the pages and the command line (`--as`) call the same use-case (both engines)."""

from __future__ import annotations

from pathlib import Path

from api_support import PASSWORD, ROLES, Api
from test_plan_pages import make_run, rows
from typer.testing import CliRunner

from homecoming.accounts.roles import Role
from homecoming.cli.main import app as cli

WIDE = {"COLUMNS": "200"}


def log_in(api: Api, role: Role) -> None:
    api.client.post("/logout")
    if role != Role.PUBLIC:
        answer = api.client.post("/login", data={"username": role.value, "password": PASSWORD})
        assert answer.status_code == 200


def test_the_registry_is_read_by_the_same_roles_through_the_api_the_page_and_the_command_line(
    api: Api, cli_database: str, tmp_path: Path
) -> None:
    answers = {}
    for role in ROLES:
        through_api = api.client.get("/api/households/hh-00", headers=api.as_(role)).status_code == 200
        log_in(api, role)
        through_page = api.client.get("/registry/aghdam-v").status_code == 200
        out = tmp_path / f"{role.value}.csv"
        exported = CliRunner().invoke(cli, ["--as", role.value, "export", "households", str(out)], env=WIDE)
        answers[role] = (through_api, through_page, exported.exit_code == 0)
        if exported.exit_code:
            assert "auth.forbidden" in exported.output and not out.exists()
    readers = {Role.REGISTRAR, Role.ADMIN}
    assert answers == {role: (role in readers,) * 3 for role in ROLES}
    log_in(api, Role.PUBLIC)
    assert api.client.get("/api/households/hh-00").status_code == 401
    assert api.client.get("/registry/aghdam-v").status_code == 401


def cli_table(output: str, title: str) -> list[list[str]]:
    """The body rows of the Rich table under `title` in the command's output (cells split on its vertical bars)."""
    lines = output.split(title, 1)[1].splitlines()
    body = lines[next(i for i, line in enumerate(lines) if line.lstrip().startswith(("┡", "├"))) + 1 :]
    found = []
    for line in body:
        if line.lstrip().startswith("└"):
            break
        found.append([cell.strip() for cell in line.split("│")[1:-1]])
    return found


def test_a_plans_small_counts_are_withheld_alike_through_the_api_the_page_and_the_command_line(
    api: Api, cli_database: str
) -> None:
    make_run(api, "base")
    years = [[str(y["year"]), str(y["people"]), str(y["cumulative"])]
             for y in api.client.get("/api/plan-runs/base/people-home").json()]  # fmt: skip
    settled = api.client.get("/api/plan-runs/base/settlements?sort=ready_date").json()["items"]
    people = {s["settlement_code"]: s["people"] for s in settled}
    page = api.client.get("/plans/base").text
    shown = CliRunner().invoke(cli, ["--as", "viewer", "plan", "show", "base"], env=WIDE)
    assert shown.exit_code == 0, shown.output
    assert years == [["2027", "33", "33"]]
    assert [r[:3] for r in rows(page, "people-home")] == years
    assert [r[:3] for r in cli_table(shown.output, "People home per year")] == years
    assert people == {"aghdam-v": None, "fuzuli-v": None}  # Fuzuli's 3 households, and Aghdam beside it
    assert [r[3] for r in rows(page, "ready-dates")] == ["—", "<5"]  # the page says why: too few, or beside one
    assert [r[2] for r in cli_table(shown.output, "Forecast readiness")] == ["—", "—"]
    admin = CliRunner().invoke(cli, ["plan", "show", "base"], env=WIDE)  # the stand-in sees the same figures
    assert cli_table(admin.output, "Forecast readiness") == cli_table(shown.output, "Forecast readiness")
