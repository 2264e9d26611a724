"""Pages in Azerbaijani and English: the language chosen per request, every text translated, numbers and place
names as the reader writes them, and a new language added by adding its catalogue only."""

from __future__ import annotations

import datetime as dt
import html
import json
import pickle
import re
import shutil
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from api_support import Api
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment
from procurement_support import make_market
from sqlalchemy import update
from sqlalchemy.orm import Session
from test_plan_pages import make_run

from homecoming.accounts.roles import Role
from homecoming.mine_action.models import HazardClassification, HazardStatus
from homecoming.phrases import Message, Phrase
from homecoming.planning import messages
from homecoming.territory.models import District, Settlement, SettlementKind
from homecoming.territory.names import names, settlement_local_name
from homecoming.web import i18n
from homecoming.web.placenames import alphabetical
from homecoming.web.terms import TERMS
from homecoming.works.models import HousingStatus, ProjectStatus, Sector

ROOT = Path(__file__).parent.parent.parent
AZ = {"accept-language": "az-AZ,az;q=0.9,en;q=0.5"}


def _spell_in_azerbaijani(api: Api) -> None:
    with Session(api.engine) as session:
        session.execute(update(District).where(District.code == "aghdam").values(alt_names="Agdam|Ağdam"))
        session.execute(update(Settlement).where(Settlement.code == "aghdam-v").values(alt_names="Ağdam-K|Agdam-K"))
        session.commit()


def test_accept_language_az_gives_azerbaijani_texts_and_numbers(api: Api) -> None:
    response = api.client.get("/", headers=AZ)
    assert (response.headers["content-language"], response.headers["vary"]) == ("az", "Accept-Language, Cookie")
    overview = response.text
    assert '<html lang="az">' in overview
    assert "<h1>Proqramın icmalı</h1>" in overview
    assert "<td>hazır</td>" in overview  # the houses' status, a stored English word
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in overview
    aghdam = api.client.get("/settlements/aghdam-v", headers=AZ).text
    assert "cha-1 təhlükəli ərazisi (CHA (təsdiqlənmiş), 12.000 m² qalıb) yaşayış üçün torpağı əngəlləyir" in aghdam
    assert "evlər: gözləyən 6 ailə üçün 4 hazır ev var (daha 2 ev lazımdır)" in aghdam
    assert "məktəb: ona xidmət edən tamamlanmış iş yoxdur (icrada: aghdam-school 0%)" in aghdam
    assert '<td class="num">12.000</td>' in aghdam  # remaining m², grouped with a dot
    english = api.client.get("/settlements/aghdam-v").text
    assert '<html lang="en">' in english
    assert "hazard area cha-1 (CHA, 12,000 m² left) blocks its housing land" in english
    assert '<td class="num">12,000</td>' in english


def test_switch_cookie_wins_over_the_browser(api: Api) -> None:
    switched = api.client.post("/language", data={"language": "az", "next": "/map"}, follow_redirects=False)
    assert (switched.status_code, switched.headers["location"]) == (303, "/map")
    assert "homecoming_lang=az" in switched.headers["set-cookie"]
    page = api.client.get("/map", headers={"accept-language": "en-GB,en"}).text
    assert '<html lang="az">' in page and "<h1>Xəritə</h1>" in page
    api.client.post("/language", data={"language": "en", "next": "/"})
    assert '<html lang="en">' in api.client.get("/", headers=AZ).text


def test_unknown_language_falls_back_to_english(api: Api) -> None:
    page = api.client.get("/", headers={"accept-language": "fr-FR,de;q=0.8"}).text
    assert '<html lang="en">' in page and "<h1>Programme overview</h1>" in page
    ignored = api.client.post("/language", data={"language": "xx", "next": "//evil.example"}, follow_redirects=False)
    assert (ignored.headers["location"], "set-cookie" in ignored.headers) == ("/", False)
    api.client.cookies.set(i18n.COOKIE, "xx")
    assert '<html lang="az">' in api.client.get("/", headers=AZ).text  # a stale cookie: the browser decides


def test_login_error_and_role_are_translated(api: Api) -> None:
    wrong = api.client.post("/login", data={"username": "viewer", "password": "nope"}, headers=AZ)
    assert "istifadəçi adı və ya şifrə yanlışdır" in wrong.text
    page = api.client.get("/", headers=AZ | api.as_(Role.MINE_ACTION_OFFICER)).text
    assert "(mina əməliyyatları əməkdaşı)" in page
    refused = api.client.get("/registry/aghdam-v", headers=AZ | {"accept": "text/html"} | api.as_(Role.VIEWER))
    assert refused.status_code == 403
    assert "<h1>İcazə yoxdur</h1>" in refused.text
    assert (
        "müşahidəçi rolu üçün buna icazə yoxdur; lazım olan rollardan biri: administrator, qeydiyyatçı" in refused.text
    )


def test_place_names_azerbaijani_first_in_azerbaijani(api: Api) -> None:
    _spell_in_azerbaijani(api)
    az = api.client.get("/settlements/aghdam-v", headers=AZ).text
    assert '<h1>Ağdam-K / <span lang="en">Aghdam-V</span></h1>' in az
    assert "› Ağdam</p>" in az
    assert "<td>Ağdam</td>" in api.client.get("/", headers=AZ).text  # households waiting, by district
    en = api.client.get("/settlements/aghdam-v").text
    assert '<h1>Aghdam-V / <span lang="az">Ağdam-K</span></h1>' in en
    assert "<td>Aghdam</td>" in api.client.get("/").text


def test_a_transliteration_is_marked_in_the_maps_tooltips_and_the_plans_data_gaps(api: Api) -> None:
    """Aghdam-V has no source spelling: its Azerbaijani form is the rule's (Ağdam-V), marked wherever a script or
    running text shows it, not only where the `place` filter does; an English reader gets the English name."""
    make_run(api, "first")
    words = {language: _map_words(api.client.get("/map", headers=headers).text) for language, headers in
             (("az", AZ), ("en", {}))}  # fmt: skip
    assert words["az"]["settlements"]["aghdam-v"] == "Ağdam-V (transliterasiya)"
    assert "fuzuli-v" not in words["az"]["settlements"]  # Fuzuli-V: no convention letters, no Azerbaijani form
    assert words["en"]["settlements"] == {}  # the script shows the English name
    for language, headers, shown in (("az", AZ, "Ağdam-V (transliterasiya)"), ("en", {}, "Aghdam-V")):
        gaps = api.client.get("/plans/first", headers=headers).text.split('id="issues-heading"', 1)[1]
        gaps = gaps.split("</section>", 1)[0]
        assert shown in gaps and gaps.count("Ağdam-V") == gaps.count("Ağdam-V (transliterasiya)"), language


def _map_words(page: str) -> dict[str, Any]:
    found = re.search(r"data-words='([^']*)'", page)
    assert found is not None
    return dict(json.loads(html.unescape(found.group(1))))


def test_money_red_flags_and_tenders_in_azerbaijani(api: Api) -> None:
    _spell_in_azerbaijani(api)
    m = make_market(api)
    m.opened("T-1", {"azer-build": "600000"})  # one bid, 20% above the estimate
    m.step("T-1", "evaluation")
    m.step("T-1", "award")
    m.post(Role.PROCUREMENT_OFFICER, "/api/tenders/T-1/contract", {"code": "C-1", "milestones": [
        {"title": "walls", "amount": 250_000}, {"title": "roof", "amount": 350_000}]}, 201)  # fmt: skip
    html = {"accept": "text/html"} | AZ
    money = api.client.get("/money", headers=html).text
    row = re.search(r"<tr><td>2025</td>(.*?)</tr>", money.split('id="money-by-year"')[1])
    assert row is not None
    assert re.findall(r'<td class="num">([^<]*)</td>', row.group(1)) == ["1.000.000", "600.000", "0", "1"]
    assert "mln AZN:" in money and "m AZN" not in money
    flags = api.client.get("/red-flags", headers=html).text
    assert "<td>T-1: yalnız bir təklif daxil olub</td>" in flags
    assert "<td>T-1: təxmini dəyərdən %20,0 yuxarı qiymətə verilib</td>" in flags
    english = api.client.get("/red-flags", headers={"accept": "text/html"}).text
    assert "<td>T-1: awarded 20.0% above the estimate</td>" in english
    tenders = api.client.get("/tenders", headers=html).text
    assert re.search(r'data-tender="T-1">.*?<td>Ağdam</td>', tenders, re.S)
    contract = api.client.get("/contracts/C-1", headers=html).text
    assert "600.000,00" in contract and "600,000" not in contract


def test_plan_sentences_are_stored_as_codes_and_values_and_said_in_each_language() -> None:
    issue = messages.HOUSES_SHORT(place="aghdam-v", households=1200, houses=30, more=1170)
    stored = [m.stored() for m in (messages.PROPOSED_HOUSES(count=1456, place="Sus"), issue)]
    assert stored[1] == {"code": "plan.houses_short",
                         "values": {"place": "aghdam-v", "households": 1200, "houses": 30, "more": 1170}}  # fmt: skip
    houses, short = messages.read(stored)
    assert str(short).startswith("aghdam-v: 1,200 households wait but only 30 houses")  # the API's and CLI's English
    assert i18n.say("az", houses.phrase(short=True)) == "təklif olunan 1.456 ev"  # under its place's heading
    assert i18n.say("az", short.phrase()).startswith("aghdam-v: 1.200 ailə gözləyir, amma cəmi 30 ev")
    works = messages.PROPOSED_WORKS(sector="water", place="Sus").phrase()
    assert i18n.say("az", works) == "Sus üçün təklif olunan su işləri"
    name = Message.text("Hospital in Aghdam")  # a project's name: kept as written, never translated
    assert name.phrase() == "Hospital in Aghdam" and not isinstance(name.phrase(), Phrase)


def _render(language: str, source: str) -> str:
    env = Environment(autoescape=True)
    i18n.install(env)
    return env.from_string(source).render(page_language=language)


def test_numbers_money_and_dates_follow_the_language() -> None:
    source = (
        '{{ 1234567.5|money("AZN") }} | {{ 1234.5|money("USD") }} | {{ 12345.678|number(2) }} | '
        '{{ 0.425|percent(1) }} | {{ day|date }} | {{ day|date("LLLL y") }}'
    )
    day = dt.date(2026, 3, 5)
    env = Environment(autoescape=True)
    i18n.install(env)
    az = env.from_string(source).render(page_language="az", day=day)
    en = env.from_string(source).render(page_language="en", day=day)
    assert az == "1.234.567,50\xa0₼ | 1.234,50\xa0US$ | 12.345,68 | 42,5% | 5 mar 2026 | mart 2026"
    assert en == "AZN1,234,567.50 | $1,234.50 | 12,345.68 | 42.5% | Mar 5, 2026 | March 2026"


def test_newstyle_gettext_escapes_values_and_translates_plurals() -> None:
    assert _render("az", '{{ _("Registry: %(place)s", place="<b>") }}') == "Reyestr: &lt;b&gt;"
    plural = '{{ ngettext("%(num)s open hazard area", "%(num)s open hazard areas", 3) }}'
    assert (_render("az", plural), _render("en", plural)) == ("3 açıq təhlükəli ərazi", "3 open hazard areas")


def test_accept_language_is_ranked_by_quality() -> None:
    assert i18n.accepted("en;q=0.3, az-AZ, fr;q=0") == ["az-AZ", "en"]
    assert i18n.choose_language(None, "en;q=0.3, az-AZ", ("en", "az")) == "az"
    assert i18n.choose_language(None, "ru, tr;q=0.5", ("en", "az")) == "en"
    assert i18n.choose_language("az", "en", ("en", "az")) == "az"


def _catalogue(language: str) -> Path:
    return i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def test_every_message_has_a_translation_in_every_language() -> None:
    """Fails on an untranslated or fuzzy entry, or on a marked text in the code missing from the catalogues
    (run `make messages` and translate: docs/translating.md)."""
    method_map, options_map = parse_mapping_cfg((ROOT / "babel.cfg").open())
    in_code = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(ROOT, method_map, options_map, keywords=_keywords())
    }
    for language in i18n.available_languages():
        if language == i18n.DEFAULT_LANGUAGE:
            continue  # the msgids are English
        catalogue = read_po(_catalogue(language).open("rb"))
        untranslated = sorted(
            str(m.id) for m in catalogue if m.id and (m.fuzzy or not all(m.string if m.pluralizable else [m.string]))
        )
        assert untranslated == [], f"{language}: translate these in {_catalogue(language)}"
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
        assert sorted(in_code - known) == [], f"{language}: run `make messages` and translate the new entries"


def _keywords() -> dict[str, tuple[int, ...] | None]:
    return {**DEFAULT_KEYWORDS, "Phrase": None}


def _messages(mo: bytes) -> dict[object, object]:
    """Each message of a compiled catalogue and its translation: what a reader sees, whatever tool wrote the file."""

    def plain(value: object) -> object:  # a plural's forms
        return tuple(value) if isinstance(value, list | tuple) else value

    return {(m.context, plain(m.id)): plain(m.string) for m in read_mo(BytesIO(mo)) if m.id}


def test_compiled_catalogues_match_their_sources() -> None:
    """The shipped .mo files hold the current .po's translations (`make messages` compiles them).

    Compared message by message, not byte by byte: the compiler writes its own name and version into the header.
    """
    for language in i18n.available_languages():
        compiled = BytesIO()
        write_mo(compiled, read_po(_catalogue(language).open("rb")))
        mo = _catalogue(language).with_suffix(".mo")
        assert _messages(mo.read_bytes()) == _messages(compiled.getvalue()), f"{mo} is stale: run `make messages`"


def test_a_third_language_is_a_catalogue_only(api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    catalogue = read_po(_catalogue("en").open("rb"), locale="tr")
    catalogue["Programme overview"].string = "Program özeti"
    (locale / "tr" / "LC_MESSAGES").mkdir(parents=True)
    with (locale / "tr" / "LC_MESSAGES" / "messages.mo").open("wb") as mo:
        write_mo(mo, catalogue)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    assert i18n.available_languages() == ("en", "az", "tr")
    page = api.client.get("/", headers={"accept-language": "tr-TR,tr"}).text
    assert '<html lang="tr">' in page and "<h1>Program özeti</h1>" in page
    assert "People returned" in page  # not translated yet: English
    assert 'value="az" lang="az">Azərbaycan</button>' in page and 'value="en" lang="en">English</button>' in page


def test_every_stored_word_a_page_shows_is_marked_for_translation() -> None:
    enums = (Sector, ProjectStatus, HousingStatus, SettlementKind, HazardClassification, HazardStatus, Role)
    assert sorted({str(v) for e in enums for v in e} - set(TERMS)) == []


def test_a_phrase_is_its_english_sentence_and_survives_pickling() -> None:
    phrase = Phrase("houses: {ready} ready for {households} households waiting", ready=1200, households=3)
    assert phrase == "houses: 1,200 ready for 3 households waiting"
    assert pickle.loads(pickle.dumps(phrase)).values == {"ready": 1200, "households": 3}
    assert i18n.say("az", phrase) == "houses: 1.200 ready for 3 households waiting"  # no entry: English words


def test_the_azerbaijani_spelling_is_the_one_nearest_the_english_name() -> None:
    avshar = "Avsar|Avshar|Avşar|UEzeyirkənd|Uzeirkend|Üzeyirkənd|Авшар"
    assert names("Avshar", avshar) == ("Avşar", ["Avsar", "UEzeyirkənd", "Uzeirkend", "Üzeyirkənd"])
    assert names("Khojaly", "Hocalı Rayonu|Khodzhaly")[0] is None  # another name, not Khojaly spelt otherwise
    assert sorted(["Zəngilan", "Çiçəkli", "Cəbrayıl", "İstisu", "Xocalı", "Ağdam", "Hadrut"], key=alphabetical) == [
        "Ağdam",
        "Cəbrayıl",
        "Çiçəkli",
        "Hadrut",
        "Xocalı",
        "İstisu",
        "Zəngilan",
    ]
    shusha = District(name="Shusha", alt_names="Şuşa|Shushi|Susa")
    assert settlement_local_name(Settlement(name="Shusha", alt_names="Choucha|Shoushi|Susa"), shusha) == "Şuşa"
    assert settlement_local_name(Settlement(name="Fuzuli", alt_names="Füzuli|Fizuli"), shusha) == "Füzuli"
