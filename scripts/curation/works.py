"""projects.csv: the programme's reported works projects (airports, roads, rail, power), each with its sources."""

from __future__ import annotations

import re

from curation.common import iso_date, noted, read, write

PROJECTS = [
    # (reference project name, code, sector, status, progress %, district code or "", settlement code or "")
    ("Fuzuli International Airport (FZL/UBBF)", "fuzuli-airport", "airport", "completed", 100, "fuzuli", ""),
    ("Zangilan International Airport", "zangilan-airport", "airport", "completed", 100, "zangilan", ""),
    ("Lachin International Airport", "lachin-airport", "airport", "completed", 100, "lachin", ""),
    ("Victory Road Ahmadbeyli-Fuzuli-Shusha", "victory-road", "road", "completed", 100, "", ""),
    (
        "Ahmadbeyli-Fuzuli-Shusha highway (new 1st-category)",
        "ahmadbeyli-fuzuli-shusha-highway",
        "road",
        "completed",
        100,
        "",
        "",
    ),
    ("Barda-Aghdam highway", "barda-aghdam-highway", "road", "completed", 100, "", ""),
    (
        "Horadiz-Jabrayil-Zangilan-Aghband (Zangezur corridor)",
        "horadiz-aghband-highway",
        "road",
        "in_progress",
        95,
        "",
        "",
    ),
    ("Shukurbayli-Jabrayil-Hadrut", "shukurbayli-jabrayil-hadrut-road", "road", "in_progress", 0, "", ""),
    ("Toghanali-Kalbajar-Istisu", "toghanali-kalbajar-istisu-road", "road", "in_progress", 0, "kalbajar", ""),
    ("Kalbajar-Lachin", "kalbajar-lachin-road", "road", "in_progress", 0, "", ""),
    ("Lachin bypass road (Lachin corridor alternative)", "lachin-bypass-road", "road", "completed", 100, "lachin", ""),
    ("Horadiz-Aghband railway", "horadiz-aghband-railway", "rail", "in_progress", 62, "", ""),
    ("Gulabird small HPP (first plant commissioned)", "gulabird-hpp", "power", "completed", 100, "lachin", ""),
    ("Khudafarin + Giz Galasi HPPs (Araz; AZ share)", "khudafarin-giz-galasi-hpp", "power", "completed", 100, "", ""),
    ("Shafag solar PV (bp/SOCAR Green/ABDF)", "shafag-solar", "power", "in_progress", 0, "jabrayil", ""),
    (
        "110 kV substations (Shusha; Fuzuli; Shukurbayli; Aghdam-1/-2; Kalbajar)",
        "substations-110kv",
        "power",
        "in_progress",
        0,
        "",
        "",
    ),
]


def projects() -> None:
    by_name = {row["project"]: row for row in read("projects.csv")}
    roads = {row["fact"]: row for row in read("programme_facts.csv") if row["topic"] == "roads"}
    facts = {code: roads[name] for code, name in ROAD_FACTS.items()}
    rows = []
    for name, code, sector, status, progress, district, settlement in PROJECTS:
        ref = by_name[name]
        start = _date_or_blank(ref["date_start"])
        opened = re.search(
            r"(opened|completed|commissioned/inaugurated) (\d{4}-\d{2}(-\d{2})?)", ref["date_open_or_status"]
        )
        rows.append(
            {
                "code": code,
                "name": name,
                "sector": sector,
                "stage": 1,
                "status": status,
                "progress_pct": progress,
                "district_code": district,
                "settlement_code": settlement,
                "lat": "",
                "lon": "",
                "location_text": ref["district"],
                "budget_amount": "",
                "budget_currency": "",
                "planned_start": "",
                "planned_end": "",
                "actual_start": start,
                "actual_end": iso_date(opened.group(2))[0] if opened and status == "completed" else "",
                "metric": ref["metric"],
                "metric_value": ref["value"],
                "description": f"status: {ref['date_open_or_status']}" if ref["date_open_or_status"] else "",
                "source_url": ref["source"],
                "source_date": "",
            }
        )
        _second_source(rows[-1], facts.get(code))
    write("projects.csv", rows)


# projects.csv name -> programme_facts.csv name of the same road, whose date the programme's own account gives
ROAD_FACTS = {"victory-road": "Victory Road Shusha-Fuzuli", "barda-aghdam-highway": "Barda-Aghdam road"}


def _second_source(row: dict[str, object], fact: dict[str, str] | None) -> None:
    """Where programme_facts.csv dates a road too, both dates stay, each with its source: an opening date the
    projects file lacks becomes the project's end date; one that differs is kept in the description."""
    if fact is None:
        return
    said = f"{fact['date_or_period']} ({fact['value']} {fact['unit']}; programme_facts.csv, source: {fact['source']})"
    opened = re.search(r"opened (\d{4}-\d{2}-\d{2})", fact["date_or_period"])
    if opened and not row["actual_end"]:
        row["actual_end"] = opened.group(1)
    row["description"] = noted(str(row["description"]), said)


def _date_or_blank(text: str) -> str:
    try:
        return iso_date(text)[0] if text else ""
    except ValueError:
        return ""
