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
# An outline: a GeoJSON (Multi)Polygon in WGS84. A GeoJSON file imported into the table puts each feature's geometry
# here (homecoming.interchange.geojson); a file row's outline is checked by homecoming.geo.polygon.
GEOMETRY = {"geometry": "polygon"}
# Realistic bounds of the figures behind public totals (issue 16): one typo or one attacker's 2,147,483,648 must not
# become the programme's headline. Schemas take the same dicts (homecoming.input_rules.within).
HOUSEHOLD_SIZE = {"min": 1, "max": 50}  # people in one displaced household
HOUSEHOLD_MEMBERS = {"min": 0, "max": 50}  # its children, its elderly
ROOMS = {"min": 1, "max": 30}
FAMILIES = {"min": 0, "max": 1_000_000}  # families counted in one event, convoy, settlement or target
PEOPLE = {"min": 0, "max": 5_000_000}  # people counted in one event, convoy, settlement or target
VEHICLES = {"min": 0, "max": 10_000}
HOUSING_UNITS = {"min": 0, "max": 1_000_000}
AREA_M2 = {"min": 0, "max": 20_000_000_000}  # 20,000 km²: more than all of Karabakh and East Zangezur
AREA_KM2 = {"min": 0, "max": 20_000}
ITEMS = {"min": 0, "max": 10_000_000}  # explosive items found or destroyed by one activity
AMOUNT = {"min": 0, "max": 1_000_000_000_000}  # one amount, in any currency: a trillion is no budget line
POSITIVE_AMOUNT = {"gt": 0, "max": 1_000_000_000_000}
QUANTITY = {"min": 0, "max": 1_000_000_000}  # damaged objects or bill-of-quantities units of one line
