"""The staff's grievance queue page (both engines): each answering role sees the grievances routed to it and answers
them through the same use-case as the API; other roles are refused; a stale version shows the current answer; the
contact only where the domain's rule shows it; the Azerbaijani page has no English left."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from api_support import PASSWORD, Api
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.files.store import FolderStore
from homecoming.grievances.models import Grievance

T0 = dt.datetime(2026, 3, 2, 9, 0)
AZ = {"accept-language": "az-AZ,az;q=0.9"}
CONTACT = "call 555 0101"
# Every sentence of the queue page an English reader sees (and an Azerbaijani one must not).
ENGLISH = ("Grievances to answer", "Publish the answer", "How to reach the filer", "Rows per page", "overdue",
           "given, but shown only to the office it was routed to", "Tracking code", "Settlement", "The grievances "
           "routed to your role.")  # fmt: skip


@pytest.fixture
def queue(api: Api) -> Api:
    api.client.app.state.clock = lambda: T0  # type: ignore[attr-defined]
    api.client.app.state.settings.grievance_filings_per_hour = 100  # type: ignore[attr-defined]
    return api


def file(api: Api, about: str, category: str = "complaint", text: str = "The well is dry") -> str:
    body = {"about": about, "category": category, "text": text, "contact": CONTACT}
    response = api.client.post("/api/grievances", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["tracking_code"])


def log_in(api: Api, role: Role) -> None:
    api.client.post("/logout")
    answer = api.client.post("/login", data={"username": role.value, "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 303


def card(page: str, code: str) -> str:
    start = page.index(f'data-grievance="{code}"')
    return page[start : page.index("</article>", start)]


def answer(api: Api, page: str, code: str, response: str, version: str | None = None) -> tuple[int, str]:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    shown = re.search(r'name="version" value="(\d+)"', card(page, code))
    assert token is not None and shown is not None
    posted = api.client.post(f"/grievances/queue/{code}/answer", follow_redirects=False,
                             data={"csrf_token": token.group(1), "version": version or shown.group(1),
                                   "response": response})  # fmt: skip
    return posted.status_code, posted.text


def test_the_routed_role_sees_its_grievances_and_answers_them(queue: Api) -> None:
    mine = file(queue, "settlement:aghdam-v", text="No water since May")  # the Aghdam clerk's
    file(queue, "project:fuzuli-road", "safety")  # the planner's
    log_in(queue, Role.DATA_ENTRY)
    page = queue.client.get("/grievances/queue")
    assert page.status_code == 200 and 'href="/grievances/queue"' in page.text
    assert re.findall(r'data-grievance="([^"]+)"', page.text) == [mine]
    shown = card(page.text, mine)
    assert "No water since May" in shown and CONTACT in shown and "Aghdam-V" in shown and "overdue" not in shown
    status, _ = answer(queue, page.text, mine, "The pipe is repaired on 9 March.")
    assert status == 303
    public = queue.client.get(f"/api/grievances/{mine}").json()
    assert (public["status"], public["response"]) == ("answered", "The pipe is repaired on 9 March.")
    answered = queue.client.get("/grievances/queue", params={"status": "answered"}).text
    assert re.findall(r'data-grievance="([^"]+)"', answered) == [mine]
    assert queue.client.get("/grievances/queue", params={"status": "open"}).text.count("data-grievance=") == 0
    late = file(queue, "settlement:aghdam-v")
    queue.client.app.state.clock = lambda: T0 + dt.timedelta(days=15)  # a complaint is due in 14 days
    log_in(queue, Role.DATA_ENTRY)
    assert "overdue-mark" in card(queue.client.get("/grievances/queue").text, late)


def test_another_role_is_refused_and_the_nav_hides_the_queue(queue: Api) -> None:
    code = file(queue, "settlement:aghdam-v")
    log_in(queue, Role.VIEWER)
    page = queue.client.get("/grievances/queue")
    assert page.status_code == 403 and 'href="/grievances/queue"' not in queue.client.get("/grievances").text
    log_in(queue, Role.PLANNER)  # an answering role, but not this grievance's
    assert "data-grievance=" not in queue.client.get("/grievances/queue").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', queue.client.get("/grievances").text)
    assert token is not None
    posted = queue.client.post(f"/grievances/queue/{code}/answer",
                               data={"csrf_token": token.group(1), "version": "1", "response": "not mine"})  # fmt: skip
    assert posted.status_code == 403
    assert queue.client.get(f"/api/grievances/{code}").json()["status"] == "open"


def test_a_stale_version_shows_the_current_answer_and_keeps_the_text(queue: Api) -> None:
    code = file(queue, "settlement:aghdam-v")
    log_in(queue, Role.DATA_ENTRY)
    opened = queue.client.get("/grievances/queue").text
    first = queue.client.post(f"/api/grievances/{code}/response", json={"response": "Answered first", "version": 1},
                              headers=queue.as_(Role.ADMIN))  # fmt: skip
    assert first.status_code == 200
    status, page = answer(queue, opened, code, "My later answer")
    assert status == 409
    current = page[page.index('id="current"') : page.index("</section>", page.index('id="current"'))]
    assert "Answered first" in current
    assert "someone changed this grievance after you opened the page" in card(page, code)
    assert "My later answer</textarea>" in card(page, code) and 'name="version" value="2"' in card(page, code)
    with Session(queue.engine) as session:
        assert session.scalars(select(Grievance.response)).one() == "Answered first"
    status, _ = answer(queue, page, code, "My later answer")
    assert status == 303
    status, page = answer(queue, queue.client.get("/grievances/queue").text, code, "   ")
    assert status == 422 and "an answer has 1 to 4,000 characters" in card(page, code)


def test_the_contact_is_hidden_from_a_role_that_may_not_see_it(queue: Api) -> None:
    code = file(queue, "settlement:aghdam-v")  # routed to data_entry: admin sees the contact, others never
    log_in(queue, Role.ADMIN)
    assert CONTACT in card(queue.client.get("/grievances/queue").text, code)
    with Session(queue.engine) as session:  # routed to the registrar now: the clerk's contact rule no longer holds
        session.execute(Grievance.__table__.update().values(assigned_role=Role.REGISTRAR))
        session.commit()
    log_in(queue, Role.REGISTRAR)
    assert CONTACT in card(queue.client.get("/grievances/queue").text, code)
    log_in(queue, Role.DATA_ENTRY)
    assert "data-grievance=" not in queue.client.get("/grievances/queue").text
    log_in(queue, Role.ADMIN)
    with Session(queue.engine) as session:
        session.execute(Grievance.__table__.update().values(assigned_role=Role.PLANNER))
        session.commit()
    log_in(queue, Role.PLANNER)
    assert CONTACT in card(queue.client.get("/grievances/queue").text, code)


def test_the_azerbaijani_queue_has_no_english_left(queue: Api) -> None:
    code = file(queue, "settlement:aghdam-v")
    queue.client.app.state.clock = lambda: T0 + dt.timedelta(days=30)  # type: ignore[attr-defined]
    log_in(queue, Role.DATA_ENTRY)
    page = queue.client.get("/grievances/queue", headers=AZ).text
    assert '<html lang="az">' in page and code in page
    words = re.sub(r"<[^>]+>", " ", page)  # what a reader reads (not the class names)
    assert "gecikib" in words and "Cavabı dərc edin" in words
    left = [sentence for sentence in ENGLISH if sentence in words]
    assert left == []


def test_the_public_form_says_a_refused_photograph_in_azerbaijani(queue: Api, tmp_path: Path) -> None:
    queue.client.app.state.file_store = FolderStore(tmp_path / "files")  # type: ignore[attr-defined]
    token = re.search(r'name="csrf_token" value="([^"]+)"', queue.client.get("/grievances", headers=AZ).text)
    assert token is not None
    fields = {"csrf_token": token.group(1), "kind": "settlement", "code": "aghdam-v", "category": "complaint",
              "text": "Broken fence"}  # fmt: skip
    for photo, said in (
        (("fence.png", b"%PDF-1.4 not an image"), "faylın adı onun fotoşəkil olduğunu deyir"),
        (("fence.png", b"\x89PNG\r\n\x1a\n broken"), "fayl təsvir kimi açılmır"),
        (("fence.gif", b"GIF89a"), "yalnız .jpg, .jpeg və ya .png ilə bitən fotoşəkillər"),
    ):
        refused = queue.client.post("/grievances", data=fields, headers=AZ, files={"photo": (*photo, "image/png")})
        assert refused.status_code == 422 and said in refused.text, photo
        assert "claims to be" not in refused.text and "nothing was stored" not in refused.text
