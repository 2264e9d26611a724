"""return_events.csv, convoys.csv, national_return_counts.csv and programme_targets.csv: who has come home, when,
and the programme's targets."""

from __future__ import annotations

import datetime as dt
import re

from curation.common import Rows, first_int, iso_date, noted, read, write
from curation.housing import HOUSING_NAMES
from curation.territory import RESETTLEMENT_NAMES, resettlement_codes


def return_events() -> None:
    rows: Rows = []
    for row in read("resettlement.csv"):
        families, people = first_int(row["families"]), first_int(row["people"])
        if (families is None and people is None) or "planned" in row["event"] or "foundation" in row["event"]:
            continue  # a foundation stone or a plan, not a return
        when, precision = iso_date(row["date"])
        codes = resettlement_codes(row["settlement"])
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
