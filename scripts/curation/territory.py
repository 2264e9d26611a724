"""regions.csv, districts.csv and settlements.csv: the places, their codes and which reference rows they come from."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from curation.common import Rows, first_int, neutral, read, write

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
    rows: Rows = []
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


AGHALI: dict[str, object] = {
    "code": "aghali",
    "name": "Aghali",
    "alt_names": "Aghali II|Aghali III",
    "district_code": "zangilan",
    "kind": "village",
    "lat": "39.18028",
    "lon": "46.75917",
    "households_before": 60 + 161,
    "population_before": 245 + 675,
    "population_note": "smart village of Aghali II (60 fam/245) and Aghali III (161 fam/675), pre-1993 figures; "
    "coordinates of Aghali II",
    "boundary_geojson": "",
    "geonames_id": "",
    "source_url": AGHALI_SOURCE,
    "source_date": "",
}


def settlements() -> None:
    rows: Rows = []
    for row in read("settlements.csv"):
        if row["name"] not in SETTLEMENTS or any(r["name"] == SETTLEMENTS[row["name"]][1] for r in rows):
            continue  # a duplicate, or the second gazetteer's copy of a place already taken
        rows.append(_gazetteer_settlement(row))
    rows.append(dict(AGHALI))
    for code, (name, kind, district) in RESETTLEMENT_ONLY.items():
        rows.append(_settlement(code, name, kind, district))
    for row in read("resettlement.csv"):
        for code in resettlement_codes(row["settlement"]):
            match = next(r for r in rows if r["code"] == code)
            if not match["source_url"]:
                match["source_url"] = row["source"]
    write("settlements.csv", rows)


def _settlement(code: str, name: str, kind: str, district: str) -> dict[str, object]:
    """A settlement row with only what every row has; the rest blank."""
    blank = ("lat", "lon", "households_before", "population_before", "population_note", "boundary_geojson")
    row: dict[str, object] = {"code": code, "name": name, "alt_names": "", "district_code": district, "kind": kind}
    return row | {key: "" for key in (*blank, "geonames_id", "source_url", "source_date")}


def _gazetteer_settlement(row: dict[str, str]) -> dict[str, object]:
    """The row of a settlement the gazetteer (settlements.csv of the reference) gives."""
    code, name, kind, district = SETTLEMENTS[row["name"]]
    return _settlement(code, name, kind, district) | {
        "alt_names": _with_spelling(row["name"], name, row["alt_names"]),
        "lat": row["lat"],
        "lon": row["lon"],
        "population_before": first_int(row["population"]) or "",
        "population_note": neutral(f"{row['population']} — {row['population_note']}".strip(" —")),
        "geonames_id": row["geonameid"],
        "source_url": row["source"],
    }


def _with_spelling(reference_name: str, name: str, alt_names: str) -> str:
    """The reference's other names, the Azerbaijani spelling first when the reference gives it in brackets after the
    name (Zabukh (Zabux))."""
    bracketed = re.fullmatch(r".+ \(([^)]+)\)", reference_name)
    if not bracketed or SequenceMatcher(None, bracketed.group(1).lower(), name.lower()).ratio() < 0.5:
        return alt_names  # no spelling, or another name (Aghdara (Martakert)) or a note (Hadrut (wiki coord))
    spelling = bracketed.group(1)
    return "|".join([spelling, *(n for n in alt_names.split("|") if n and n != spelling)])


def resettlement_codes(name: str) -> list[str]:
    if name.startswith("Chapar/"):
        return ["chapar", "heyvali", "childiran", "ashaghi-oratagh"]
    return [RESETTLEMENT_NAMES[name]]
