"""The public grievances page (both languages, both engines): statistics with small counts withheld, the form,
the lookup, and stored text that never becomes a link."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from pathlib import Path

import pytest
from api_support import Api
from PIL import Image
from sqlalchemy.orm import Session

from homecoming.accounts.roles import Role
from homecoming.files.store import FolderStore
from homecoming.grievances import read_models
from homecoming.grievances.read_models import Cell

T0 = dt.datetime(2026, 3, 2, 9, 0)
AZ = {"accept-language": "az-AZ,az;q=0.9"}


@pytest.fixture
def page_api(api: Api, tmp_path: Path) -> Api:
    api.client.app.state.file_store = FolderStore(tmp_path / "files")  # type: ignore[attr-defined]
    api.client.app.state.clock = lambda: T0  # type: ignore[attr-defined]
    api.client.app.state.settings.grievance_filings_per_hour = 100  # type: ignore[attr-defined]
    return api


def file(api: Api, about: str, category: str = "complaint") -> str:
    response = api.client.post("/api/grievances", json={"about": about, "category": category, "text": "t"})
    assert response.status_code == 201, response.text
    return str(response.json()["tracking_code"])


def csrf(api: Api) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', api.client.get("/grievances").text)
    assert found is not None
    return found.group(1)


def test_statistics_withhold_small_counts_and_their_complements(page_api: Api) -> None:
    for _ in range(6):
        file(page_api, "settlement:aghdam-v")
    file(page_api, "settlement:fuzuli-v", "question")
    with Session(page_api.engine) as session:
        stats = read_models.statistics_of(session, T0, threshold=5)
    assert stats.total == Cell(7)
    assert stats.by_district == {"aghdam": Cell(None), "fuzuli": Cell(None, small=True)}  # 6 would give away 1
    assert stats.by_category["question"] == Cell(None, small=True)
    assert stats.by_category["complaint"] == Cell(None)
    assert stats.by_category["safety"] == Cell(0)  # zero says nothing about anyone
    assert stats.by_subject["settlement"] == Cell(7)
    assert (stats.unanswered, stats.overdue, stats.answered) == (Cell(7), Cell(0), Cell(0))
    assert stats.median_days_to_answer is None
    page = page_api.client.get("/grievances").text
    district_table = page[page.index('id="by-district"') : page.index("</table>", page.index('id="by-district"'))]
    assert "&lt;5" in district_table and "—" in district_table and ">6<" not in district_table and ">1<" not in page


def test_median_days_to_answer_is_published_only_with_enough_answers(page_api: Api) -> None:
    codes = [file(page_api, "settlement:aghdam-v") for _ in range(5)]
    for days, code in enumerate(codes, start=1):
        page_api.client.app.state.clock = lambda d=days: T0 + dt.timedelta(days=d)  # type: ignore[attr-defined]
        answered = page_api.client.post(f"/api/grievances/{code}/response", json={"response": "ok", "version": 1},
                                        headers=page_api.as_(Role.ADMIN))  # fmt: skip
        assert answered.status_code == 200
    with Session(page_api.engine) as session:
        stats = read_models.statistics_of(session, T0 + dt.timedelta(days=30), threshold=5)
        assert (stats.answered, stats.median_days_to_answer) == (Cell(5), 3.0)
        assert read_models.statistics_of(session, T0, threshold=6).median_days_to_answer is None


def test_page_in_both_languages_files_and_looks_up(page_api: Api) -> None:
    english = page_api.client.get("/grievances")
    assert english.status_code == 200 and "<h1>Grievances and feedback</h1>" in english.text
    assert '<option value="fraud_or_corruption">fraud or corruption</option>' in english.text  # words, not codes
    azerbaijani = page_api.client.get("/grievances", headers=AZ).text
    assert '<html lang="az">' in azerbaijani and "<h1>Şikayətlər və rəylər</h1>" in azerbaijani
    posted = page_api.client.post("/grievances", data={"csrf_token": csrf(page_api), "kind": "project",
                                  "code": "aghdam-school", "category": "safety", "text": "Open trench by the school",
                                  "contact": "call 555"})  # fmt: skip
    assert posted.status_code == 200
    code = re.search(r'<code id="tracking-code">([^<]+)</code>', posted.text)
    assert code is not None and "Keep this tracking code" in posted.text and "call 555" not in posted.text
    looked_up = page_api.client.get("/grievances/track", params={"code": code.group(1)}, headers=AZ).text
    assert "Open trench" not in looked_up and "call 555" not in looked_up and '<html lang="az">' in looked_up
    settlement = page_api.client.get("/settlements/aghdam-v").text
    assert "open grievances: fewer than 5" in settlement  # one open grievance: a small count


def test_the_form_refuses_an_unknown_subject_next_to_its_field_and_keeps_the_text(page_api: Api) -> None:
    posted = page_api.client.post("/grievances", data={"csrf_token": csrf(page_api), "kind": "settlement",
                                  "code": "atlantis", "category": "complaint",
                                  "text": '<a href="javascript:alert(1)">click</a> https://evil.example'})  # fmt: skip
    assert posted.status_code == 422
    assert 'id="code-problem">there is no settlement with the code atlantis' in posted.text
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;click&lt;/a&gt; https://evil.example</textarea>" in posted.text
    assert 'href="javascript' not in posted.text and 'href="https://evil' not in posted.text
    without_token = page_api.client.post("/grievances", data={"kind": "settlement", "code": "aghdam-v",
                                         "category": "complaint", "text": "x"})  # fmt: skip
    assert without_token.status_code == 403


def test_a_response_with_links_is_shown_as_inert_text(page_api: Api) -> None:
    code = file(page_api, "settlement:aghdam-v")
    response = '<a href="javascript:alert(1)">see</a> <script>x()</script> www.example.org javascript:void(0)'
    answered = page_api.client.post(f"/api/grievances/{code}/response", json={"response": response, "version": 1},
                                    headers=page_api.as_(Role.DATA_ENTRY))  # fmt: skip
    assert answered.status_code == 200, answered.text
    page = page_api.client.get("/grievances/track", params={"code": code}).text
    shown = page[page.index('id="response"') : page.index("</p>", page.index('id="response"'))]
    assert "&lt;a href=&#34;javascript:alert(1)&#34;&gt;see&lt;/a&gt; &lt;script&gt;" in shown
    assert "<a" not in shown and "<script" not in shown and "www.example.org javascript:void(0)" in shown


def test_the_form_takes_a_photograph_and_refuses_anything_else(page_api: Api) -> None:
    png = BytesIO()
    Image.new("RGB", (20, 20), (0, 90, 0)).save(png, "PNG")
    fields = {"kind": "settlement", "code": "aghdam-v", "category": "complaint", "text": "Broken fence"}
    refused = page_api.client.post("/grievances", data={"csrf_token": csrf(page_api), **fields},
                                   files={"photo": ("fence.png", b"%PDF-1.4 not an image", "image/png")})  # fmt: skip
    assert refused.status_code == 422 and 'id="photo"' in refused.text and "fence.png claims to be" in refused.text
    assert page_api.client.get("/api/grievances", headers=page_api.as_(Role.ADMIN)).json()["total"] == 0
    sent = page_api.client.post("/grievances", data={"csrf_token": csrf(page_api), **fields},
                                files={"photo": ("fence.png", png.getvalue(), "image/png")})  # fmt: skip
    assert sent.status_code == 200
    listed = page_api.client.get("/api/grievances", headers=page_api.as_(Role.ADMIN)).json()["items"]
    assert [item["has_photo"] for item in listed] == [True]
