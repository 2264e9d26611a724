"""housing_stock.csv: the homes reported built, being built or planned per settlement, and how many of them the
families who have come home live in."""

from __future__ import annotations

import re

from curation.common import Rows, first_int, iso_date, read, write
from curation.territory import resettlement_codes

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
        for code in resettlement_codes(row["settlement"]):
            events.setdefault(code, []).append((iso_date(row["date"])[0], row["event"].startswith("cumulative"),
                                                families))  # fmt: skip
    counted = {}
    for code, rows in events.items():
        rows.sort()
        last = max((i for i, (_, cumulative, _) in enumerate(rows) if cumulative), default=0)
        counted[code] = (rows[-1][0], sum(families for _, _, families in rows[last:]))
    return counted
