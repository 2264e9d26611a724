"""The review page in a real browser: submissions sent over real HTTP as ODK Collect sends them, then reviewed by a
district clerk (a damage survey with a photograph, approved) and a mine-action officer (a hazard shape, rejected)."""

from __future__ import annotations

import base64
import io
from xml.sax.saxutils import escape

import httpx
import pytest
from browser_support import PASSWORD, Site, log_in
from lxml import etree
from PIL import Image
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from homecoming.damage.models import DamagedObject
from homecoming.db import make_engine, unit_of_work
from homecoming.territory.models import Settlement

pytestmark = pytest.mark.slow
LIST = "{http://openrosa.org/xforms/xformsList}"


def _photo() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (320, 200), (176, 160, 140))
    for x in range(60, 260):  # a dark doorway on a pale wall: something to look at in the screenshot
        for y in range(80, 200):
            image.putpixel((x, y), (60, 50, 45) if 120 < x < 200 else (150, 120, 100))
    image.save(out, format="JPEG")
    return out.getvalue()


def _send(site: Site, form_id: str, instance_id: str, answers: dict[str, str], files: dict[str, bytes]) -> None:
    auth = {"Authorization": "Basic " + base64.b64encode(f"enumerator:{PASSWORD}".encode()).decode()}
    with httpx.Client(base_url=site.url, headers={"X-OpenRosa-Version": "1.0", **auth}) as phone:
        listing = etree.fromstring(phone.get("/odk/formList").content)
        versions = {f.findtext(f"{LIST}formID"): f.findtext(f"{LIST}version") for f in listing.iter(f"{LIST}xform")}
        fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in answers.items())
        xml = (f'<data id="{form_id}" version="{versions[form_id]}">{fields}<meta><instanceID>{instance_id}'
               "</instanceID></meta></data>")  # fmt: skip
        parts = [("xml_submission_file", ("submission.xml", xml.encode(), "text/xml"))]
        parts += [(name, (name, content, "image/jpeg")) for name, content in files.items()]
        assert phone.head("/odk/submission").status_code == 204
        response = phone.post("/odk/submission", files=parts)
        assert response.status_code == 201, response.text


def test_a_clerk_approves_a_damage_survey_and_an_officer_rejects_a_hazard_shape(site: Site, browser: Browser) -> None:
    engine = make_engine(site.database_url)
    with unit_of_work(engine) as session:
        village = session.scalars(select(Settlement).where(Settlement.code == site.settlement_code)).one()
        lat, lon = village.lat or 40.0, village.lon or 46.9
    point = f"{lat + 0.0021:.6f} {lon + 0.0032:.6f} 1180 4"
    _send(site, "damage_survey", "uuid:e2e00000-0000-4000-8000-000000000001",
          {"settlement": site.settlement_code, "kind": "school", "level": "severe", "method": "field_survey",
           "location": point, "name": "School No. 1", "photo_1": "IMG_2041.jpg", "notes": "roof burnt, walls stand"},
          {"IMG_2041.jpg": _photo()})  # fmt: skip
    corners = [(lat + 0.004, lon - 0.004), (lat + 0.006, lon + 0.002), (lat + 0.001, lon + 0.005),
               (lat - 0.002, lon), (lat + 0.004, lon - 0.004)]  # fmt: skip
    _send(site, "hazard_survey", "uuid:e2e00000-0000-4000-8000-000000000002",
          {"evidence": "local_report", "classification": "SHA", "contamination": "uxo",
           "shape": ";".join(f"{a:.6f} {b:.6f} 0 0" for a, b in corners), "blocked_settlement": site.settlement_code},
          {})  # fmt: skip

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    log_in(page, site, "data_entry", then="/review")
    expect(page.get_by_role("heading", level=1)).to_have_text("Field submissions to review")
    expect(page.locator("#review-queue tbody tr")).to_have_count(1)  # the damage survey; the hazard is not its form
    page.get_by_role("link", name="Damage survey of one object").click()
    expect(page.locator("#submission-sketch circle")).to_have_count(1)
    expect(page.locator("#differences")).to_contain_text("School No. 1")
    expect(page.locator(".photos img")).to_have_count(1)
    assert page.locator(".photos img").evaluate("img => img.naturalWidth") == 320
    page.screenshot(path=site.shots / "review.png", full_page=True)
    page.get_by_role("button", name="Approve: apply it to the registry").click()
    expect(page.locator("#decided")).to_be_visible()
    expect(page.locator("#queue-empty")).to_be_visible()
    with unit_of_work(engine) as session:
        school = session.scalars(select(DamagedObject).where(DamagedObject.code == "odk-e2e000000000")).one()
        assert (school.name, school.level) == ("School No. 1", "severe")
    page.close()

    officer = browser.new_page(viewport={"width": 1280, "height": 1000})
    log_in(officer, site, "mine_action_officer", then="/review")
    officer.get_by_role("link", name="Hazard area survey").click()
    expect(officer.locator("#submission-sketch polygon")).to_have_count(1)
    officer.screenshot(path=site.shots / "review-hazard.png", full_page=True)
    officer.get_by_label("Reason").fill("the same area as an open hazard already")
    officer.get_by_role("button", name="Reject").click()
    expect(officer.locator("#queue-empty")).to_be_visible()
    officer.close()
    engine.dispose()
