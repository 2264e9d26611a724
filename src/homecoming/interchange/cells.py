"""Turning one cell of a file into a column value, or a reason a person can act on."""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Enum, Float, Integer, Numeric, String, Text

Converter = Callable[[Any], Any]  # raises ValueError with the reason

TRUE = {"true", "yes", "y", "1"}
FALSE = {"false", "no", "n", "0"}


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"expected a whole number, got {value!r}") from None


def _number(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise ValueError(f"expected a number, got {value!r}") from None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"expected true or false, got {value!r}")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def _json(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return value
    try:
        return json.loads(str(value))
    except json.JSONDecodeError as exc:
        raise ValueError(f"expected JSON ({exc.msg} at character {exc.pos})") from None


def _text(max_length: int | None) -> Converter:
    def convert(value: Any) -> str:
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if max_length is not None and len(text) > max_length:
            raise ValueError(f"longer than {max_length} characters ({len(text)})")
        return text

    return convert


def _choice(enum_type: Enum) -> Converter:
    allowed = list(enum_type.enums)

    def convert(value: Any) -> str:
        text = str(value).strip()
        if text not in allowed:
            raise ValueError(f"expected one of: {', '.join(allowed)}; got {text!r}")
        return text

    return convert


def _bounded(convert: Converter, info: dict[str, Any]) -> Converter:
    low, high, above = info.get("min"), info.get("max"), info.get("gt")
    if low is None and high is None and above is None:
        return convert

    def checked(value: Any) -> Any:
        number = convert(value)
        if low is not None and number < low:
            raise ValueError(f"must be at least {low}, got {number}")
        if high is not None and number > high:
            raise ValueError(f"must be at most {high}, got {number}")
        if above is not None and number <= above:
            raise ValueError(f"must be greater than {above}, got {number}")
        return number

    return checked


def converter_for(column: Column[Any]) -> Converter:
    """The converter for a table column, with the column's bounds (column.info) applied."""
    kind = column.type
    convert: Converter
    if isinstance(kind, Enum):
        convert = _choice(kind)
    elif isinstance(kind, Boolean):
        convert = _boolean
    elif isinstance(kind, Integer):
        convert = _integer
    elif isinstance(kind, (Float, Numeric)):
        convert = _number
    elif isinstance(kind, Date):
        convert = _date
    elif isinstance(kind, JSON):
        convert = _json
    elif isinstance(kind, (String, Text)):
        convert = _text(getattr(kind, "length", None))
    else:  # pragma: no cover - a model gained a type this module does not know
        raise TypeError(f"no file converter for column {column} of type {kind!r}")
    return _bounded(convert, column.info)


def to_cell(value: Any) -> Any:
    """A column value as it is written to a file (the inverse of the converters)."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value
