"""Offline validation against the open-data standards' official JSON Schemas (draft 4), shipped in `schemas/`.

A package schema refers to its item schema by web address; that address is served from the local copy, so
nothing is ever fetched.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from homecoming.errors import RuleViolation

SCHEMAS = Path(__file__).parent / "schemas"
STANDARDS = {
    # name: (folder, package schema, item schema, the address the package schema refers to it by)
    "ocds": (
        "ocds-1.1.5",
        "release-package-schema.json",
        "release-schema.json",
        "https://standard.open-contracting.org/schema/1__1__5/release-schema.json",
    ),
    # a record package: each contracting process's releases (its history) and its compiled release
    "ocds-record": (
        "ocds-1.1.5",
        "record-package-schema.json",
        "release-schema.json",
        "https://standard.open-contracting.org/schema/1__1__5/release-schema.json",
    ),
    "oc4ids": (
        "oc4ids-0.9.4",
        "project-package-schema.json",
        "project-schema.json",
        "https://standard.open-contracting.org/infrastructure/schema/0__9__4/project-schema.json",
    ),
}
LABELS = {"ocds": "OCDS 1.1.5", "ocds-record": "OCDS 1.1.5 record", "oc4ids": "OC4IDS 0.9.4"}
# Records the demo made up to show the pages (homecoming.demo.illustrative) stay out of every open-data export unless
# asked for; asked for, each carries this sentence in the standard's own description field (and, where the schema
# takes additional fields, `"illustrative": true`), so no reader takes it for a fact. docs/formats.md.
ILLUSTRATIVE_NOTE = "Illustrative record made up by the Homecoming demo to show its pages: not a fact."


def iso(moment: dt.datetime | None) -> str | None:
    """A stored time (naive UTC, or aware: an attachment's upload time) as RFC 3339."""
    if moment is not None and moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time (jsonschema checks this format only with an optional package, so it is done here)."""
    if not isinstance(value, str):
        return True
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return "T" in value and parsed.tzinfo is not None


_formats = FormatChecker()
_formats.checks("date-time", raises=ValueError)(_is_date_time)


@cache
def validator(standard: str) -> Draft4Validator:
    folder, package_file, item_file, item_url = STANDARDS[standard]
    item = json.loads((SCHEMAS / folder / item_file).read_text(encoding="utf-8"))
    package = json.loads((SCHEMAS / folder / package_file).read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(
        item_url, Resource.from_contents(item, default_specification=DRAFT4)
    )
    return Draft4Validator(package, registry=registry, format_checker=_formats)


def schema_errors(standard: str, package: dict[str, Any]) -> list[str]:
    errors = sorted(validator(standard).iter_errors(package), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(package)'}: {e.message}" for e in errors]


def validate(standard: str, package: dict[str, Any]) -> None:
    errors = schema_errors(standard, package)
    if errors:
        raise RuleViolation(
            f"{standard}.invalid",
            f"the {LABELS[standard]} package breaks the official schema: {errors[0]}",
            {"errors": errors[:50]},
        )
