"""Pure rules of a form's answers: present when required, a choice of the list, a number, a point, a polygon that
does not cross itself. Each refusal names the field and says what to fix; nothing here touches the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from homecoming import geo
from homecoming.errors import RuleViolation
from homecoming.fielddata.forms import BuiltForm

ANSWERED_TYPES = ("text", "integer", "decimal", "date", "geopoint", "geoshape", "select_one", "image")


def check_answers(form: BuiltForm, version: str, answers: dict[str, str]) -> dict[str, Any]:
    """The answers as values (numbers, dates, points, GeoJSON polygons), or the first refusal."""
    if version != form.version:
        raise RuleViolation(
            "fielddata.unknown_form_version",
            f"this {form.form_id} form was filled in version {version!r}, but the current version is "
            f"{form.version!r} (a choice list changed): download the form again and fill it in anew",
            {"form_id": form.form_id, "version": version, "current_version": form.version},
        )
    words = form.labels()
    values: dict[str, Any] = {}
    for question in form.spec.questions:
        given = (answers.get(question.name) or "").strip()
        if not given:
            if question.required:
                raise RuleViolation("fielddata.missing_field", f"{question.name} is required but was not answered",
                                    {"field": question.name, "form_id": form.form_id})  # fmt: skip
            continue
        if question.list_name is not None and given not in words.get(question.list_name, {}):
            raise RuleViolation(
                "fielddata.bad_choice",
                f"{question.name}: {given!r} is not in the form's list {question.list_name}",
                {"field": question.name, "value": given},
            )
        values[question.name] = answer_value(question.type, question.name, given)
    return values


def answer_value(kind: str, field: str, given: str) -> Any:
    try:
        if kind == "integer":
            return int(given)
        if kind == "decimal":
            return float(given)
        if kind == "date":
            return dt.date.fromisoformat(given[:10]).isoformat()
    except ValueError:
        raise RuleViolation("fielddata.bad_value", f"{field}: {given!r} is not a {kind}",
                            {"field": field, "value": given, "type": kind}) from None  # fmt: skip
    if kind == "geopoint":
        lat, lon = point(field, given)
        return {"lat": lat, "lon": lon}
    if kind == "geoshape":
        return polygon(field, given)
    return given


def point(field: str, given: str) -> tuple[float, float]:
    """An ODK geopoint: "lat lon [altitude accuracy]"."""
    parts = given.split()
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        raise RuleViolation("fielddata.bad_point", f"{field}: {given!r} is not a point (\"lat lon alt accuracy\")",
                            {"field": field, "value": given[:200]}) from None  # fmt: skip
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RuleViolation("fielddata.bad_point", f"{field}: {lat}, {lon} is not on the Earth",
                            {"field": field, "value": given[:200]})  # fmt: skip
    return lat, lon


def polygon(field: str, given: str) -> dict[str, Any]:
    """An ODK geoshape ("lat lon alt acc;...") as a GeoJSON Polygon, refused if it crosses
    itself (shapely, through `geo.polygon`): its area, the hazard's size, would mean nothing."""
    ring = [point(field, part) for part in given.split(";") if part.strip()]
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])  # Collect closes the ring itself; an export may not
    if len(ring) < 4:
        raise RuleViolation(
            "fielddata.bad_shape",
            f"{field}: a shape needs at least three corners",
            {"field": field, "points": len(ring)},
        )
    geojson = {"type": "Polygon", "coordinates": [[[lon, lat] for lat, lon in ring]]}
    geo.polygon(geojson, field)  # the one geometry rule: a boundary that crosses itself is `geometry.invalid`
    return geojson
