"""The programme's works projects as IATI 2.03 activities (XML), validated against the official XSD with lxml.

One activity per project that has at least one date (IATI requires an activity date; none is invented):
status, dates, location, sector (the programme's own vocabulary, 99), budget, and the money from the
procurement records: a commitment (transaction type 2) per signed contract and a disbursement (type 3) per
payment, each carrying the OCDS `ocid` of its tender as `@ref` so the two publications cross-reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from homecoming.errors import RuleViolation
from homecoming.interchange import ocds, standards
from homecoming.procurement.models import Bidder, Contract, Milestone, Payment, Tender
from homecoming.territory.models import District, Settlement
from homecoming.works.models import Project, ProjectStatus

XSD = Path(__file__).parent / "schemas" / "iati-2.03" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS = {  # IATI ActivityStatus codelist
    ProjectStatus.PLANNED: "1",
    ProjectStatus.TENDERING: "1",
    ProjectStatus.IN_PROGRESS: "2",
    ProjectStatus.COMPLETED: "3",
    ProjectStatus.CANCELLED: "5",
    ProjectStatus.SUSPENDED: "6",
}


@dataclass(frozen=True)
class Reporter:
    """The reporting organisation: `ref` must be its registered organisation identifier (org-id.guide)."""

    ref: str = "XX-HOMECOMING"
    name: str = "Homecoming programme"
    org_type: str = "10"  # government
    country: str = "AZ"
    language: str = "en"


@dataclass(frozen=True)
class IatiExport:
    xml: bytes
    activities: int
    skipped: tuple[str, ...]  # projects without any date


def activities(
    session: Session, generated: dt.datetime, reporter: Reporter | None = None,
    publisher: ocds.Publisher | None = None, *, include_illustrative: bool = False,
) -> IatiExport:  # fmt: skip
    """Every dated project; the money of the demo's illustrative contracts only when asked for, its transactions'
    descriptions saying so (IATI has no field for it; the description is the standard's own)."""
    reporter, publisher = reporter or Reporter(), publisher or ocds.Publisher()
    root = etree.Element("iati-activities", version="2.03", **{"generated-datetime": _stamp(generated)})
    skipped = []
    for project in session.scalars(select(Project).order_by(Project.code)):
        dates = _dates(project)
        if not dates:
            skipped.append(project.code)
            continue
        root.append(_activity(session, project, dates, generated, reporter, publisher, include_illustrative))
    if not len(root):
        raise RuleViolation("iati.nothing_to_publish", "no project with a date: an IATI file needs one activity")
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    validate(xml)
    return IatiExport(xml, len(root), tuple(skipped))


def _activity(session: Session, project: Project, dates: list[tuple[str, dt.date]], generated: dt.datetime,
              reporter: Reporter, publisher: ocds.Publisher, include_illustrative: bool) -> etree._Element:  # fmt: skip
    activity = etree.Element("iati-activity", {"last-updated-datetime": _stamp(generated), XML_LANG: reporter.language})
    _sub(activity, "iati-identifier").text = f"{reporter.ref}-{project.code}"
    _narrated(activity, "reporting-org", reporter.name, ref=reporter.ref, type=reporter.org_type)
    _narrated(activity, "title", project.name)
    _narrated(activity, "description", project.description or project.name, type="1")
    _narrated(activity, "participating-org", reporter.name, ref=reporter.ref, role="2", type=reporter.org_type)
    contracts = _contracts(session, project, include_illustrative)
    for supplier in sorted({bidder.name for _, _, bidder in contracts}):
        _narrated(activity, "participating-org", supplier, role="4")
    _sub(activity, "other-identifier", ref=project.code, type="A1")
    _sub(activity, "activity-status", code=STATUS[project.status])
    for kind, day in dates:
        _sub(activity, "activity-date", type=kind, **{"iso-date": day.isoformat()})
    _sub(activity, "recipient-country", code=reporter.country)
    place = _place(session, project)
    if place or project.lat is not None:
        location = _sub(activity, "location", ref=f"{project.code}-site")
        if place:
            _narrated(location, "name", place)
        if project.lat is not None and project.lon is not None:
            point = _sub(location, "point", srsName="http://www.opengis.net/def/crs/EPSG/0/4326")
            _sub(point, "pos").text = f"{project.lat} {project.lon}"
    _narrated(activity, "sector", str(project.sector), vocabulary="99", code=str(project.sector))
    for contract, tender, bidder in contracts:
        _transactions(session, activity, contract, tender, bidder, ocds.ocid_of(publisher, tender.code))
    return activity


def _transactions(session: Session, activity: etree._Element, contract: Contract, tender: Tender, bidder: Bidder,
                  ocid: str) -> None:  # fmt: skip
    rows = [("2", contract.signed_at, contract.value, f"contract {contract.code} signed")]
    payments = session.execute(
        select(Payment, Milestone.number)
        .join(Milestone, Payment.milestone_id == Milestone.id)
        .where(Milestone.contract_id == contract.id)
        .order_by(Payment.paid_at, Payment.id)
    )
    rows += [("3", p.paid_at, p.amount, f"contract {contract.code}, milestone {n}") for p, n in payments]
    for kind, moment, amount, text in rows:
        transaction = _sub(activity, "transaction", ref=ocid)
        _sub(transaction, "transaction-type", code=kind)
        _sub(transaction, "transaction-date", **{"iso-date": moment.date().isoformat()})
        value = _sub(transaction, "value", currency=contract.currency, **{"value-date": moment.date().isoformat()})
        value.text = f"{amount:.2f}"
        made_up = contract.illustrative or tender.illustrative
        _narrated(transaction, "description", f"{text}. {standards.ILLUSTRATIVE_NOTE}" if made_up else text)
        _narrated(transaction, "receiver-org", bidder.name)


def _contracts(session: Session, project: Project, include_illustrative: bool) -> list[tuple[Contract, Tender, Bidder]]:
    query = (
        select(Contract, Tender, Bidder)
        .join(Tender, Contract.tender_id == Tender.id)
        .join(Bidder, Contract.bidder_id == Bidder.id)
        .where(Tender.project_id == project.id)
        .order_by(Contract.signed_at, Contract.code)
    )
    if not include_illustrative:
        query = query.where(Contract.illustrative.is_(False), Tender.illustrative.is_(False))
    return [(c, t, b) for c, t, b in session.execute(query)]


def _dates(project: Project) -> list[tuple[str, dt.date]]:
    pairs = (("1", project.planned_start), ("2", project.actual_start), ("3", project.planned_end),
             ("4", project.actual_end))  # fmt: skip
    return [(kind, day) for kind, day in pairs if day is not None]


def _place(session: Session, project: Project) -> str | None:
    names = []
    if project.settlement_id is not None:
        names.append(session.get_one(Settlement, project.settlement_id).name)
    if project.district_id is not None:
        names.append(session.get_one(District, project.district_id).name + " district")
    return project.location_text or (", ".join(names) if names else None)


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, tag, attributes)


def _narrated(parent: etree._Element, tag: str, text: str, **attributes: str) -> etree._Element:
    element = _sub(parent, tag, **attributes)
    _sub(element, "narrative").text = text
    return element


def _stamp(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


@cache
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(XSD), parser))


def schema_errors(xml: bytes) -> list[str]:
    schema = _schema()
    document = etree.fromstring(xml, etree.XMLParser(no_network=True, resolve_entities=False))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def validate(xml: bytes) -> None:
    errors = schema_errors(xml)
    if errors:
        raise RuleViolation(
            "iati.invalid", f"the IATI 2.03 file breaks the official schema: {errors[0]}", {"errors": errors[:50]}
        )
