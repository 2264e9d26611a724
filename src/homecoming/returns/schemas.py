"""What a caller sends to the returns services."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from homecoming.db.types import FAMILIES, PEOPLE
from homecoming.input_rules import InputModel, within
from homecoming.returns.models import DatePrecision


class ReturnEventCreate(InputModel):
    code: str = Field(min_length=1, max_length=64)
    settlement_code: str
    event_date: dt.date
    date_precision: DatePrecision = DatePrecision.DAY
    kind: str = Field(min_length=1, max_length=100)
    cumulative: bool = False
    families: int | None = within(FAMILIES, None)
    people: int | None = within(PEOPLE, None)
    source_url: str | None = None
