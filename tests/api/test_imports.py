"""Registry imports through the API: an upload becomes an `import` job, a worker writes all its rows or none."""

from __future__ import annotations

import functools
import io
import time
import zipfile
from typing import Any

from api_support import Api
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_job_runs import POLL_LIMIT_S, error

from homecoming.accounts.roles import Role
from homecoming.audit.models import AuditEntry
from homecoming.households.models import Household
from homecoming.interchange.files import MAX_XLSX_UNPACKED_BYTES
from homecoming.jobs.models import JobFile
from homecoming.jobs.worker import Worker
from homecoming.territory.models import Settlement

HEADER = "code,origin_settlement_code,head_name,size,rooms_needed,registered_on\n"
# hh-00 as seeded (unchanged), hh-01 one person larger (updated), hh-20 new (added).
GOOD = HEADER + (
    "hh-00,aghdam-v,Person 0,4,2,2023-01-01\nhh-01,aghdam-v,Person 1,5,2,2023-01-01\n"
    "hh-20,fuzuli-v,New,3,1,2024-02-03\n"
)
# Three bad rows (a size that is no number, an unknown settlement, a missing name), one good row between them.
BAD = HEADER + (
    "hh-21,aghdam-v,Ok,3,1,2024-01-01\nhh-22,aghdam-v,Bad size,many,1,2024-01-01\n"
    "hh-23,nowhere,Lost,3,1,2024-01-01\nhh-24,aghdam-v,,3,1,2024-01-01\n"
)


def upload(api: Api, table: str, name: str, content: bytes | str, role: Role = Role.REGISTRAR) -> Any:
    data = content.encode() if isinstance(content, str) else content
    return api.client.post(f"/api/imports/{table}", files={"file": (name, data)}, headers=api.as_(role))


def queued(api: Api, table: str, name: str, content: bytes | str, role: Role = Role.REGISTRAR) -> dict[str, Any]:
    response = upload(api, table, name, content, role)
    assert response.status_code == 202, response.text
    assert response.headers["location"] == f"/api/jobs/{response.json()['code']}"
    return dict(response.json())


def finished(api: Api, code: str, role: Role = Role.REGISTRAR) -> dict[str, Any]:
    deadline = time.monotonic() + POLL_LIMIT_S
    while True:
        job = api.client.get(f"/api/jobs/{code}", headers=api.as_(role)).json()
        if job["status"] in ("done", "failed", "cancelled") or time.monotonic() > deadline:
            return dict(job)
        time.sleep(0.1)


def households(api: Api) -> dict[str, tuple[str, int]]:
    with Session(api.engine) as session:
        return {h.code: (h.head_name, h.size) for h in session.scalars(select(Household))}


def kept_files(api: Api) -> int:
    with Session(api.engine) as session:
        return session.scalar(select(func.count()).select_from(JobFile)) or 0


def import_entries(api: Api) -> list[AuditEntry]:
    with Session(api.engine) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "import")))


def test_a_registrar_imports_households_through_a_worker_with_the_report_and_one_audit_entry(
    api: Api, job_worker: Worker
) -> None:
    job = queued(api, "households", "households.csv", GOOD)
    assert (job["kind"], job["status"], job["code"].startswith("import-households-")) == ("import", "queued", True)
    done = finished(api, job["code"])
    assert (done["status"], done["error_code"], done["percent"]) == ("done", None, 100), done
    assert done["result"] == {"table": "households", "file": "households.csv", "rows": 3, "added": 1, "updated": 1,
                              "unchanged": 1}  # fmt: skip
    assert done["message"] == ("households: 3 rows read from households.csv — 1 added, 1 updated, 1 unchanged")
    rows = households(api)
    assert (rows["hh-00"], rows["hh-01"], rows["hh-20"]) == (("Person 0", 4), ("Person 1", 5), ("New", 3))
    assert len(rows) == 10
    [entry] = import_entries(api)  # one entry for the file, not one per row
    assert (entry.username, entry.table_name, entry.record_code) == ("registrar", "households", job["code"])
    assert entry.user_id is not None
    assert entry.after is not None
    assert {k: entry.after[k] for k in ("file", "rows", "added", "updated", "unchanged")} == {
        "file": "households.csv", "rows": 3, "added": 1, "updated": 1, "unchanged": 1,
    }  # fmt: skip
    assert kept_files(api) == 0  # the upload is gone with the job's ending


def test_an_xlsx_upload_imports_like_a_csv_and_a_path_in_its_name_is_dropped(api: Api, job_worker: Worker) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "name", "district_code", "kind"])
    sheet.append(["aghdam-town", "Aghdam town", "aghdam", "town"])
    content = io.BytesIO()
    book.save(content)
    job = queued(api, "settlements", "../../etc/C:\\tmp\\settlements.xlsx", content.getvalue(), Role.PLANNER)
    done = finished(api, job["code"], Role.PLANNER)
    assert done["status"] == "done", done
    assert done["result"] == {"table": "settlements", "file": "settlements.xlsx", "rows": 1, "added": 1,
                              "updated": 0, "unchanged": 0}  # fmt: skip
    with Session(api.engine) as session:
        assert session.scalars(select(Settlement.name).where(Settlement.code == "aghdam-town")).one() == "Aghdam town"


def test_a_bad_file_fails_the_job_with_every_bad_row_and_leaves_the_table_as_it_was(
    api: Api, job_worker: Worker
) -> None:
    before = households(api)
    job = queued(api, "households", "bad.csv", BAD)
    failed = finished(api, job["code"])
    assert (failed["status"], failed["error_code"]) == ("failed", "import.rejected"), failed
    assert failed["message"].startswith("bad.csv: 3 problem(s) found, nothing was imported into households")
    assert (failed["result"]["table"], failed["result"]["error_count"]) == ("households", 3)
    assert [(e["row"], e["column"]) for e in failed["result"]["errors"]] == [
        (3, "size"), (4, "origin_settlement_code"), (5, "head_name"),
    ]  # fmt: skip
    assert households(api) == before  # not even hh-21, the good row
    # The bad rows may quote a household's values: the public and a planner see only the status, the registrar all.
    for role in (Role.PUBLIC, Role.PLANNER):
        seen = api.client.get(f"/api/jobs/{job['code']}", headers=api.as_(role)).json()
        assert (seen["status"], seen["error_code"], seen["message"], seen["result"]) == (
            "failed", "import.rejected", None, None,
        )  # fmt: skip
        page = api.client.get(f"/jobs/{job['code']}", headers=api.as_(role) | {"accept": "text/html"}).text
        assert "import.rejected" in page and "problem(s) found" not in page  # the job page keeps the same rule
    registrar_page = api.client.get(f"/jobs/{job['code']}", headers=api.as_(Role.REGISTRAR)).text
    assert "3 problem(s) found" in registrar_page
    listed = api.client.get("/api/jobs?kind=import", headers=api.as_(Role.ADMIN)).json()["items"]
    assert listed[0]["result"] == failed["result"]
    assert import_entries(api) == []
    assert kept_files(api) == 0


def test_each_table_is_imported_only_by_the_roles_that_write_it(api: Api) -> None:
    may = {(role, table): upload(api, table, f"{table}.csv", "code\n", role).status_code
           for role in (Role.PUBLIC, Role.VIEWER, Role.DATA_ENTRY, Role.PLANNER, Role.REGISTRAR,
                        Role.MINE_ACTION_OFFICER, Role.CONTRACTOR, Role.ADMIN)
           for table in ("households", "settlements", "hazard_areas")}  # fmt: skip
    accepted = sorted((str(role), table) for (role, table), status in may.items() if status == 202)
    assert accepted == [
        ("admin", "hazard_areas"), ("admin", "households"), ("admin", "settlements"),
        ("mine_action_officer", "hazard_areas"), ("planner", "hazard_areas"), ("planner", "settlements"),
        ("registrar", "households"),
    ]  # fmt: skip
    assert {status for status in may.values() if status != 202} == {401, 403}
    refused = upload(api, "households", "households.csv", GOOD, Role.PLANNER)
    assert error(refused) == (403, "auth.forbidden")
    assert refused.json()["error"]["details"] == {"role": "planner", "allowed": ["admin", "registrar"],
                                                  "table": "households"}  # fmt: skip
    assert kept_files(api) == len(accepted)  # each queued job keeps its file until it ends
    code = api.client.get("/api/jobs?kind=import", headers=api.as_(Role.ADMIN)).json()["items"][0]["code"]
    assert api.client.post(f"/api/jobs/{code}/cancel", headers=api.as_(Role.PLANNER)).status_code == 200
    assert kept_files(api) == len(accepted) - 1  # a cancelled job's file goes at once


def test_an_unknown_table_or_a_file_that_is_not_what_it_claims_is_refused_at_the_request(api: Api) -> None:
    cases = [
        ("people", "people.csv", GOOD, "import.unknown_table"),
        ("households", "households.txt", GOOD, "import.unsupported_format"),
        ("households", "households", GOOD, "import.unsupported_format"),
        ("households", "households.xlsx", GOOD, "import.bad_file"),  # a CSV named .xlsx
        ("households", "households.xlsx", b"PK\x03\x04 not really a zip", "import.bad_file"),
        ("households", "households.csv", "\ufeff\n  \n", "import.empty_file"),
        ("households", "households.csv", GOOD.encode("utf-16"), "import.bad_file"),
        ("households", "households.csv", b"code\x00\n", "import.bad_file"),
    ]
    for table, name, content, code in cases:
        response = upload(api, table, name, content)
        assert response.status_code == 422, (name, content, response.text)
        assert error(response) == (422, code), (name, response.text)
        assert set(response.json()["error"]) == {"code", "message", "details"}
    no_file = api.client.post("/api/imports/households", data={"comment": "x"}, headers=api.as_(Role.REGISTRAR))
    assert error(no_file) == (422, "import.no_file")
    assert api.client.get("/api/jobs?kind=import").json()["total"] == 0
    assert kept_files(api) == 0


@functools.cache
def zip_bomb() -> bytes:
    """A small .xlsx whose one sheet unpacks to more than any workbook may (zeros compress about 1000 to 1)."""
    out = io.BytesIO()
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(MAX_XLSX_UNPACKED_BYTES // len(zeros) + 1):
            member.write(zeros)
    return out.getvalue()


def test_an_upload_over_the_limit_and_a_zip_bomb_are_refused_unread(api: Api) -> None:
    settings = api.client.app.state.settings  # type: ignore[attr-defined]
    api.client.app.state.settings = settings.model_copy(update={"max_import_bytes": 10_000})  # type: ignore[attr-defined]
    big = HEADER + "hh-99,aghdam-v,Someone,3,1,2024-01-01\n" * 2_000
    response = upload(api, "households", "big.csv", big)
    assert error(response) == (413, "import.file_too_large")
    assert response.json()["error"]["details"] == {"max_bytes": 10_000}

    def chunks() -> Any:  # no Content-Length: the body is counted as it comes
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
        for _ in range(100):
            yield b"x" * 1000
        yield b"\r\n--b--\r\n"

    multipart = {"content-type": "multipart/form-data; boundary=b"}
    chunked = api.client.post("/api/imports/households", content=chunks(), headers=api.as_(Role.REGISTRAR) | multipart)
    assert error(chunked) == (413, "import.file_too_large")
    api.client.app.state.settings = settings  # type: ignore[attr-defined]
    bomb = zip_bomb()
    assert len(bomb) < settings.max_import_bytes
    refused = upload(api, "households", "households.xlsx", bomb)
    assert error(refused) == (422, "import.file_too_large")
    assert refused.json()["error"]["details"]["unpacked_bytes"] > MAX_XLSX_UNPACKED_BYTES
    assert kept_files(api) == 0


def test_a_zip_that_is_no_workbook_fails_its_job_with_bad_file_and_writes_nothing(api: Api, job_worker: Worker) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("notes.txt", "not a workbook")
    job = queued(api, "settlements", "settlements.xlsx", archive.getvalue(), Role.PLANNER)  # a ZIP: passes the door
    failed = finished(api, job["code"], Role.PLANNER)
    assert (failed["status"], failed["error_code"]) == ("failed", "import.bad_file"), failed
    assert failed["result"] == {"file": "settlements.xlsx"}
    assert kept_files(api) == 0
