"""What every data-entry form shares: its fields, and the way a posted form becomes the API's own Pydantic schema,
with each problem put next to the field it is about (the per-session CSRF token is `homecoming.http.csrf`).

The forms validate nothing by themselves: the schemas and the API's own endpoint functions do, so a page and a
script are held to exactly the same rules.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import Field, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy.orm import Session

from homecoming.accounts.models import User
from homecoming.errors import DomainError
from homecoming.input_rules import InputModel

Choices = Callable[[Session, User], list[tuple[str, str]]]


@dataclass(frozen=True)
class Input:
    """One field of a form; `name` is the schema's field name, so a schema error lands next to it."""

    name: str
    label: str
    kind: str = "text"  # text | number | date | select | checkbox | textarea | url
    required: bool = False
    choices: Choices | None = None
    step: str = "any"  # numbers: "1" for counts, "any" for amounts
    hint: str | None = None


def enum_choices(kind: type[enum.StrEnum]) -> Choices:
    return lambda _session, _user: [(item.value, item.value) for item in kind]


class Why(InputModel):
    """The optional reason given with a change; the same limit as the API's `comment` parameter."""

    comment: str | None = Field(default=None, max_length=1000)


def read_values(inputs: Sequence[Input], posted: Mapping[str, str], *, empty_is_none: bool) -> dict[str, Any]:
    """The posted text as schema input: a checkbox is true or false; an empty box is left out on a new record
    (the schema's default applies) or sent as empty on an edit (the form shows the whole record)."""
    values: dict[str, Any] = {}
    for item in inputs:
        if item.kind == "checkbox":
            values[item.name] = item.name in posted
            continue
        text = posted.get(item.name, "").strip()
        if text:
            values[item.name] = text
        elif empty_is_none:
            values[item.name] = None
    return values


def typed_back(inputs: Sequence[Input], posted: Mapping[str, str]) -> dict[str, Any]:
    """What the person typed, to show again after a refusal (nothing they typed is lost)."""
    return {i.name: (i.name in posted) if i.kind == "checkbox" else posted.get(i.name, "") for i in inputs}


def shown_values(inputs: Sequence[Input], record: Mapping[str, Any]) -> dict[str, Any]:
    """A record's values as the form's inputs show them."""
    shown: dict[str, Any] = {}
    for item in inputs:
        value = record.get(item.name)
        if item.kind == "checkbox":
            shown[item.name] = bool(value)
        else:
            shown[item.name] = "" if value is None else _text(value)
    return shown


def validation_problems(
    exc: ValidationError, names: Iterable[str], say: Callable[[ErrorDetails, str], str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """Each schema error under the field it names (a list's item's field as `victims-0-sex`); a whole-record rule
    ("planned_end is before planned_start") goes under the first field its message mentions, or above the form when
    it mentions none. `say`: the English message in the reader's words (web.refusals)."""
    names = list(names)
    by_field: dict[str, str] = {}
    general: list[str] = []
    for error in exc.errors():
        english = str(error["msg"]).removeprefix("Value error, ")
        message = say(error, english) if say else english
        location = error["loc"]
        name = "-".join(map(str, location)) if location else _first_named(english, names)
        if name in names:
            by_field.setdefault(name, message)
        else:
            general.append(f"{name}: {message}" if name else message)
    return by_field, general


def domain_problems(
    exc: DomainError, posted: Mapping[str, Any], names: Iterable[str], message: str | None = None
) -> dict[str, str]:
    """A service's refusal next to the field it is about: named in its details (a list's item's field,
    `victims[0].birth_date`, as `victims-0-birth_date`), or holding the value it names. `message`: the refusal in
    the reader's words (web.refusals), else the service's own."""
    names, said = list(names), message or exc.message
    for key, value in exc.details.items():
        if key in names and key != "code":
            return {key: said}
        field = re.sub(r"\[(\d+)\]\.?", r"-\1-", value) if key == "field" and isinstance(value, str) else None
        if field in names:
            return {str(field): said}
    for value in exc.details.values():
        holders = [n for n in names if isinstance(value, str) and posted.get(n) == value]
        if holders:
            return {holders[-1]: said}  # "code" comes first; a referenced record's code after it
    return {}


def _first_named(message: str, names: list[str]) -> str | None:
    found = [(message.find(name), name) for name in names if name in message]
    return min(found)[1] if found else None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)
