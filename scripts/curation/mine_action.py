"""clearance_statistics.csv, mine_action_operators.csv and mine_casualty_figures.csv: the reported mine-action
figures, as aggregates."""

from __future__ import annotations

import re

from curation.common import Rows, read, write
from curation.territory import DISTRICT_CODES

# Indicators given as one figure, and those mine_action.csv gives as several in one cell
TOTALS = (
    "area cleared",
    "cumulative area cleared",
    "expected contaminated area",
    "expected contaminated area (alternative)",
)


def clearance() -> None:
    rows = []
    for row in read("mine_action.csv"):
        indicator = row["indicator"]
        if indicator in TOTALS:
            rows.append(_total(row))
        elif indicator in SPLITS:
            rows.extend(SPLITS[indicator](row))
    write("clearance_statistics.csv", rows)


def _total(row: dict[str, str]) -> dict[str, object]:
    indicator, period = row["indicator"], row["period_or_date"]
    return _stat(
        f"{indicator}-{period}", indicator, period, "", "", float(row["value"]), row["unit"], row["note"], row["source"]
    )


def _by_district(row: dict[str, str]) -> Rows:
    """One row per district of "area cleared by district" ("Aghdam 123; Fuzuli 45; ...")."""
    rows = []
    period = row["period_or_date"]
    for part in row["value"].split(";"):
        name, value = part.strip().rsplit(" ", 1)
        district = DISTRICT_CODES.get(name, "khojavend" if name == "Khojavand" else "")
        code = f"area-cleared-{period}-{district or 'other-districts'}"
        place = "" if district else name
        rows.append(_stat(code, "area cleared", period, district, place, float(value), row["unit"], "", row["source"]))
    return rows


def _by_land_use(row: dict[str, str]) -> Rows:
    """One row per land use of "area cleared by land use" (in hectares)."""
    period = row["period_or_date"]
    return [
        _stat(f"area-cleared-{period}-{use}", "area cleared", period, "", use, float(value), "ha", "", row["source"])
        for use, value in (part.strip().rsplit(" ", 1) for part in row["value"].split(";"))
    ]


def _mines_neutralised(row: dict[str, str]) -> Rows:
    """One row per year of "mines neutralised" (years and counts are ";"-separated in step)."""
    years, counts = row["period_or_date"].split(";"), row["value"].split(";")
    return [
        _stat(f"mines-neutralised-{y}", row["indicator"], y, "", "", float(c), "mines", row["note"], row["source"])
        for y, c in zip(years, counts, strict=True)
    ]


SPLITS = {
    "area cleared by district": _by_district,
    "area cleared by land use": _by_land_use,
    "mines neutralised": _mines_neutralised,
}


# The operators mine_action.csv names, as records: (code, full name, kind). Its "4 private companies" are not named
# in the reference, so no record is made up for them.
OPERATORS = {
    "ANAMA": ("anama", "Mine Action Agency of the Republic of Azerbaijan (ANAMA)", "national_agency"),
    "Ministry of Defence": ("az-defence", "Ministry of Defence of Azerbaijan", "national_team"),
    "Ministry of Emergency Situations": (
        "az-emergencies", "Ministry of Emergency Situations of Azerbaijan", "national_team"
    ),
    "State Border Service": ("az-border", "State Border Service of Azerbaijan", "national_team"),
}  # fmt: skip


VICTIMS = re.compile(r"mine victims since (\d{4}-\d{2}-\d{2})")


def mine_action_operators() -> None:
    row = next(r for r in read("mine_action.csv") if r["indicator"] == "demining operators")
    named = [OPERATORS[name.strip()] for name in row["value"].split(";") if name.strip() in OPERATORS]
    rows: Rows = [{"code": code, "name": name, "kind": kind, "country": "AZ", "source_url": row["source"],
                   "source_date": ""} for code, name, kind in named]  # fmt: skip
    write("mine_action_operators.csv", rows)


def casualty_figures() -> None:
    """The reported national casualty counts (cumulative since the end of the war), as aggregates: no accident or
    victim is made up from them."""
    rows = []
    for row in read("mine_action.csv"):
        since = VICTIMS.fullmatch(row["indicator"])
        if since is None:
            continue
        parts = re.fullmatch(r"(\d+) killed / (\d+) injured", row["note"])
        killed, injured = (int(n) for n in parts.groups()) if parts else (None, None)
        day = row["period_or_date"]
        rows.append({
            "code": f"mine-victims-{day}",
            "since": since.group(1),
            "as_of": day,
            "killed": "" if killed is None else killed,
            "injured": "" if injured is None else injured,
            "total": int(row["value"]),
            "note": row["note"],
            "source_url": row["source"],
            "source_date": day if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else "",
        })  # fmt: skip
    write("mine_casualty_figures.csv", rows)


def _stat(
    code: str,
    indicator: str,
    period: str,
    district: str,
    breakdown: str,
    value: float,
    unit: str,
    note: str,
    source: str,
) -> dict[str, object]:
    return {
        "code": re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")[:64],
        "indicator": indicator,
        "period": period,
        "district_code": district,
        "breakdown": breakdown,
        "value": value,
        "unit": unit,
        "note": note,
        "count": "",
        "source_url": source,
        "source_date": "",
    }
