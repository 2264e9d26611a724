"""`homecoming households members|add-member|change-member|remove-member` as a registrar runs them (both engines):
the same use-cases as /api/households/{code}/members, refusals named, nothing written on a refusal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select

from cli_support import fail, import_territory, run
from homecoming.accounts.models import User
from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.db import session as db_session
from homecoming.db.session import unit_of_work
from homecoming.households import actions
from homecoming.households.schemas import HouseholdCreate

CLERK = User(username="cli:test", role=Role.ADMIN)  # the command line's stand-in when no --as is given


def _household(tmp_path: Path, database: str) -> None:
    import_territory(tmp_path)
    data = HouseholdCreate(code="HH-1", origin_settlement_code="zabukh", head_name="Rəşad Həsənov", size=4,
                           rooms_needed=2, registered_on=dt.date(2024, 5, 1))  # fmt: skip
    with unit_of_work(db_session.get_engine(database)) as session:
        actions.register_household(session, CLERK, data)


def _entries(database: str) -> int:
    with unit_of_work(db_session.get_engine(database)) as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_a_registrar_lists_adds_and_removes_members(cli_database: str, tmp_path: Path) -> None:
    _household(tmp_path, cli_database)
    assert "HH-1: 0 member(s); household size 4" in run("households", "members", "HH-1")
    added = run("households", "add-member", "HH-1", "--given-name", "Rəşad", "--family-name", "Həsənov",
                "--born", "1961-04-09", "--sex", "male", "--document-type", "national_id", "--document-number",
                "AZE40917733", "--need", "chronic_illness", "--comment", "met at the office")  # fmt: skip
    assert "HH-1: member 1 added (HH-1/1); household size 1" in added
    run("households", "add-member", "HH-1", "--given-name", "Nərmin", "--family-name", "Həsənova",
        "--born", "2011-06-23", "--sex", "female", "--need", "disability", "--need", "separated_child")  # fmt: skip
    listed = run("households", "members", "HH-1")
    assert "Rəşad Həsənov" in listed and "national_id AZE40917733" in listed and "chronic_illness" in listed
    assert "disability, separated_child" in listed and "HH-1: 2 member(s); household size 2" in listed
    changed = run("households", "change-member", "HH-1", "1", "--given-name", "Rəşad", "--family-name", "Həsənov",
                  "--born", "1961-04-19", "--sex", "male", "--version", "1")  # fmt: skip
    assert "HH-1/1: changed; version 2; household size 2" in changed
    relisted = run("households", "members", "HH-1")
    assert "1961-04-19" in relisted and "AZE40917733" not in relisted  # the whole record: no document given
    assert "(household_members.stale_version)" in fail("households", "change-member", "HH-1", "1", "--given-name",
                                                       "R", "--family-name", "H", "--born", "1961-04-19", "--sex",
                                                       "male", "--version", "1")  # fmt: skip
    assert "(household_members.stale_version)" in fail("households", "remove-member", "HH-1", "2", "--version", "7")
    assert "HH-1: member 2 removed; household size 1" in run("households", "remove-member", "HH-1", "2",
                                                             "--version", "1")  # fmt: skip
    assert "1 member(s)" in run("households", "members", "HH-1")


def test_a_bad_member_is_refused_by_its_field_and_nothing_is_written(cli_database: str, tmp_path: Path) -> None:
    _household(tmp_path, cli_database)
    before = _entries(cli_database)
    future = fail("households", "add-member", "HH-1", "--given-name", "A", "--family-name", "B",
                  "--born", "2099-01-01", "--sex", "female")  # fmt: skip
    assert "(households.born_in_future)" in future
    half = fail("households", "add-member", "HH-1", "--given-name", "A", "--family-name", "B",
                "--born", "1990-01-01", "--sex", "female", "--document-number", "X1")  # fmt: skip
    assert "(input.invalid)" in half and "document_type" in half
    missing = fail("households", "add-member", "HH-9", "--given-name", "A", "--family-name", "B",
                   "--born", "1990-01-01", "--sex", "male")  # fmt: skip
    assert "HH-9" in missing
    assert _entries(cli_database) == before
    assert "0 member(s)" in run("households", "members", "HH-1")
