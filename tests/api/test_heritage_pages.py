"""The public heritage list, a site's page with its restoration and photographs, and the damage summary."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from pathlib import Path

import pytest
from api_support import Api
from PIL import ExifTags, Image
from sqlalchemy.orm import Session

from homecoming.damage import service as damage
from homecoming.damage.models import AssessmentMethod, DamageLevel, ObjectKind
from homecoming.damage.schemas import DamageCountCreate, DamagedObjectCreate
from homecoming.files import service as files
from homecoming.files.store import FolderStore
from homecoming.heritage import service as heritage
from homecoming.heritage.models import Condition, HeritageCategory
from homecoming.heritage.schemas import HeritageSiteCreate
from homecoming.procurement import pricing
from homecoming.procurement.schemas import PriceItemCreate, PriceListCreate
from homecoming.works import service as works
from homecoming.works.models import Sector
from homecoming.works.schemas import ProgressReport, ProjectCreate

GPS = {1: "N", 2: (39.0, 59.0, 24.0), 3: "E", 4: (46.0, 55.0, 48.0)}
SOURCE = "https://example.org/heritage-survey"
SURVEY = "https://example.org/satellite-assessment"


def _photo(path: Path) -> Path:
    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = GPS
    Image.new("RGB", (40, 30), (120, 90, 60)).save(path, "JPEG", exif=exif)
    return path


@pytest.fixture
def register(api: Api, tmp_path: Path) -> Api:
    """Two sites in Aghdam (one restored by a works project, with a geotagged photo), one in Fuzuli; damage counts
    in both districts and a national price list that prices a new house from 2020."""
    files_dir = tmp_path / "files"
    app = api.client.app
    app.state.settings = app.state.settings.model_copy(update={"files_dir": files_dir})  # type: ignore[attr-defined]
    with Session(api.engine) as session:
        for code, latin, local, category, settlement in (
            ("palace", "Palace complex", "Saray kompleksi", HeritageCategory.PALACE_COMPLEX, "aghdam-v"),
            ("old-mosque", "Old mosque", "Köhnə məscid", HeritageCategory.MOSQUE, "aghdam-v"),
            ("stone-bridge", "Stone bridge", None, HeritageCategory.BRIDGE, "fuzuli-v"),
        ):
            heritage.create_site(
                session,
                HeritageSiteCreate(
                    code=code,
                    name_latin=latin,
                    name_local=local,
                    category=category,
                    settlement_code=settlement,
                    period="18th century" if code == "palace" else None,
                    condition_before=Condition.FAIR if code == "palace" else None,
                    condition_after=Condition.RUINED if code == "palace" else None,
                    documented_damage="roof and east wall gone" if code == "palace" else None,
                    source_url=SOURCE,
                    source_date=dt.date(2022, 4, 28),
                ),
            )
        works.create_project(
            session,
            ProjectCreate(
                code="palace-restoration", name="Palace restoration", sector=Sector.HERITAGE, stage=3,
                settlement_code="aghdam-v", budget_amount=3_000_000, budget_currency="AZN",
            ),
        )  # fmt: skip
        works.report_progress(session, "palace-restoration", ProgressReport(on=dt.date(2025, 6, 1), progress_pct=40))
        heritage.link_restoration(session, "palace", "palace-restoration")
        files.attach_to_site(session, "palace", _photo(tmp_path / "palace.jpg"), caption="east wall",
                             store=FolderStore(files_dir))  # fmt: skip
        for settlement, kind, level, quantity in (
            ("aghdam-v", ObjectKind.HOUSE, DamageLevel.DESTROYED, 10),
            ("aghdam-v", ObjectKind.HOUSE, DamageLevel.PARTIAL, 4),
            ("fuzuli-v", ObjectKind.SCHOOL, DamageLevel.SEVERE, 1),
        ):
            damage.set_count(
                session,
                DamageCountCreate(
                    settlement_code=settlement, kind=kind, level=level, quantity=quantity,
                    method=AssessmentMethod.REMOTE, source_url=SURVEY if settlement == "aghdam-v" else None,
                ),
            )  # fmt: skip
        item = PriceItemCreate(item_code="replace.house", description="new house", unit="dwelling", unit_price=70_000)
        pricing.add_price_list(
            session, PriceListCreate(code="N-2020", effective_date=dt.date(2020, 1, 1), currency="AZN", items=[item])
        )
        session.commit()
    return api


def _rows(html: str, table_id: str) -> list[list[str]]:
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in body.split("<tr>")[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells])
    return rows


def test_heritage_list_shows_names_in_both_scripts_condition_and_restoration(register: Api) -> None:
    html = register.client.get("/heritage").text
    assert _rows(html, "heritage") == [
        ["Old mosque Köhnə məscid", "mosque", "Aghdam-V, Aghdam", "not recorded", "not recorded", "no work recorded"],
        ["Palace complex Saray kompleksi", "palace or residence complex", "Aghdam-V, Aghdam", "fair", "ruined",
         "in progress (40%)"],
        ["Stone bridge", "bridge", "Fuzuli-V, Fuzuli", "not recorded", "not recorded", "no work recorded"],
    ]  # fmt: skip
    assert '<a href="/heritage/palace">Palace complex</a>' in html
    assert '<label for="category">Category</label>' in html


def test_heritage_list_filters_by_category(register: Api) -> None:
    html = register.client.get("/heritage", params={"category": "mosque"}).text
    assert [row[0] for row in _rows(html, "heritage")] == ["Old mosque Köhnə məscid"]
    assert '<option value="mosque" selected>' in html
    assert "No heritage site recorded" in register.client.get("/heritage?category=church").text
    assert len(_rows(register.client.get("/heritage?category=").text, "heritage")) == 3


def test_an_unknown_category_is_refused_by_name_and_an_unknown_site_is_not_found(register: Api) -> None:
    assert register.client.get("/heritage/nowhere", headers={"accept": "text/html"}).status_code == 404
    response = register.client.get("/heritage?category=castle")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "heritage.bad_category"
    page = register.client.get("/heritage?category=castle", headers={"accept": "text/html"})
    assert page.status_code == 422 and "no heritage category" in page.text


def test_site_page_shows_facts_sources_damage_and_restoration(register: Api) -> None:
    html = register.client.get("/heritage/palace").text
    assert '<h1>Palace complex / <span lang="az">Saray kompleksi</span></h1>' in html
    facts = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert facts == {
        "Category": "palace or residence complex",
        "Settlement": "Aghdam-V",
        "District": "Aghdam",
        "Period": "18th century",
        "Protection status": "not recorded",
        "Condition before": "fair",
        "Condition after": "ruined",
        "Location": "not recorded",
    }
    assert '<p id="damage">roof and east wall gone</p>' in html
    assert _rows(html, "restoration") == [["Palace restoration (palace-restoration)", "in progress", "40%",
                                           "3,000,000 AZN"]]  # fmt: skip
    assert f'<a href="{SOURCE}">{SOURCE}</a> (2022-04-28)' in html


def test_site_photos_are_the_public_copy_without_geotag(register: Api) -> None:
    html = register.client.get("/heritage/palace").text
    sources = re.findall(r'<img src="(/files/public/[^"]+)" alt="east wall"', html)
    assert len(sources) == 1 and "private" not in html
    photo = register.client.get(sources[0])
    assert (photo.status_code, photo.headers["content-type"]) == (200, "image/jpeg")
    image = Image.open(BytesIO(photo.content))
    assert image.size == (40, 30)
    assert dict(image.getexif()) == {} and image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert "39.99" not in html and "46.93" not in html  # the geotag stays in the record


def test_only_public_copies_named_by_a_record_are_served(register: Api) -> None:
    html = register.client.get("/heritage/palace").text
    public = re.findall(r'<img src="/files/(public/[^"]+)"', html)[0]
    private = public.replace("public/", "private/", 1)
    assert register.client.get(f"/files/{private}").status_code == 404
    assert register.client.get("/files/public/00/not-a-record.jpg").status_code == 404
    assert register.client.get("/files/public/../private/x.jpg").status_code == 404


def test_photos_of_damaged_objects_are_not_served_publicly(register: Api, tmp_path: Path) -> None:
    with Session(register.engine) as session:
        damage.add_object(
            session,
            DamagedObjectCreate(
                code="house-1", settlement_code="aghdam-v", kind=ObjectKind.HOUSE, level=DamageLevel.DESTROYED,
                method=AssessmentMethod.FIELD_SURVEY,
            ),
        )  # fmt: skip
        house = tmp_path / "house.png"
        Image.new("RGB", (20, 20), (1, 2, 3)).save(house)
        attachment = files.attach_to_object(session, "house-1", house, store=FolderStore(tmp_path / "files"))
        session.commit()
        assert attachment.public_path is not None
        assert register.client.get(f"/files/{attachment.public_path}").status_code == 404


def test_damage_summary_counts_units_and_prices_them_with_their_sources(register: Api) -> None:
    html = register.client.get("/damage").text
    # Aghdam houses: 10 x 70,000 (price list) + 4 x 12,000 (shipped table) = 748,000; x 1.1 = 822,800.
    # Fuzuli school: 1 x 1,800,000 (shipped table, severe) = 1,800,000; x 1.1 = 1,980,000.
    assert _rows(html, "damage") == [
        [
            "Aghdam",
            "houses",
            "",
            "4",
            "",
            "10",
            "dwelling",
            "748,000",
            "822,800",
            f"remote (satellite or aerial): {SURVEY}",
        ],
        [
            "Fuzuli",
            "schools",
            "",
            "",
            "1",
            "",
            "building",
            "1,800,000",
            "1,980,000",
            "remote (satellite or aerial): no source",
        ],
    ]
    assert '<th class="num" id="bare-total">2,548,000</th>' in html
    assert '<th class="num" id="total">2,802,800</th>' in html
    assert '<strong id="uplift">10%</strong>' in html
    assert _rows(html, "by-district") == [["Aghdam", "822,800"], ["Fuzuli", "1,980,000"]]
    sources = html.split('id="cost-sources"', 1)[1].split("</ul>", 1)[0]
    assert "cost table unit_costs.csv — 2 line(s) <strong>(placeholder figures" in sources
    assert "price list N-2020 (2020-01-01), item replace.house — 1 line(s)" in sources


def test_the_nav_leads_to_heritage_and_damage_which_says_when_nothing_is_recorded(api: Api) -> None:
    html = api.client.get("/").text
    assert '<a href="/heritage">Heritage</a>' in html and '<a href="/damage">Damage</a>' in html
    assert "No damage recorded yet." in api.client.get("/damage").text
