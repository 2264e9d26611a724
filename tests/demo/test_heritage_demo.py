"""The demo's heritage sites are the ones the reference facts name, each with its source, nothing invented."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homecoming.demo import loader
from homecoming.heritage import service as heritage
from homecoming.heritage.models import HeritageSite


def test_demo_heritage_sites_come_from_the_reference_with_their_sources(engine: Engine) -> None:
    with Session(engine) as session:
        loader.load_reference(session)
        rows = session.execute(
            select(
                HeritageSite.code,
                HeritageSite.name_latin,
                HeritageSite.category,
                HeritageSite.source_url,
                HeritageSite.source_date,
            ).order_by(HeritageSite.code)
        ).all()
        assert [(code, name, str(category), url, str(day)) for code, name, category, url, day in rows] == [
            ("aghdam-imarat-complex", "Imarat complex", "palace_complex", None, "2022-04-28"),
            ("aghdam-juma-mosque", "Juma Mosque", "mosque", None, "2022-04-28"),
            ("hadrut-mosque", "New mosque in Hadrut", "mosque", None, "None"),
        ]
        hadrut = heritage.site_page(session, "hadrut-mosque")
        assert (hadrut.settlement, hadrut.district) == ("Hadrut", "Khojavend")
        assert "minaret 25 m; capacity 210 worshippers" in (hadrut.notes or "")
        # A source the reference names without an address stays with the record, in its notes: a link is http(s) only
        assert (hadrut.notes or "").endswith("source: News.Az (2025)")
        # The reference gives no condition, period or damage for the Aghdam monuments: none is made up.
        imarat = heritage.site_page(session, "aghdam-imarat-complex")
        assert (imarat.period, imarat.condition_before, imarat.condition_after, imarat.documented_damage) == (
            None,
            None,
            None,
            None,
        )
        assert (imarat.lat, imarat.lon, imarat.settlement) == (None, None, "Aghdam")
