"""place_spellings.csv: every place's Azerbaijani spelling and where it comes from, and how often the
transliteration rule reproduces the spellings the reference gives."""

from __future__ import annotations

from types import SimpleNamespace

from curation.common import Rows, built, read, write
from curation.territory import SETTLEMENTS
from homecoming.territory.names import Transliterated, names, settlement_local_name, transliterate

# A place's Azerbaijani spelling comes from the reference (districts.csv's alt_spellings, a settlement's name in
# brackets or its GeoNames alternative names) and nowhere else: a place none of them spells gets the convention's
# transliteration of its English name when shown (homecoming.territory.names.transliterate), marked as such.
# place_spellings.csv records, for every place, which it is; `measure_rule` says how often the rule reproduces the
# spellings the reference gives.
RULE = "rule: homecoming.territory.names.transliterate"


def place_spellings() -> None:
    """Every district's and settlement's Azerbaijani spelling as the pages show it, and where it comes from: the
    reference file (and column) that gives it, or the rule (then the pages mark it as transliterated)."""
    districts = {str(d["code"]): SimpleNamespace(**d) for d in built["districts.csv"]}
    reference = {r["name"]: r for r in read("settlements.csv")}
    rows: Rows = []
    for d in districts.values():
        local = names(d.name, d.alt_names)[0]
        rows.append(_spelling("district", d.code, d.name, local, "districts.csv alt_spellings"))
    for s in built["settlements.csv"]:
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
