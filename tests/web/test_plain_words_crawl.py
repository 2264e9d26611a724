"""Issue 19, item 4: no identifier, code or English fallback on any page, for every role, in both languages.

The demo a new user gets (reference facts, a small synthetic registry, the illustrative layer, a plan made official
and its risk run, one demo account per role) is crawled from the app's own page routes by following its links
(tests/web/plain_words.py), as the public and as every role, in English and Azerbaijani. On SQLite only: the words
come from the templates and the catalogues, the same on both engines, and every page's queries are run on both engines
by the page tests (tests/api).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import plain_words
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from db_templates import Template, Templates
from homecoming.accounts.roles import Role
from homecoming.config import Settings
from homecoming.demo import illustrative, loader
from homecoming.grievances import actions as grievances
from homecoming.grievances.schemas import GrievanceCreate
from homecoming.planning.scenario import Scenario
from homecoming.procurement.models import Bidder, Tender
from homecoming.server.app import create_app
from homecoming.territory.models import District, Settlement
from homecoming.web import i18n
from homecoming.works.models import Project

LANGUAGES = ("en", "az")
SERVICE_DAYS = {"default": 14, "safety": 3}
# Pages each crawl must reach, so that a crawl that lost its way (a login that failed) cannot pass by seeing nothing.
REACHED = {
    "public": {"/", "/map", "/plans/demo", "/plans/demo/risk", "/tenders/ILL-1", "/contracts/C-ILL-1", "/red-flags"},
    Role.ADMIN.value: {"/admin/audit", "/forms", "/forms/hazard-areas", "/review", "/grievances/queue"},
    Role.PLANNER.value: {"/grievances/queue"},
    Role.REGISTRAR.value: {"/forms/households"},
    Role.CONTRACTOR.value: {"/my/bids"},
}


def _demo(engine: Engine) -> tuple[dict[str, str], plain_words.Rules]:
    """The demo's data; its accounts (username and password, by role) and the rules of words for its names."""
    with Session(engine) as session:
        loader.load_reference(session)
        loader.load_households(session, loader.Scale("small", 40, 160, "a test"))
        accounts = {a.role: f"{a.username} {a.password}" for a in illustrative.load(session)}
        scenario = Scenario(name="demo", sequencing_seconds=2, allocation_seconds=2)
        plan = loader.make_plan(session, scenario)
        loader.make_plan_official(session, plan, dt.datetime(2026, 12, 1, 12))
        illustrative.risk_run(session, plan, scenarios=20, seed=1)
        _file_grievances(session)
        session.commit()
        places = [(s, s.district) for s in session.scalars(select(Settlement))]
        districts = [(d, d) for d in session.scalars(select(District))]
        recorded = [*session.scalars(select(Project.name)), *session.scalars(select(Tender.title))]
        bidders = list(session.scalars(select(Bidder)))
        rules = plain_words.rules_for([*places, *districts], [name for name in recorded if name], bidders)
    return accounts, rules


DEMO = Template("plain-words-demo", _demo)


@pytest.fixture
def database_template() -> Template:
    """Every test crawls a copy of the same demo, built once per engine and test process."""
    return DEMO


@pytest.fixture
def demo(engine: Engine, templates: Templates) -> Iterator[tuple[FastAPI, dict[str, str], plain_words.Rules]]:
    """The app over a copy of the demo's data, its accounts (username -> password, by role) and the rules of words."""
    accounts, rules = templates.made(DEMO, engine.dialect.name)
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False), secret_key="test-secret")
    yield create_app(settings, engine=engine), accounts, rules


def _file_grievances(session: Session) -> None:
    """One grievance about a settlement and one about a works project, so the staff's queue shows rows to read."""
    settlement = session.scalars(select(Settlement.code).order_by(Settlement.code)).first()
    project = session.scalars(select(Project.code).order_by(Project.code)).first()
    for about, category in ((f"settlement:{settlement}", "complaint"), (f"project:{project}", "safety")):
        data = GrievanceCreate(about=about, category=category, text="Su yoxdur", contact="050 000 00 00")
        grievances.file_grievance(session, None, data, now=dt.datetime(2026, 11, 1, 12), service_days=SERVICE_DAYS)


def _crawl(app: FastAPI, who: str, login: str | None, language: str, rules: plain_words.Rules) -> list[str]:
    """What is wrong on the pages one reader reaches: raw words, and pages that failed."""
    with TestClient(app, raise_server_exceptions=False) as client:
        client.cookies.set(i18n.COOKIE, language)
        if login:
            username, password = login.split(" ")
            answer = client.post("/login", data={"username": username, "password": password}, follow_redirects=False)
            assert answer.status_code == 303, (who, answer.text[:300])
        crawl = plain_words.Crawl(app, client, who, language)
        found = [
            str(plain_words.Finding(path, who, language, kind, text))
            for path, html in crawl.pages()
            for kind, text in rules.findings(plain_words.read(html)[0], language)
        ]
        found += [
            f"{path} [{who}, {language}] answered {status}" for path, status in crawl.seen.items() if status >= 500
        ]
        missing = REACHED.get(who, set()) - {p for p, status in crawl.seen.items() if status == 200}
        return found + [f"{path} [{who}, {language}] not reached" for path in sorted(missing)]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # words are the templates', not the engine's
def test_every_page_as_every_role_in_both_languages_is_in_plain_words(
    demo: tuple[FastAPI, dict[str, str], plain_words.Rules],
) -> None:
    app, accounts, rules = demo
    readers = [("public", None), *((role.value, accounts[role.value]) for role in Role if role != Role.PUBLIC)]
    found = [
        line for who, login in readers for language in LANGUAGES for line in _crawl(app, who, login, language, rules)
    ]
    assert found == []


def test_the_crawl_fails_on_a_raw_code_planted_in_the_data(
    demo: tuple[FastAPI, dict[str, str], plain_words.Rules], engine: Engine
) -> None:
    """A tender whose title is a code (as a stored value shown raw would be) is found on the tenders' pages."""
    app, _accounts, rules = demo
    with Session(engine) as session:
        session.execute(update(Tender).where(Tender.code == illustrative.TENDER).values(title="state_budget"))
        session.commit()
    found = _crawl(app, "public", None, "en", rules)
    assert any("snake_case: 'state_budget'" in line for line in found), found


def test_the_crawl_fails_on_a_bidder_code_where_its_name_exists(
    demo: tuple[FastAPI, dict[str, str], plain_words.Rules], engine: Engine
) -> None:
    """A company named by its code in a sentence (as the award and the contract once did) is found."""
    app, _accounts, rules = demo
    with Session(engine) as session:
        title = f"Illustrative (demo): repairs for {illustrative.BIDDERS[0][0]}"
        session.execute(update(Tender).where(Tender.code == illustrative.TENDER).values(title=title))
        session.commit()
    found = _crawl(app, "public", None, "en", rules)
    assert any(f"code for a name: '{illustrative.BIDDERS[0][0]}'" in line for line in found), found


def test_the_rules_name_each_kind_of_raw_word() -> None:
    rules = plain_words.Rules(
        untranslated={"Overview"}, codes_not_names={"qirmizi-bazar"}, english_place_names={"Aghdam": "Ağdam"},
        places_without_local_name={"Chapar"},
    )  # fmt: skip
    page = """<html><head><style>.a_b {}</style><script>var in_progress;</script></head><body>
      <p>in_progress</p><p title="blocks_settlement_id">x</p><p>plan.capacity_short</p><p>Overview</p>
      <p>aghali, qirmizi-bazar and 42 more</p><p>Aghdam üçün</p><p>Ağdam /</p><p>Aghdam</p>
      <p>Chapar</p><p>Chapar villagers (a note)</p>
      <p>open 487,360 m² · 2.64 M</p>
      <p>2,64 M · 1.234,5 · ocds-abc123-ILL-1 · programme_facts.csv · azertag.az</p></body></html>"""
    found = sorted(rules.findings(plain_words.read(page)[0], "az"))
    assert found == [
        ("English on an Azerbaijani page", "Overview"),
        ("English place name", "Aghdam"),
        ("English-written number", "2.64"),
        ("English-written number", "487,360"),
        ("code for a name", "qirmizi-bazar"),
        ("dotted code", "plan.capacity_short"),
        ("no Azerbaijani spelling", "Chapar"),
        ("snake_case", "blocks_settlement_id"),
        ("snake_case", "in_progress"),
    ]
    assert sorted(rules.findings(["Overview", "Aghdam", "2.64 M"], "en")) == []


def test_a_bidder_code_is_found_even_alone_in_a_cell_but_not_shown_as_a_code() -> None:
    """A company's code is a clerk's identifier: inside <code> beside the name it is wanted, in words it is not."""
    rules = plain_words.Rules(set(), set(), {}, set(), named_codes={"ill-kur-insaat"})
    page = """<table><tr><td>ill-kur-insaat</td></tr></table><p>Awarded to ill-kur-insaat at 455,000.00 AZN</p>
      <p>Kur Insaat (illustrative) <code class="bidder-code">ill-kur-insaat</code></p>
      <code>ILL-1/ill-kur-insaat</code>"""
    found = list(rules.findings(plain_words.read(page)[0], "en"))
    assert found == [("code for a name", "ill-kur-insaat")] * 2
