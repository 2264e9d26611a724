"""Builds the demo data set (src/homecoming/demo/data/*.csv) from ../shared/reference/karabakh.

Run by a maintainer when the reference facts change; the package ships its output so that `homecoming demo`
works without ../shared. Every row keeps the source address of the fact it copies; where sources disagree,
each figure is kept as its own row. Nothing here invents a figure: a value the reference does not give is
left empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
from difflib import SequenceMatcher
from pathlib import Path
from types import SimpleNamespace

from homecoming.territory.names import Transliterated, names, settlement_local_name, transliterate

REFERENCE = Path("../shared/reference/karabakh")
OUT = Path(__file__).resolve().parents[1] / "src/homecoming/demo/data"
Rows = list[dict[str, object]]
_built: dict[str, Rows] = {}  # file name -> rows, filled by write() while build() runs

DISTRICT_CODES = {
    "Khankendi (city)": "khankendi",
    "Aghjabadi": "aghjabadi",
    "Aghdam": "aghdam",
    "Barda": "barda",
    "Fuzuli": "fuzuli",
    "Khojaly": "khojaly",
    "Khojavend": "khojavend",
    "Shusha": "shusha",
    "Tartar": "tartar",
    "Aghdara (added Dec 2023)": "aghdara",
    "Jabrayil": "jabrayil",
    "Kalbajar": "kalbajar",
    "Gubadli": "gubadli",
    "Lachin": "lachin",
    "Zangilan": "zangilan",
}

# settlements.csv row name -> (code, display name, kind, district code after Dec 2023). Rows not listed are
# duplicates of a listed place (another gazetteer's copy of the same town).
SETTLEMENTS = {
    "Qubadlı": ("gubadli", "Gubadli", "city", "gubadli"),
    "Jabrayil": ("jabrayil", "Jabrayil", "city", "jabrayil"),
    "Kalbajar": ("kalbajar", "Kalbajar", "city", "kalbajar"),
    "Vank": ("vank", "Vank", "village", "aghdara"),
    "İstisu": ("istisu", "Istisu", "village", "kalbajar"),
    "Laçın": ("lachin", "Lachin", "city", "lachin"),
    "Sus": ("sus", "Sus", "village", "lachin"),
    "Zabukh (Zabux)": ("zabukh", "Zabukh", "village", "lachin"),
    "Mincivan": ("mincivan", "Mincivan", "village", "zangilan"),
    "Zangilan": ("zangilan", "Zangilan", "city", "zangilan"),
    "Aghdam": ("aghdam", "Aghdam", "city", "aghdam"),
    "Banovshalar": ("banovshalar", "Banovshalar", "village", "aghdam"),
    "Birinci Guzanli": ("birinci-guzanli", "Birinci Guzanli", "village", "aghdam"),
    "Guzanli": ("guzanli", "Guzanli", "village", "aghdam"),
    "Aghjabadi": ("aghjabadi", "Aghjabadi", "city", "aghjabadi"),
    "Avşar": ("avshar", "Avshar", "village", "aghjabadi"),
    "Hindarkh": ("hindarkh", "Hindarkh", "village", "aghjabadi"),
    "Barda": ("barda", "Barda", "city", "barda"),
    "Beshinji Zobujug": ("beshinji-zobujug", "Beshinji Zobujug", "village", "fuzuli"),
    "Birinji Zobujug": ("birinji-zobujug", "Birinji Zobujug", "village", "fuzuli"),
    "Dordunju Zobujug": ("dordunju-zobujug", "Dordunju Zobujug", "village", "fuzuli"),
    "Fuzuli": ("fuzuli", "Fuzuli", "city", "fuzuli"),
    "Horadiz": ("horadiz", "Horadiz", "town", "fuzuli"),
    "Ikinji Zobujug": ("ikinji-zobujug", "Ikinji Zobujug", "village", "fuzuli"),
    "Uchunju Zobujug": ("uchunju-zobujug", "Uchunju Zobujug", "village", "fuzuli"),
    "Karkijahan": ("karkijahan", "Karkijahan", "village", "khankendi"),
    "Khankendi": ("khankendi", "Khankendi", "city", "khankendi"),
    "Askyaran": ("askyaran", "Askyaran", "town", "khojaly"),
    "Khojaly": ("khojaly", "Khojaly", "city", "khojaly"),
    "Shushakend (Şuşakənd)": ("shushakend", "Shushakend", "village", "khojaly"),
    "Hadrut (wiki coord)": ("hadrut", "Hadrut", "town", "khojavend"),
    "Khojavend": ("khojavend", "Khojavend", "town", "khojavend"),
    "Qirmizi Bazar": ("qirmizi-bazar", "Qirmizi Bazar", "village", "khojavend"),
    "Sos": ("sos", "Sos", "village", "khojavend"),
    "Shusha": ("shusha", "Shusha", "city", "shusha"),
    "Turshsu": ("turshsu", "Turshsu", "village", "shusha"),
    "Aghdara (Martakert)": ("aghdara", "Aghdara", "town", "aghdara"),
    "Shikharkh": ("shikharkh", "Shikharkh", "village", "tartar"),
    "Tartar": ("tartar", "Tartar", "city", "tartar"),
    "Talish (Talış)": ("talish", "Talish", "village", "aghdara"),
}
# Places named only in resettlement.csv: no coordinates or population in the reference, so none here.
RESETTLEMENT_ONLY = {
    "khorovlu": ("Khorovlu", "village", "jabrayil"),
    "ballija": ("Ballija", "village", "khojaly"),
    "chapar": ("Chapar", "village", "aghdara"),
    "heyvali": ("Heyvali", "village", "aghdara"),
    "childiran": ("Childiran", "village", "aghdara"),
    "ashaghi-oratagh": ("Ashaghi Oratagh", "village", "aghdara"),
    "bash-garvand": ("Bash Garvand", "village", "aghdam"),
    "salahli-kangarli": ("Salahli Kangarli", "village", "aghdam"),
}
AGHALI_SOURCE = "https://perceptiopt.com/Агалы_II"
# A place's Azerbaijani spelling comes from the reference (districts.csv's alt_spellings, a settlement's name in
# brackets or its GeoNames alternative names) and nowhere else: a place none of them spells gets the convention's
# transliteration of its English name when shown (homecoming.territory.names.transliterate), marked as such.
# place_spellings.csv records, for every place, which it is; `measure_rule` says how often the rule reproduces the
# spellings the reference gives.
RULE = "rule: homecoming.territory.names.transliterate"

RESETTLEMENT_NAMES = {
    "Aghali (smart village)": "aghali",
    "Talish": "talish",
    "Lachin city": "lachin",
    "Fuzuli city": "fuzuli",
    "Zabukh": "zabukh",
    "Shusha city": "shusha",
    "Sus": "sus",
    "Khojaly city": "khojaly",
    "Jabrayil city": "jabrayil",
    "Ballija": "ballija",
    "Kalbajar city": "kalbajar",
    "Shushakend": "shushakend",
    "Qirmizi Bazar": "qirmizi-bazar",
    "Sos": "sos",
    "Khorovlu": "khorovlu",
    "Karkijahan": "karkijahan",
    "Aghdam city": "aghdam",
    "Khankendi city": "khankendi",
    "Bash Garvand": "bash-garvand",
    "Salahli Kangarli": "salahli-kangarli",
}


def read(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(name: str, rows: Rows) -> None:
    """Keeps a file's rows, each citation made a link or a note (cite)."""
    for row in rows:
        if row.get("source_url"):
            url, words = cite(str(row["source_url"]))
            row["source_url"] = url
            if words:
                note = next(key for key in ("note", "notes", "population_note", "description") if key in row)
                row[note] = noted(str(row[note]), words)
    _built[name] = rows


def save(built: dict[str, Rows], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in built.items():
        with (out / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        print(f"{name}: {len(rows)} rows")


def cite(source: str) -> tuple[str, str]:
    """(source_url, words for the note): a record's link is an http(s) address only (homecoming.input_rules), so a
    citation without one ("News.Az (2025)") moves to the note, and an address followed by words in brackets keeps
    the address (a package's version page) and moves the words to the note."""
    if not source.startswith(("http://", "https://")):
        return "", f"source: {source}"
    match = re.fullmatch(r"(\S+) \((.*)\)", source)
    if match is None:
        return source, ""
    url, words = match.groups()
    if version := re.match(r"v(\d[\d.]*), (.*)", words):
        return f"{url.rstrip('/')}/{version.group(1)}/", f"source file: {version.group(2)}"
    return (url if url.count("/") > 2 else url + "/"), ""


def noted(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def first_int(text: str) -> int | None:
    match = re.search(r"\d[\d,]*", text or "")
    return int(match.group().replace(",", "")) if match else None


def neutral(text: str) -> str:
    """Population notes say how many people and when, not who they were."""
    return re.sub(r"\b(Armenian |NKR )", "", text)


def iso_date(text: str) -> tuple[str, str]:
    """(ISO date, precision) from the reference's free-text dates: '2024-05-09/10', '2025-06 (lottery ...)'."""
    if match := re.match(r"(\d{4})-(\d{2})-(\d{2})", text):
        return match.group(0), "day"
    if match := re.match(r"(\d{4})-(\d{2})", text):
        return f"{match.group(0)}-01", "month"
    if match := re.match(r"(\d{4})", text):
        return f"{match.group(0)}-01-01", "year"
    raise ValueError(f"no date in {text!r}")


def regions_and_districts() -> None:
    write(
        "regions.csv",
        [
            {
                "code": "karabakh",
                "name": "Karabakh",
                "source_url": "https://www.azernews.az/nation/181004.html",
                "source_date": "",
            },
            {
                "code": "east-zangezur",
                "name": "East Zangezur",
                "source_url": "https://www.azernews.az/nation/181004.html",
                "source_date": "",
            },
        ],
    )
    rows = []
    for row in read("districts.csv"):
        area = first_int(row["area_km2"])
        rows.append(
            {
                "code": DISTRICT_CODES[row["district_en"]],
                "name": row["district_en"].split(" (")[0],
                "alt_names": row["alt_spellings"],
                "region_code": "karabakh" if row["economic_region"] == "Karabakh" else "east-zangezur",
                "admin_centre": row["admin_centre"],
                "iso_code": row["iso3166_2"],
                "centre_lat": row["centre_lat"],
                "centre_lon": row["centre_lon"],
                "area_km2": area if area is not None else "",
                "notes": "; ".join(x for x in (row["notes"], row["area_km2"] if area else "") if x),
                "source_url": row["source"],
                "source_date": "",
            }
        )
    write("districts.csv", rows)


def settlements() -> None:
    rows = []
    for row in read("settlements.csv"):
        if row["name"] not in SETTLEMENTS or any(r["name"] == SETTLEMENTS[row["name"]][1] for r in rows):
            continue  # a duplicate, or the second gazetteer's copy of a place already taken
        code, name, kind, district = SETTLEMENTS[row["name"]]
        rows.append(
            {
                "code": code,
                "name": name,
                "alt_names": _with_spelling(row["name"], name, row["alt_names"]),
                "district_code": district,
                "kind": kind,
                "lat": row["lat"],
                "lon": row["lon"],
                "households_before": "",
                "population_before": first_int(row["population"]) or "",
                "population_note": neutral(f"{row['population']} — {row['population_note']}".strip(" —")),
                "boundary_geojson": "",
                "geonames_id": row["geonameid"],
                "source_url": row["source"],
                "source_date": "",
            }
        )
    rows.append(
        {
            "code": "aghali",
            "name": "Aghali",
            "alt_names": "Aghali II|Aghali III",
            "district_code": "zangilan",
            "kind": "village",
            "lat": "39.18028",
            "lon": "46.75917",
            "households_before": 60 + 161,
            "population_before": 245 + 675,
            "population_note": "smart village of Aghali II (60 fam/245) and Aghali III (161 fam/675), "
            "pre-1993 figures; "
            "coordinates of Aghali II",
            "boundary_geojson": "",
            "geonames_id": "",
            "source_url": AGHALI_SOURCE,
            "source_date": "",
        }
    )
    for code, (name, kind, district) in RESETTLEMENT_ONLY.items():
        rows.append(
            {
                "code": code,
                "name": name,
                "alt_names": "",
                "district_code": district,
                "kind": kind,
                "lat": "",
                "lon": "",
                "households_before": "",
                "population_before": "",
                "population_note": "",
                "boundary_geojson": "",
                "geonames_id": "",
                "source_url": "",
                "source_date": "",
            }
        )
    for row in read("resettlement.csv"):
        for code in _resettlement_codes(row["settlement"]):
            match = next(r for r in rows if r["code"] == code)
            if not match["source_url"]:
                match["source_url"] = row["source"]
    write("settlements.csv", rows)


def _with_spelling(reference_name: str, name: str, alt_names: str) -> str:
    """The reference's other names, the Azerbaijani spelling first when the reference gives it in brackets after the
    name (Zabukh (Zabux))."""
    bracketed = re.fullmatch(r".+ \(([^)]+)\)", reference_name)
    if not bracketed or SequenceMatcher(None, bracketed.group(1).lower(), name.lower()).ratio() < 0.5:
        return alt_names  # no spelling, or another name (Aghdara (Martakert)) or a note (Hadrut (wiki coord))
    spelling = bracketed.group(1)
    return "|".join([spelling, *(n for n in alt_names.split("|") if n and n != spelling)])


def _resettlement_codes(name: str) -> list[str]:
    if name.startswith("Chapar/"):
        return ["chapar", "heyvali", "childiran", "ashaghi-oratagh"]
    return [RESETTLEMENT_NAMES[name]]


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


HOUSING_NAMES = {"Shushakend": "shushakend", "Qirmizi Bazar": "qirmizi-bazar", "Sos": "sos"}


def housing_stock() -> None:
    """Reported housing per settlement: the programme's figures (programme_facts.csv) read phrase by phrase, and the
    houses resettlement.csv names. Families who have come home live in homes: as many of the homes due by the end of
    the year of the latest return report as there are families counted are stored occupied, the rest as reported."""
    rows: Rows = []
    returned = returned_families()
    for fact in read("programme_facts.csv"):
        if fact["topic"] == "housing":
            code = HOUSING_NAMES[fact["fact"]]
            rows += _housing_rows(
                code, fact["value"], int(fact["date_or_period"][:4]), fact["source"], returned.get(code)
            )
    others = [
        ("aghali-built-2022", "aghali", "occupied", 200, "", "200 houses built (2022-07-19)"),
        ("aghali-building-2022", "aghali", "building", 150, "", "150 more under construction (2022-07-19)"),
        ("zabukh-first-stage", "zabukh", "occupied", 223, "", "223 single-storey houses (first stage, 2023-08-25)"),
        ("aghdam-new-neighbourhood", "aghdam", "ready", 1268, "", "1268 flats in new neighbourhood (2025-12-24)"),
        ("bash-garvand-planned", "bash-garvand", "planned", 1495, "", "1495 houses planned (foundation 2023-12-24)"),
        ("salahli-kangarli-planned", "salahli-kangarli", "planned", 418, "", "418 houses planned (2023-12-24)"),
    ]
    sources = {
        "aghali": "https://ocmediatest.fourthestate.app/first-azerbaijani-idps-return-after-29-years-in-exile",
        "zabukh": "https://turan.az/en/politics/first-families-return-to-zabukh-village-of-lachyn-region-768703",
        "aghdam": "https://www.trend.az/azerbaijan/politics/4134158.html",
        "bash-garvand": "https://en.vestikavkaza.ru/material/165482",
        "salahli-kangarli": "https://en.vestikavkaza.ru/material/165482",
    }
    rows += [_stock(code, place, status, units, ready, note, sources[place]) for code, place, status, units, ready, note
             in others]  # fmt: skip
    write("housing_stock.csv", rows)


def _stock(code: str, place: str, status: str, units: int, ready: str, note: str, source: str) -> dict[str, object]:
    return {"code": code, "settlement_code": place, "rooms": "", "status": status, "units": units,
            "expected_ready": ready, "note": note, "source_url": source, "source_date": ""}  # fmt: skip


def housing_batches(value: str, year: int) -> tuple[int | None, list[tuple[str, int, str]]]:
    """("263 planned; 15 ready; 85 more by end of year; 72 in 2026", 2025) -> (263, [(due, homes, phrase), ...]).

    `due` is "" for homes ready now, else the year's last day. "N more ..." and "N in YYYY" add N homes; "N by end
    of YYYY" and "N by YYYY" are running totals (217 by end of 2025 after 10 ready: 207 more), as the phrases read.
    """
    planned, batches, so_far = None, [], 0
    for phrase in value.split("; "):
        n = int(phrase.split()[0])
        when = re.search(r"(\d{4})$", phrase)
        due = f"{when.group(1) if when else year}-12-31"
        if phrase.endswith(" planned"):
            planned = n
            continue
        if phrase.endswith(" ready"):
            due, homes = "", n
        elif " more " in phrase or re.fullmatch(r"\d+ in \d{4}", phrase):
            homes = n
        else:  # "N by end of year", "N by end of 2025", "N by 2026": the total so far
            homes = n - so_far
        batches.append((due, homes, phrase))
        so_far += homes
    return planned, batches


def _housing_rows(place: str, value: str, year: int, source: str, returned: tuple[str, int] | None) -> Rows:
    planned, batches = housing_batches(value, year)
    rows, counted = [], 0
    as_of, families = returned or ("", 0)
    for due, homes, phrase in batches:
        occupied = min(homes, families) if not due or due[:4] <= as_of[:4] else 0
        families -= occupied
        kind = "cumulative reading: " if re.search(r"\d+ by ", phrase) else ""
        if occupied:
            rows.append(_stock(f"{place}-occupied-{due[:4] or 'now'}", place, "occupied", occupied, "",
                               f"{phrase} ({kind}{value}); {occupied} taken as occupied by the families counted by "
                               f"{as_of} (resettlement.csv)", source))  # fmt: skip
        if homes - occupied:
            status = "ready" if not due else ("building" if due[:4] == str(year) else "planned")
            rows.append(_stock(f"{place}-{status}-{due[:4] or 'now'}", place, status, homes - occupied, due,
                               f"{phrase} ({kind}{value})", source))  # fmt: skip
        counted += homes
    if planned is not None and planned > counted:
        said = f"{planned} planned in all, {counted} of them ready or due by a date: {planned - counted} without one"
        rows.append(_stock(f"{place}-planned-undated", place, "planned", planned - counted, "", f"{said} ({value})",
                           source))  # fmt: skip
    return rows


def returned_families() -> dict[str, tuple[str, int]]:
    """Settlement code -> (date, families) of its latest return report: the last running total plus the groups
    reported after it (as homecoming.returns.service counts them)."""
    events: dict[str, list[tuple[str, bool, int]]] = {}
    for row in read("resettlement.csv"):
        families = first_int(row["families"])
        if families is None or "planned" in row["event"]:
            continue
        for code in _resettlement_codes(row["settlement"]):
            events.setdefault(code, []).append((iso_date(row["date"])[0], row["event"].startswith("cumulative"),
                                                families))  # fmt: skip
    counted = {}
    for code, rows in events.items():
        rows.sort()
        last = max((i for i, (_, cumulative, _) in enumerate(rows) if cumulative), default=0)
        counted[code] = (rows[-1][0], sum(families for _, _, families in rows[last:]))
    return counted


def budgets() -> None:
    """Every budget figure the reference gives, one row each, conflicting figures kept side by side."""
    gr = "https://www.azernews.az/nation/181004.html"
    figures = [
        (2021, "planned", 2.2, "AZN", 1.0, gr, "planned (great_return.csv)"),
        (2021, "allocated", 1.5, "USD", 1.7, "Azernews 2022-04-28", "1.5 bn USD (programme_facts.csv)"),
        (2022, "planned", 2.2, "AZN", 1.0, "https://en.trend.az/business/3755569.html", "planned"),
        (2022, "revised", 2.67, "AZN", 1.0, "https://en.trend.az/business/3755569.html", "2.2 + 0.47 amendment"),
        (2022, "spent", 2.6, "AZN", 1.0, "https://en.trend.az/business/3755569.html", "spent"),
        (2023, "planned", 3.0, "AZN", 1.0, "https://en.trend.az/business/3758216.html", "planned"),
        (2023, "revised", 5.2, "AZN", 1.0, "https://en.trend.az/business/3758216.html", "after +2.2 revision"),
        (2023, "allocated", 5.6, "AZN", 1.0, "https://en.trend.az/business/3758216.html", "allocated (Asadov)"),
        (
            2024,
            "planned",
            3.8,
            "AZN",
            1.0,
            "https://report.az/ru/finansy/minfin-v-2025g-na-vosstanovlenie-"
            "osvobozhdennyh-territorij-vydeleno-4-4-mlrd-manatov-iz-gosbyudzheta",
            "planned",
        ),
        (
            2024,
            "revised",
            4.0,
            "AZN",
            1.0,
            "https://report.az/ru/finansy/minfin-v-2025g-na-vosstanovlenie-"
            "osvobozhdennyh-territorij-vydeleno-4-4-mlrd-manatov-iz-gosbyudzheta",
            "4.0 (Asadov)",
        ),
        (
            2024,
            "allocated",
            4.856,
            "AZN",
            1.0,
            "https://report.az/ru/finansy/minfin-v-2025g-na-vosstanovlenie-"
            "osvobozhdennyh-territorij-vydeleno-4-4-mlrd-manatov-iz-gosbyudzheta",
            "allocated",
        ),
        (
            2025,
            "planned",
            4.0,
            "AZN",
            1.0,
            "https://report.az/ru/finansy/minfin-v-2025g-na-vosstanovlenie-"
            "osvobozhdennyh-territorij-vydeleno-4-4-mlrd-manatov-iz-gosbyudzheta",
            "planned",
        ),
        (
            2025,
            "allocated",
            4.466,
            "AZN",
            1.0,
            "https://report.az/ru/finansy/minfin-v-2025g-na-vosstanovlenie-"
            "osvobozhdennyh-territorij-vydeleno-4-4-mlrd-manatov-iz-gosbyudzheta",
            "allocated; 10.1% of budget",
        ),
        (
            2026,
            "planned",
            3.5,
            "AZN",
            1.0,
            "https://report.az/ru/finansy/v-2026-godu-3-5-mlrd-manatov-budet-"
            "napravleno-na-vosstanovlenie-karabaha-i-vostochnogo-zangezura",
            "draft budget",
        ),
    ]
    rows = []
    for year, kind, billions, currency, rate, source, note in figures:
        if currency == "USD":
            note += "; rate 1.7 AZN/USD (the manat's peg since 2017)"
        rows.append(
            {
                "code": f"{year}-{kind}-{currency.lower()}",
                "year": year,
                "source_kind": "state_budget",
                "figure_kind": kind,
                "amount": round(billions * 1e9),
                "currency": currency,
                "rate_to_azn": rate,
                "note": note,
                "source_url": source,
                "source_date": "",
            }
        )
    write("budget_allocations.csv", rows)


def return_events() -> None:
    rows = []
    for row in read("resettlement.csv"):
        families, people = first_int(row["families"]), first_int(row["people"])
        if (families is None and people is None) or "planned" in row["event"] or "foundation" in row["event"]:
            continue  # a foundation stone or a plan, not a return
        when, precision = iso_date(row["date"])
        codes = _resettlement_codes(row["settlement"])
        kind = row["event"]
        cumulative = kind.startswith("cumulative")
        note = "; ".join(
            x
            for x in (
                row["housing_units"],
                row["people"] if not row["people"].isdigit() else "",
                row["date"] if precision != "day" or len(row["date"]) > 10 else "",
                row["families"] if not row["families"].isdigit() else "",
                "group shared by four villages: Chapar, Heyvali, Childiran, Ashaghi Oratagh" if len(codes) > 1 else "",
            )
            if x
        )
        code = f"{codes[0]}-{when}-{'cum' if cumulative else 'group'}"
        rows.append(
            {
                "code": code,
                "settlement_code": codes[0],
                "event_date": when,
                "date_precision": precision,
                "kind": kind[:100],
                "cumulative": "true" if cumulative else "false",
                "families": families if families is not None else "",
                "people": people if people is not None else "",
                "note": note,
                "source_url": row["source"],
                "source_date": when,
            }
        )
    write("return_events.csv", rows)


def convoys() -> None:
    """The first convoys of September 2025 as programme_facts.csv reports them ("10 families / 45 people"). A count
    the report does not give is left empty (unknown), never 0; a figure another file gives for the same arrival is
    named in the note, not copied into the convoy."""
    groups = {(r["settlement"], r["date"]): r for r in read("resettlement.csv") if r["event"] == "first group"}
    rows = []
    for fact in read("programme_facts.csv"):
        match = re.match(r"(?:first caravan to |)(\w[\w ]*?) \((\w+)\)(?: first group|)$", fact["fact"])
        if fact["topic"] != "return" or match is None:
            continue
        code = HOUSING_NAMES[match.group(1)]
        day = dt.datetime.strptime(fact["date_or_period"], "%B %d (%Y)").date().isoformat()
        families, people = first_int(fact["value"]), re.search(r"(\d+) people", fact["value"])
        other = next(r for (name, _), r in groups.items() if RESETTLEMENT_NAMES.get(name) == code)
        said = [] if people else [f"people not reported; resettlement.csv gives {other['people']} for this arrival"]
        rows.append({
            "code": f"{code}-{day}", "settlement_code": code, "departure_date": day, "status": "arrived",
            "vehicles": "", "households": families, "people": people.group(1) if people else "",
            "note": noted("vehicles not reported", *said,
                          f"resettlement.csv dates these arrivals {other['date']}"),
            "source_url": fact["source"], "source_date": day,
        })  # fmt: skip
    write("convoys.csv", rows)


def national_returns() -> None:
    """The programme's own national totals of returns (great_return.csv "returned IDPs"): "6206 families / 24729
    people in 31 settlements". A bound or an approximation (">1700", "~15000") keeps its number and says so."""
    rows = []
    for row in read("great_return.csv"):
        if row["indicator"] != "returned IDPs":
            continue
        day, precision = iso_date(row["period_or_date"])
        value = row["value"]
        families = re.search(r"([>~]?)(\d+) families", value)
        people = re.search(r"([>~]?)(\d+) people", value)
        places = re.search(r"in (\d+) settlements", value)
        rough = [f"{m.group(1)}{m.group(2)} {what}" for m, what in ((families, "families"), (people, "people"))
                 if m and m.group(1)]  # fmt: skip
        rows.append({
            "code": f"national-{day}", "as_of": day, "date_precision": precision,
            "families": families.group(2) if families else "", "people": people.group(2) if people else "",
            "settlements": places.group(1) if places else "",
            "note": noted(row["unit"], f"reported as {value}" if rough else "", row["note"]),
            "source_url": row["source"], "source_date": day,
        })  # fmt: skip
    write("national_return_counts.csv", rows)


def cumulative_budgets() -> None:
    """Running totals over several years, kept apart from the yearly figures they would otherwise be added to."""
    rows = []
    for row in read("great_return.csv"):
        if row["indicator"] == "budget cumulative":
            first, last = row["period_or_date"].split("-")
            rows.append(_cumulative(first, last, "", float(row["value"]), "AZN",
                                    noted("the reference does not say whether planned, allocated or spent",
                                          row["note"]), row["source"]))  # fmt: skip
    for fact in read("programme_facts.csv"):
        if fact["topic"] == "budget" and fact["fact"].startswith("planned spending"):
            first, last = fact["date_or_period"].split("-")
            rows.append(_cumulative(first, last, "planned", float(fact["value"]), "AZN",
                                    f"{fact['fact']}: {fact['value']} {fact['unit']}", fact["source"]))  # fmt: skip
    write("cumulative_budgets.csv", rows)


def _cumulative(
    first: str, last: str, kind: str, billions: float, currency: str, note: str, source: str
) -> dict[str, object]:
    return {"code": f"{first}-{last}-{kind or 'total'}-{currency.lower()}", "first_year": first, "last_year": last,
            "figure_kind": kind, "amount": round(billions * 1e9), "currency": currency, "rate_to_azn": 1.0,
            "note": note, "source_url": source, "source_date": ""}  # fmt: skip


def targets() -> None:
    source = "https://sfera.az/cemiyyet/237013/daha-215-aile-azad-olunmus-erazilere-kcurulecek"
    write(
        "programme_targets.csv",
        [
            {
                "code": "phase-1-families",
                "indicator": "families",
                "value": 34500,
                "unit": "families",
                "period": "2022-2026",
                "note": "I State Programme on the Great Return",
                "source_url": source,
                "source_date": "2022-11-16",
            },
            {
                "code": "phase-1-people",
                "indicator": "people",
                "value": 140000,
                "unit": "people",
                "period": "2022-2026",
                "note": "I State Programme on the Great Return",
                "source_url": source,
                "source_date": "2022-11-16",
            },
            {
                "code": "phase-1-settlements",
                "indicator": "settlements",
                "value": 100,
                "unit": "settlements",
                "period": "2022-2026",
                "note": "second phase 2026-2040",
                "source_url": "https://en.azvision.az/news/184267/azerbaijans-jabrayil-welcomes-back-30-families.html",
                "source_date": "",
            },
            {
                "code": "land-readied-2026",
                "indicator": "land readied",
                "value": 280000,
                "unit": "ha",
                "period": "2026",
                "note": "land to be readied by 2026",
                "source_url": "https://news.az (2023-09-13)",
                "source_date": "2023-09-13",
            },
        ],
    )


def clearance() -> None:
    rows = []
    for row in read("mine_action.csv"):
        indicator, period = row["indicator"], row["period_or_date"]
        if indicator in (
            "area cleared",
            "cumulative area cleared",
            "expected contaminated area",
            "expected contaminated area (alternative)",
        ):
            rows.append(
                _stat(
                    f"{indicator}-{period}",
                    indicator,
                    period,
                    "",
                    "",
                    float(row["value"]),
                    row["unit"],
                    row["note"],
                    row["source"],
                )
            )
        elif indicator == "area cleared by district":
            for part in row["value"].split(";"):
                name, value = part.strip().rsplit(" ", 1)
                district = DISTRICT_CODES.get(name, "khojavend" if name == "Khojavand" else "")
                rows.append(
                    _stat(
                        f"area-cleared-{period}-{district or 'other-districts'}",
                        "area cleared",
                        period,
                        district,
                        "" if district else name,
                        float(value),
                        row["unit"],
                        "",
                        row["source"],
                    )
                )
        elif indicator == "area cleared by land use":
            for part in row["value"].split(";"):
                use, value = part.strip().rsplit(" ", 1)
                rows.append(
                    _stat(
                        f"area-cleared-{period}-{use}",
                        "area cleared",
                        period,
                        "",
                        use,
                        float(value),
                        "ha",
                        "",
                        row["source"],
                    )
                )
        elif indicator == "mines neutralised":
            for year, count in zip(period.split(";"), row["value"].split(";"), strict=True):
                rows.append(
                    _stat(
                        f"mines-neutralised-{year}",
                        indicator,
                        year,
                        "",
                        "",
                        float(count),
                        "mines",
                        row["note"],
                        row["source"],
                    )
                )
    write("clearance_statistics.csv", rows)


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
    rows = [{"code": code, "name": name, "kind": kind, "country": "AZ", "source_url": row["source"], "source_date": ""}
            for code, name, kind in named]  # fmt: skip
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


def place_spellings() -> None:
    """Every district's and settlement's Azerbaijani spelling as the pages show it, and where it comes from: the
    reference file (and column) that gives it, or the rule (then the pages mark it as transliterated)."""
    districts = {str(d["code"]): SimpleNamespace(**d) for d in _built["districts.csv"]}
    reference = {r["name"]: r for r in read("settlements.csv")}
    rows: Rows = []
    for d in districts.values():
        local = names(d.name, d.alt_names)[0]
        rows.append(_spelling("district", d.code, d.name, local, "districts.csv alt_spellings"))
    for s in _built["settlements.csv"]:
        place = SimpleNamespace(**s)
        local = settlement_local_name(place, districts[str(s["district_code"])])
        rows.append(_spelling("settlement", place.code, place.name, local, _provenance(place, local, reference)))
    write("place_spellings.csv", rows)


def _spelling(kind: str, code: object, name: object, local: str | None, provenance: str) -> dict[str, object]:
    if isinstance(local, Transliterated):
        provenance = RULE
    return {"kind": kind, "code": code, "name": name, "azerbaijani": local or "", "provenance": provenance if local
            else "none: no source spells it, and its English name shows none of the convention's letters"}  # fmt: skip


def _provenance(place: SimpleNamespace, local: str | None, reference: dict[str, dict[str, str]]) -> str:
    """Which reference column gives a settlement's spelling (the town of a district's name: the district's)."""
    row = next((r for n, r in reference.items() if SETTLEMENTS.get(n, ("",))[0] == place.code), None)
    if row is not None and f"({local})" in row["name"]:
        return "settlements.csv name (in brackets)"
    if row is not None and local in row["alt_names"].split("|"):
        return "settlements.csv alt_names (GeoNames)"
    return "districts.csv alt_spellings (the town of the district's name)"


def measure_rule(spellings: Rows) -> tuple[int, int, list[tuple[str, str, str]]]:
    """How many of the spellings the reference gives the rule reproduces exactly: (reproduced, given, and each
    (English, reference's spelling, rule's) it misses)."""
    given = {(str(r["name"]), str(r["azerbaijani"])) for r in spellings if r["azerbaijani"] and r["provenance"] != RULE
             and not str(r["provenance"]).startswith("none")}  # fmt: skip
    missed = sorted((name, local, made) for name, local in given if (made := transliterate(name)) != local)
    return len(given) - len(missed), len(given), missed


def build(reference: Path) -> dict[str, Rows]:
    """Every file of the demo data set (but heritage_sites.csv, curated by hand), from the reference folder."""
    global REFERENCE
    REFERENCE = reference
    _built.clear()
    regions_and_districts()
    settlements()
    projects()
    housing_stock()
    budgets()
    cumulative_budgets()
    return_events()
    convoys()
    national_returns()
    targets()
    clearance()
    mine_action_operators()
    casualty_figures()
    place_spellings()
    return dict(_built)


if __name__ == "__main__":
    made = build(Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE)
    save(made, OUT)
    reproduced, given, _missed = measure_rule(made["place_spellings.csv"])
    print(f"the transliteration rule reproduces {reproduced} of the {given} spellings the reference gives")
