"""What a caller sends to the returns services."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from homecoming.returns.models import DatePrecision


class ReturnEventCreate(BaseModel):
    code: str = Field(min_length=1, max_length=64)
    settlement_code: str
    event_date: dt.date
    date_precision: DatePrecision = DatePrecision.DAY
    kind: str = Field(min_length=1, max_length=100)
    cumulative: bool = False
    families: int | None = Field(default=None, ge=0)
    people: int | None = Field(default=None, ge=0)
    source_url: str | None = None
