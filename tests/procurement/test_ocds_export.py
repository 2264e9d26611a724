"""The OCDS 1.1.5 export validates against the official schema (offline) and never shows a sealed bid."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from lxml import etree
from sqlalchemy.orm import Session
from tender_helpers import BEFORE, START, FakeClock, bid, opened, published, tender_data

from homecoming.errors import RuleViolation
from homecoming.interchange import iati, oc4ids, ocds, standards
from homecoming.procurement import contracts, service
from homecoming.procurement.schemas import ContractCreate, InspectionCreate, MilestoneCreate
from homecoming.works import service as works
from homecoming.works.models import Sector
from homecoming.works.schemas import ProjectCreate

NOW = dt.datetime(2025, 7, 1, 12)


@pytest.fixture
def history(money: Session, clock: FakeClock) -> Session:
    shares = published(money, clock, "T-1")
    opened(money, clock, shares, {"azer-build": "430000", "euro-works": "445000"}, "T-1")
    service.evaluate(money, "T-1", clock)
    service.award(money, "T-1", clock, standstill_days=0)  # signed at once: no standstill in this history
    milestones = [MilestoneCreate(title="earthworks", amount=130_000, due_date=dt.date(2025, 6, 1))]
    milestones.append(MilestoneCreate(title="asphalt", amount=300_000))
    contracts.sign_contract(money, "T-1", ContractCreate(code="C-1", milestones=milestones), clock)
    inspection = contracts.record_inspection(
        money, "C-1", 1, InspectionCreate(inspector="Rahimov", inspected_on=dt.date(2025, 6, 2), passed=True)
    )
    contracts.approve_inspection(money, inspection.id, "Karimova", clock)
    contracts.pay_milestone(money, "C-1", 1, 130_000, clock)
    published(money, clock.at(START), "T-2")
    bid(money, clock.at(BEFORE), "kur-insaat", "777123.45", "T-2")
    published(money, clock.at(START), "T-3")
    service.cancel(money, "T-3", "road re-routed", clock)
    service.create_tender(money, tender_data("T-4"))  # a draft: never exported
    return money


def test_the_release_package_is_valid_ocds(history: Session) -> None:
    package = ocds.release_package(history, NOW)
    assert ocds.schema_errors(package) == []
    releases = {r["tender"]["id"]: r for r in package["releases"]}
    assert list(releases) == ["T-1", "T-2", "T-3"]
    done = releases["T-1"]
    assert done["tag"] == ["tender", "award", "contract", "implementation"]
    assert done["awards"][0]["value"] == {"amount": 430_000, "currency": "AZN"}
    assert done["tender"]["numberOfTenderers"] == 2
    assert done["planning"]["budget"]["projectID"] == "zabukh-road"
    contract = done["contracts"][0]
    assert [m["status"] for m in contract["milestones"]] == ["met", "scheduled"]
    assert [t["value"]["amount"] for t in contract["implementation"]["transactions"]] == [130_000]
    assert (releases["T-3"]["tag"], releases["T-3"]["tender"]["status"]) == (["tenderCancellation"], "cancelled")


def test_no_sealed_or_personal_data_leaves_in_the_export(history: Session) -> None:
    package = ocds.release_package(history, NOW)
    text = json.dumps(package)
    assert "777123" not in text  # T-2's sealed bid
    assert "445000" not in text  # a losing bid's price
    assert "Rahimov" not in text and "Karimova" not in text and "Aliyev" not in text
    sealed = next(r for r in package["releases"] if r["tender"]["id"] == "T-2")
    assert "numberOfTenderers" not in sealed["tender"] and "tenderers" not in sealed["tender"]
    assert [p["id"] for p in sealed["parties"]] == ["buyer"]


def test_the_validator_catches_a_broken_release(history: Session) -> None:
    package = copy.deepcopy(ocds.release_package(history, NOW))
    package["releases"][0]["tender"]["status"] = "open-ish"
    package["releases"][1]["date"] = "1 July 2025"
    errors = ocds.schema_errors(package)
    assert any(e.startswith("releases/0/tender/status") for e in errors)
    assert any(e.startswith("releases/1/date") for e in errors)
    with pytest.raises(RuleViolation) as caught:
        ocds.validate(package)
    assert caught.value.code == "ocds.invalid"


def test_nothing_published_means_no_package(money: Session) -> None:
    with pytest.raises(RuleViolation) as caught:
        ocds.release_package(money, NOW)
    assert caught.value.code == "ocds.nothing_to_publish"


def test_projects_export_as_valid_oc4ids_cross_referenced_with_ocds(history: Session) -> None:
    releases = {r["ocid"]: r for r in ocds.release_package(history, NOW)["releases"]}
    package = oc4ids.project_package(history, NOW)
    assert standards.schema_errors("oc4ids", package) == []
    [project] = package["projects"]
    assert (project["id"], project["sector"], project["status"]) == ("zabukh-road", ["transport.road"], "preparation")
    assert project["locations"] == [{"id": "1", "description": "Lachin district"}]
    processes = {p["id"]: p for p in project["contractingProcesses"]}
    assert sorted(processes) == ["ocds-homecm-T-1", "ocds-homecm-T-2", "ocds-homecm-T-3"]  # never the draft T-4
    for ocid, process in processes.items():
        assert process["releases"][0]["id"] == releases[ocid]["id"]
        assert releases[ocid]["planning"]["budget"]["projectID"] == "zabukh-road"
    assert [p["summary"]["status"] for p in processes.values()] == ["active", "pre-award", "closed"]
    assert processes["ocds-homecm-T-1"]["summary"]["contractValue"] == {"amount": 430_000, "currency": "AZN"}
    assert [p["id"] for p in project["parties"]] == ["buyer", "azer-build"]
    assert "777123" not in json.dumps(package)


def test_the_oc4ids_validator_catches_a_broken_project(history: Session) -> None:
    package = copy.deepcopy(oc4ids.project_package(history, NOW))
    package["projects"][0]["status"] = "underway"
    assert [e.split(":")[0] for e in standards.schema_errors("oc4ids", package)] == ["projects/0/status"]


def test_projects_export_as_valid_iati_with_commitments_and_disbursements(history: Session) -> None:
    works.create_project(history, ProjectCreate(code="undated", name="Undated", sector=Sector.SCHOOL, stage=2))
    road = works.get_project(history, "zabukh-road")
    road.planned_start, road.planned_end = dt.date(2025, 4, 1), dt.date(2026, 6, 30)
    export = iati.activities(history, NOW)
    assert iati.schema_errors(export.xml) == []
    assert (export.activities, export.skipped) == (1, ("undated",))
    root = etree.fromstring(export.xml)
    [activity] = root.findall("iati-activity")
    assert activity.findtext("iati-identifier") == "XX-HOMECOMING-zabukh-road"
    assert [(d.get("type"), d.get("iso-date")) for d in activity.findall("activity-date")] == [
        ("1", "2025-04-01"),
        ("3", "2026-06-30"),
    ]
    transactions = [
        (t.get("ref"), t.find("transaction-type").get("code"), t.findtext("value"))
        for t in activity.iter("transaction")
    ]
    assert transactions == [("ocds-homecm-T-1", "2", "430000.00"), ("ocds-homecm-T-1", "3", "130000.00")]
    assert b"777123" not in export.xml and b"Rahimov" not in export.xml


def test_the_iati_validator_catches_a_broken_activity(history: Session) -> None:
    road = works.get_project(history, "zabukh-road")
    road.planned_start = dt.date(2025, 4, 1)
    root = etree.fromstring(iati.activities(history, NOW).xml)
    activity = root.find("iati-activity")
    activity.remove(activity.find("title"))
    errors = iati.schema_errors(etree.tostring(root))
    assert len(errors) == 1 and "description" in errors[0] and "Expected is ( title )" in errors[0]


# -- the demo's illustrative records (issue 19, item 6): left out by default, marked when asked for -----------------


def _made_up(history: Session) -> Session:
    """T-1 and its contract C-1 (with a payment) made up by the demo; T-2 and T-3 stay sourced."""
    service.get_tender(history, "T-1").illustrative = True
    contracts.get_contract(history, "C-1").illustrative = True
    road = works.get_project(history, "zabukh-road")
    road.planned_start, road.planned_end = dt.date(2025, 4, 1), dt.date(2026, 6, 30)
    history.flush()
    return history


def test_ocds_leaves_illustrative_tenders_out_unless_asked_and_then_marks_them(history: Session) -> None:
    session = _made_up(history)
    sourced = ocds.release_package(session, NOW)
    assert ocds.schema_errors(sourced) == []
    assert [r["tender"]["id"] for r in sourced["releases"]] == ["T-2", "T-3"]
    assert "illustrative" not in json.dumps(sourced) and "C-1" not in json.dumps(sourced)
    every = ocds.release_package(session, NOW, include_illustrative=True)
    assert ocds.schema_errors(every) == []
    releases = {r["tender"]["id"]: r for r in every["releases"]}
    assert list(releases) == ["T-1", "T-2", "T-3"]
    assert releases["T-1"]["illustrative"] is True
    assert releases["T-1"]["tender"]["description"] == standards.ILLUSTRATIVE_NOTE
    assert [("illustrative" in releases[c], "description" in releases[c]["tender"]) for c in ("T-2", "T-3")] == [
        (False, False),
        (False, False),
    ]


def test_oc4ids_lists_an_illustrative_process_only_when_asked_and_marks_it(history: Session) -> None:
    session = _made_up(history)
    sourced = oc4ids.project_package(session, NOW)
    assert standards.schema_errors("oc4ids", sourced) == []
    [project] = sourced["projects"]
    assert [p["id"] for p in project["contractingProcesses"]] == ["ocds-homecm-T-2", "ocds-homecm-T-3"]
    assert [p["id"] for p in project["parties"]] == ["buyer"]  # the made-up winner is no supplier of the project
    every = oc4ids.project_package(session, NOW, include_illustrative=True)
    assert standards.schema_errors("oc4ids", every) == []
    processes = {p["id"]: p["summary"] for p in every["projects"][0]["contractingProcesses"]}
    assert processes["ocds-homecm-T-1"]["illustrative"] is True
    assert processes["ocds-homecm-T-1"]["description"] == standards.ILLUSTRATIVE_NOTE
    assert "illustrative" not in processes["ocds-homecm-T-2"]


def test_iati_leaves_illustrative_money_out_unless_asked_and_then_says_so(history: Session) -> None:
    session = _made_up(history)
    sourced = iati.activities(session, NOW)
    assert iati.schema_errors(sourced.xml) == []
    [activity] = etree.fromstring(sourced.xml).findall("iati-activity")
    assert activity.findall("transaction") == []
    assert [org.get("role") for org in activity.findall("participating-org")] == ["2"]  # no made-up supplier
    every = iati.activities(session, NOW, include_illustrative=True)
    assert iati.schema_errors(every.xml) == []
    [activity] = etree.fromstring(every.xml).findall("iati-activity")
    described = [t.findtext("description/narrative") for t in activity.findall("transaction")]
    assert described == [
        f"contract C-1 signed. {standards.ILLUSTRATIVE_NOTE}",
        f"contract C-1, milestone 1. {standards.ILLUSTRATIVE_NOTE}",
    ]
