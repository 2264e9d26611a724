"""Where a table's figures come from (house rule 6): the latest source date and the source addresses of its
records, for the "as of … · source" line under a chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homecoming.db.base import SourcedMixin

SOURCES_SHOWN = 3


@dataclass(frozen=True)
class Provenance:
    records: int
    as_of: dt.date | None  # the latest source date among them
    urls: list[str]  # the sources of the latest-dated records first, at most SOURCES_SHOWN


def provenance(session: Session, model: type[SourcedMixin]) -> Provenance:
    records = int(session.scalar(select(func.count()).select_from(model)) or 0)
    as_of = session.scalar(select(func.max(model.source_date)))
    dated = func.max(model.source_date)
    latest = select(model.source_url).where(model.source_url.is_not(None)).group_by(model.source_url)
    rows = session.scalars(latest.order_by(dated.desc().nulls_last(), model.source_url).limit(SOURCES_SHOWN))
    return Provenance(records, as_of, [url for url in rows if url])
