"""What every value from outside must look like before it is stored, defined once for every door: the API schemas
and the web forms (which validate with the same schemas, through `Input`) and file imports (homecoming.interchange,
through `check_field`).

- A link (`*_url`) is an absolute http:// or https:// address with a host, at most MAX_URL_CHARS long: a
  `javascript:` or `data:` link stored here would run in a reader's browser on a public page.
- Text holds no control characters (NUL, C0, DEL, C1): they crash exports and hide text. Tab and line breaks are
  allowed only in the multi-line fields (MULTILINE_FIELDS), never in a one-line field such as a name.
- A date lies between EARLIEST_DATE and LATEST_DATE: nothing the programme records is older than the conflict, but a
  person's birth date (`*birth_date`), which lies after EARLIEST_BIRTH_DATE.
- A number is finite, and a whole number fits the databases' 32-bit integer; fields behind public totals have
  realistic bounds of their own (homecoming.db.types, used by the models for imports and by the schemas as `within`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError, PydanticUndefined

MAX_URL_CHARS = 500  # the source_url columns are String(500)
EARLIEST_DATE = dt.date(1988, 1, 1)  # the conflict began in 1988; no displacement, damage or work is older
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)  # people born before the conflict: a victim's, a family member's birth
LATEST_DATE = dt.date(2100, 12, 31)  # a planning horizon, not a typo's year 20250
MAX_WHOLE_NUMBER = 2**31 - 1  # the largest INTEGER both engines store
MAX_NUMBER = 1e15  # no figure of the programme comes near a thousand trillion (fields have tighter bounds of their own)
# Fields whose text may run over several lines (the models' Text columns, and the reason given with a change).
MULTILINE_FIELDS = frozenset(
    {"note", "notes", "description", "documented_damage", "qualification_criteria", "reason", "close_reason",
     "disqualification_reason", "comment", "caption", "message", "findings", "text", "response"}
)  # fmt: skip
LINE_BREAKS = frozenset("\t\n\r")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1 (Unicode category Cc): no text field needs them
MULTILINE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # the same but tab, LF and CR


class InputRefused(ValueError):
    """A value refused at the boundary; `code` is stable (`input.<rule>`), the message says what to send instead."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def within(bounds: Mapping[str, float], default: Any = PydanticUndefined, description: str | None = None) -> Any:
    """A schema field with a column's bounds (column.info: min, max, gt), so a form, the API and a file agree."""
    return Field(default, ge=bounds.get("min"), le=bounds.get("max"), gt=bounds.get("gt"), description=description)


def check_url(value: str) -> str:
    if len(value) > MAX_URL_CHARS:
        raise InputRefused("input.url_too_long", f"a link has at most {MAX_URL_CHARS} characters ({len(value)} sent)")
    if any(ch.isspace() for ch in value) or CONTROL.search(value):
        raise InputRefused("input.url_not_http", "a link holds no spaces or control characters")
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme.lower() not in {"http", "https"} or not host:
        raise InputRefused(
            "input.url_not_http", "a link must be a whole http:// or https:// address with a host, e.g. https://..."
        )
    return value


def check_text(value: str, *, multiline: bool) -> str:
    found = (MULTILINE_CONTROL if multiline else CONTROL).search(value)
    if found is not None:
        ch = found.group()
        what = "a line break or tab" if ch in LINE_BREAKS else f"the control character U+{ord(ch):04X}"
        where = "; only notes and other multi-line fields may hold line breaks" if ch in LINE_BREAKS else ""
        raise InputRefused(
            "input.control_character", f"text may not hold {what} (at character {found.start() + 1}){where}"
        )
    return value


def field_rule(name: str) -> Callable[[Any], Any]:
    """check_field for one named value outside a schema (a query parameter), as a pydantic AfterValidator."""

    def checked(value: Any) -> Any:
        try:
            return check_field(name, value)
        except InputRefused as refused:
            raise PydanticCustomError(refused.code, refused.message) from None

    return checked


def check_date(value: dt.date, earliest: dt.date = EARLIEST_DATE) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not earliest <= day <= LATEST_DATE:
        raise InputRefused(
            "input.date_out_of_range",
            f"a date lies between {earliest:%Y-%m-%d} and {LATEST_DATE:%Y-%m-%d} (got {day.isoformat()})",
        )
    return value


def check_field(name: str, value: Any) -> Any:
    """The rules every field obeys whatever its schema or table (raises InputRefused); nested lists and dicts too."""
    if isinstance(value, str):
        return check_url(value) if name.endswith("_url") else check_text(value, multiline=name in MULTILINE_FIELDS)
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) > MAX_WHOLE_NUMBER:
        raise InputRefused("input.number_too_large", f"a whole number here is at most {MAX_WHOLE_NUMBER:,}")
    if isinstance(value, float) and abs(value) > MAX_NUMBER:
        raise InputRefused("input.number_too_large", f"a number here is at most {MAX_NUMBER:,.0f}")
    if isinstance(value, dt.date):
        return check_date(value, EARLIEST_BIRTH_DATE if name.endswith("birth_date") else EARLIEST_DATE)
    if isinstance(value, (list, tuple)):
        for item in value:
            check_field(name, item)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_field(name, key)
            check_field(name, item)
    return value


class InputModel(BaseModel):
    """The base of every schema a caller sends: infinity and NaN are no numbers, and every field obeys check_field."""

    model_config = ConfigDict(allow_inf_nan=False)

    @field_validator("*", mode="after")
    @classmethod
    def _obeys_input_rules(cls, value: Any, info: ValidationInfo) -> Any:
        return field_rule(info.field_name or "")(value)
