"""The curation script builds the demo data set from the reference facts, and each fix of issue 19 holds against them.

tests/data/reference_karabakh is a copy of ../shared/reference/karabakh (so the test runs on any machine); the script
is run on it and must give exactly the files the package ships, and every figure checked here is read from the
reference itself, not typed again.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homecoming.damage.proposals import STAGE_OF_SECTOR
from homecoming.demo import loader
from homecoming.interchange.exporter import export_file
from homecoming.interchange.importer import import_file
from homecoming.returns.models import Convoy
from homecoming.territory.names import Transliterated, romanised, settlement_local_name, transliterate
from homecoming.works.models import Sector

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests/data/reference_karabakh"


@pytest.fixture(scope="module")
def curate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("curate_demo_data", ROOT / "scripts/curate_demo_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(curate: ModuleType) -> dict[str, list[dict[str, str]]]:
    return {name: [{k: str(v) for k, v in row.items()} for row in rows] for name, rows in
            curate.build(REFERENCE).items()}  # fmt: skip


def _reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _fact(topic: str, fact: str) -> dict[str, str]:
    return next(r for r in _reference("programme_facts.csv") if r["topic"] == topic and r["fact"] == fact)


def _housing(built: dict[str, list[dict[str, str]]], place: str) -> dict[str, int]:
    units: dict[str, int] = {}
    for row in built["housing_stock.csv"]:
        if row["settlement_code"] == place:
            units[row["status"]] = units.get(row["status"], 0) + int(row["units"])
    return units


def test_the_script_gives_exactly_the_shipped_demo_data(built: dict[str, list[dict[str, str]]]) -> None:
    for name, rows in built.items():
        with (loader.DATA / name).open(encoding="utf-8", newline="") as handle:
            assert list(csv.DictReader(handle)) == rows, name


def test_shushakend_holds_every_home_of_the_263_planned(built: dict[str, list[dict[str, str]]]) -> None:
    value = _fact("housing", "Shushakend")["value"]
    planned, ready, by_2025, in_2026 = (int(n) for n in re.findall(r"(\d+) (?:planned|ready|more|in)", value))
    assert (planned, ready, by_2025, in_2026) == (263, 15, 85, 72)
    units = _housing(built, "shushakend")
    assert sum(units.values()) == planned
    families = int(_fact("return", "Shushakend (Khojaly) first group")["value"].split()[0])
    undated = planned - ready - by_2025 - in_2026  # 91: the 263 less the homes the report dates
    assert units == {"occupied": families, "building": by_2025, "planned": in_2026 + undated}


def test_sos_has_the_homes_its_returned_families_live_in(built: dict[str, list[dict[str, str]]]) -> None:
    by_2025, by_2026 = (int(n) for n in re.findall(r"(\d+) by", _fact("housing", "Sos")["value"]))
    latest = next(r for r in _reference("resettlement.csv") if r["settlement"] == "Sos" and r["date"] == "2025-12-24")
    assert int(latest["families"]) == 85
    # 85 families came home by 2025-12-24, and 75 homes were reported for 2025: all 75 are lived in
    assert _housing(built, "sos") == {"occupied": min(by_2025, int(latest["families"])), "planned": by_2026 - by_2025}


def test_qirmizi_bazar_running_total_is_said_to_be_read_as_cumulative(built: dict[str, list[dict[str, str]]]) -> None:
    value = _fact("housing", "Qirmizi Bazar")["value"]
    ready, by_2025, more_2026 = (int(n) for n in re.findall(r"(\d+) (?:ready|by|more)", value))
    units = _housing(built, "qirmizi-bazar")
    assert units["occupied"] + units["building"] == by_2025  # 217 by end of 2025 is a total, the 10 ready included
    assert units["planned"] == more_2026 and units["occupied"] == ready
    building = next(r for r in built["housing_stock.csv"] if r["code"] == "qirmizi-bazar-building-2025")
    assert "cumulative reading" in building["note"]


def test_a_convoy_count_not_reported_is_left_empty(built: dict[str, list[dict[str, str]]]) -> None:
    convoys = {r["settlement_code"]: r for r in built["convoys.csv"]}
    assert (convoys["sos"]["people"], convoys["shushakend"]["people"], convoys["qirmizi-bazar"]["people"]) == (
        "45", "", "",
    )  # fmt: skip
    assert {r["vehicles"] for r in convoys.values()} == {""}
    assert "resettlement.csv gives 59" in convoys["shushakend"]["note"]


def test_unknown_convoy_counts_load_as_null_never_zero(engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as session:
        loader.load_reference(session)
        counts = {code: people for code, people in session.execute(select(Convoy.code, Convoy.people))}
        vehicles = set(session.scalars(select(Convoy.vehicles)))
        # the one reader of a convoy's counts, the registry export, writes unknown as an empty cell, and re-imports it
        assert export_file(session, "convoys", tmp_path / "convoys.csv") == 3
        again = import_file(session, "convoys", tmp_path / "convoys.csv")
    assert counts == {"sos-2025-09-14": 45, "shushakend-2025-09-14": None, "qirmizi-bazar-2025-09-14": None}
    assert vehicles == {None}
    with (tmp_path / "convoys.csv").open(encoding="utf-8") as handle:
        exported = {row["code"]: (row["vehicles"], row["people"]) for row in csv.DictReader(handle)}
    assert exported["shushakend-2025-09-14"] == ("", "") and exported["sos-2025-09-14"] == ("", "45")
    assert again.unchanged == 3


def test_the_national_return_figure_is_the_programmes_own(built: dict[str, list[dict[str, str]]]) -> None:
    reported = [r for r in _reference("great_return.csv") if r["indicator"] == "returned IDPs"]
    latest = max(reported, key=lambda r: r["period_or_date"])
    assert latest["value"] == "6206 families / 24729 people in 31 settlements"
    row = max(built["national_return_counts.csv"], key=lambda r: r["as_of"])
    assert (row["as_of"], row["families"], row["people"], row["settlements"], row["source_url"]) == (
        latest["period_or_date"], "6206", "24729", "31", latest["source"],
    )  # fmt: skip
    assert len(built["national_return_counts.csv"]) == len(reported)
    rough = next(r for r in built["national_return_counts.csv"] if r["as_of"] == "2024-05-02")
    assert rough["families"] == "1700" and "reported as >1700 families" in rough["note"]


def test_road_dates_from_both_sources_are_kept(built: dict[str, list[dict[str, str]]]) -> None:
    projects = {r["code"]: r for r in built["projects.csv"]}
    victory = _fact("roads", "Victory Road Shusha-Fuzuli")
    assert victory["date_or_period"] == "opened 2021-11-07"
    assert projects["victory-road"]["actual_end"] == "2021-11-07"
    assert "source: News.Az (2024)" in projects["victory-road"]["description"]
    road = next(r for r in _reference("projects.csv") if r["project"] == "Barda-Aghdam highway")
    barda = projects["barda-aghdam-highway"]
    assert (barda["actual_end"], barda["source_url"]) == ("2023-12-24", road["source"])
    assert road["date_open_or_status"] == "opened 2023-12-24"
    assert _fact("roads", "Barda-Aghdam road")["date_or_period"] == "built 2021"
    assert "built 2021" in barda["description"] and "News.Az (2024)" in barda["description"]


def test_the_cumulative_spending_to_2023_is_loaded_apart_from_the_years(
    built: dict[str, list[dict[str, str]]],
) -> None:
    fact = _fact("budget", "planned spending on Karabakh and East Zangezur by end of 2023")
    totals = {r["code"]: r for r in built["cumulative_budgets.csv"]}
    twelve = totals["2021-2023-planned-azn"]
    assert (float(twelve["amount"]), twelve["first_year"], twelve["last_year"]) == (float(fact["value"]) * 1e9, "2021",
                                                                                   "2023")  # fmt: skip
    assert float(totals["2021-2023-total-azn"]["amount"]) == 12.1e9
    assert not any(r["year"] == "2021-2023" for r in built["budget_allocations.csv"])


def test_the_registry_draws_origins_only_where_people_were_displaced(engine: Engine, curate: ModuleType) -> None:
    returning = {code for r in _reference("resettlement.csv") for code in curate.resettlement_codes(r["settlement"])}
    with Session(engine) as session:
        loader.load_reference(session)
        origins = dict(loader.return_origins(session))
    assert "tartar" not in origins and "horadiz" not in origins and "barda" not in origins
    assert {"guzanli", "shikharkh", "birinji-zobujug"}.isdisjoint(origins)
    assert origins["sos"] == 1089.0 and origins["aghdam"] == 37700.0
    assert set(origins) <= returning and len(origins) == 20  # every place a return is reported to, none else


def test_governance_works_belong_to_the_programmes_first_stage() -> None:
    stages = [r for r in _reference("programme_facts.csv") if r["topic"] == "programme stages"]
    first = next(r for r in stages if r["fact"] == "stage 1")
    assert "governance" in first["value"]
    assert STAGE_OF_SECTOR[Sector.ADMINISTRATION] == 1


def test_every_azerbaijani_spelling_is_the_references_or_the_rules(
    built: dict[str, list[dict[str, str]]], curate: ModuleType
) -> None:
    """Nothing invented (issue 19): a spelling said to come from a reference file is in that file, in that column;
    every other one is the rule's transliteration, and none is typed into the curated settlements."""
    districts = {r["district_en"].split(" (")[0]: r["alt_spellings"].split("|") for r in _reference("districts.csv")}
    settlements = _reference("settlements.csv")
    kinds = {}
    for row in built["place_spellings.csv"]:
        name, local, provenance = row["name"], row["azerbaijani"], row["provenance"]
        kinds[provenance.split(" (")[0]] = kinds.get(provenance.split(" (")[0], 0) + 1
        if provenance.startswith("districts.csv"):
            assert local in districts[name], row
        elif provenance == "settlements.csv name (in brackets)":
            assert any(r["name"].endswith(f"({local})") for r in settlements), row
        elif provenance == "settlements.csv alt_names (GeoNames)":
            assert any(local in r["alt_names"].split("|") for r in settlements), row
        elif provenance == curate.RULE:
            assert romanised(name) and local == transliterate(name) != name, row
        else:  # a name without the English convention's letters is not taken for a misspelt Azerbaijani one
            assert provenance.startswith("none") and local == "" and not romanised(name), row
    curated = {r["name"]: r["alt_names"] for r in built["settlements.csv"]}
    for row in built["place_spellings.csv"]:
        if row["provenance"] == curate.RULE:  # not written into the data as if a source gave it
            assert row["azerbaijani"] not in curated.get(row["name"], "").split("|"), row
    # the eleven once typed by hand (and Ağalı), less Qırmızı Bazar, Əsgəran, Heyvalı and Salahlı Kəngərli, whose
    # English names show none of the convention's letters
    assert kinds[curate.RULE] == 8


def test_the_rule_is_measured_against_every_spelling_the_reference_gives(
    built: dict[str, list[dict[str, str]]], curate: ModuleType
) -> None:
    reproduced, given, missed = curate.measure_rule(built["place_spellings.csv"])
    assert (reproduced, given) == (15, 32)  # the figure docs/formats.md quotes
    assert ("Tartar", "Tərtər", "Tartar") in missed  # ə is what English cannot tell
    assert ("Khojaly", "Xocalı") not in {(m[0], m[1]) for m in missed}


def test_a_place_no_source_spells_is_shown_transliterated_and_marked() -> None:
    made = settlement_local_name(_Named("Chapar", ""), _Named("Aghdara", "Ağdərə"))
    assert (made, isinstance(made, Transliterated)) == ("Çapar", True)
    sourced = settlement_local_name(_Named("Zabukh", "Zabux"), _Named("Lachin", "Laçın"))
    assert (sourced, isinstance(sourced, Transliterated)) == ("Zabux", False)
    assert settlement_local_name(_Named("Sos", ""), _Named("Khojavend", "Xocavənd")) is None
    assert [transliterate(n) for n in ("Khorovlu", "Ashaghi Oratagh", "Zobujug", "Gubadli", "Istisu")] == [
        "Xorovlu", "Aşağı Oratağ", "Zobucuq", "Qubadlı", "İstisu"]  # fmt: skip


class _Named:
    def __init__(self, name: str, alt_names: str) -> None:
        self.name, self.alt_names = name, alt_names
