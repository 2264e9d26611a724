"""The map page: Leaflet (from the installed xstatic-leaflet package, served under /static/leaflet) draws the layers
of `/api/geo/{layer}.geojson` (homecoming.territory.geo) with no tiles and nothing from the internet (house rule 11).

Without JavaScript the page still lists every settlement with its status, and what has no coordinates. The words
the script shows (statuses, kinds, place names in the reader's spelling) come from the page, already translated, in
a data attribute: the Content-Security-Policy allows no inline script."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from homecoming.db import freshness
from homecoming.mine_action.models import ContaminationType, HazardClassification, HazardStatus
from homecoming.territory import geo
from homecoming.web import i18n
from homecoming.works.models import ProjectStatus, Sector

TERMS_SHOWN = (HazardStatus, HazardClassification, ContaminationType, ProjectStatus, Sector)


def map_context(session: Session, language: str) -> dict[str, Any]:
    """The page's list and legend, and the stored words the script shows in the reader's language."""
    terms = {str(v): i18n.word(language, v) for kind in TERMS_SHOWN for v in kind}
    summary = freshness.cached(session, ("map-summary",), lambda: geo.summary(session))  # until the next change
    return {"summary": summary, "layers": [str(layer) for layer in geo.Layer], "terms": terms}
