"""Column helpers shared by the domains: enums stored as plain strings, so SQLite and PostgreSQL agree."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def str_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A string column constrained to the enum's values (a CHECK, not a native type: portable migrations)."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


# Bounds a file importer and the services check before anything is written (column.info).
NON_NEGATIVE = {"min": 0}
LATITUDE = {"min": -90, "max": 90}
LONGITUDE = {"min": -180, "max": 180}
