"""`homecoming grievances list|answer|escalate` as a clerk runs them (both engines)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cli_support import fail, import_territory, run
from homecoming.db import session as db_session
from homecoming.db.session import unit_of_work
from homecoming.grievances import actions
from homecoming.grievances.models import GrievanceCategory
from homecoming.grievances.schemas import GrievanceCreate

FILED = dt.datetime(2020, 1, 1)  # long overdue by the command line's clock


def test_a_clerk_lists_answers_and_escalates(cli_database: str, tmp_path: Path) -> None:
    import_territory(tmp_path)
    data = GrievanceCreate(about="settlement:zabukh", category=GrievanceCategory.COMPLAINT, text="No bus",
                           contact="055 111")  # fmt: skip
    with unit_of_work(db_session.get_engine(cli_database)) as session:
        code = actions.file_grievance(session, None, data, now=FILED, service_days={"default": 14}).tracking_code
    listed = run("grievances", "list", "--status", "open")
    assert code in listed and "settlement:zabukh" in listed and "055 111" in listed and "1 grievance(s)" in listed
    assert "1 grievance(s) escalated" in run("grievances", "escalate")
    assert "0 grievance(s) escalated" in run("grievances", "escalate")  # idempotent
    assert "escalated" in run("grievances", "list", "--district", "lachin")
    assert "(grievances.stale_version)" in fail("grievances", "answer", code, "--response", "Bus from May.",
                                                "--version", "1")  # fmt: skip
    assert f"answered {code} (version 3)" in run("grievances", "answer", code, "--response", "Bus from May.",
                                                 "--version", "2")  # fmt: skip
    assert "0 grievance(s)" in run("grievances", "list", "--status", "open")
