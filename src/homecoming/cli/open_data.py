"""The programme's open data as files: procurement as OCDS, the works as OC4IDS and IATI, each validated against its
official schema before it is written (`homecoming tender export-ocds`, `export-oc4ids`, `export-iati`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from homecoming.cli.database import current_database
from homecoming.cli.output import console, user_errors
from homecoming.db import unit_of_work
from homecoming.errors import DomainError
from homecoming.interchange import iati, oc4ids, ocds
from homecoming.procurement import service


def export_ocds(
    file: Path,
    publisher: str = typer.Option("Homecoming programme", help="Publisher name"),
    ocid_prefix: str = typer.Option("ocds-homecm", help="The OCID prefix registered for the publisher"),
    buyer: str = typer.Option("Procuring entity", help="Buyer name"),
    records: bool = typer.Option(False, "--records", help="A record package: each process's releases and compiled"),
    include_illustrative: bool = typer.Option(
        False, "--include-illustrative", help="Also the demo's illustrative records, each marked as such."
    ),
) -> None:
    """Write tenders, awards and contracts as an OCDS 1.1.5 release package (or record package), validated against
    the schema."""
    with user_errors(), unit_of_work(current_database()) as session:
        who = ocds.Publisher(name=publisher, ocid_prefix=ocid_prefix, buyer_name=buyer)
        now = service.server_now(service.utc_now)
        build = ocds.record_package if records else ocds.release_package
        package = build(session, now, who, include_illustrative=include_illustrative)
        _write_json(file, package)
    if records:
        console.print(f"{len(package['records'])} records written to {file} (valid OCDS 1.1.5)")
    else:
        console.print(f"{len(package['releases'])} releases written to {file} (valid OCDS 1.1.5)")


def export_oc4ids(
    file: Path,
    publisher: str = typer.Option("Homecoming programme", help="Publisher name"),
    ocid_prefix: str = typer.Option("ocds-homecm", help="The OCID prefix used in the OCDS export"),
    authority: str = typer.Option("Procuring entity", help="Public authority name"),
    include_illustrative: bool = typer.Option(
        False, "--include-illustrative", help="Also the demo's illustrative records, each marked as such."
    ),
) -> None:
    """Write the works projects as an OC4IDS 0.9.4 project package linked to the OCDS releases."""
    with user_errors(), unit_of_work(current_database()) as session:
        who = ocds.Publisher(name=publisher, ocid_prefix=ocid_prefix, buyer_name=authority)
        package = oc4ids.project_package(session, service.server_now(service.utc_now), who,
                                         include_illustrative=include_illustrative)  # fmt: skip
        _write_json(file, package)
    console.print(f"{len(package['projects'])} projects written to {file} (valid OC4IDS 0.9.4)")


def export_iati(
    file: Path,
    reporting_org: str = typer.Option("XX-HOMECOMING", help="The reporting organisation's registered identifier"),
    name: str = typer.Option("Homecoming programme", help="The reporting organisation's name"),
    country: str = typer.Option("AZ", help="Recipient country (ISO 3166-1 alpha-2)"),
    ocid_prefix: str = typer.Option("ocds-homecm", help="The OCID prefix used in the OCDS export"),
    include_illustrative: bool = typer.Option(
        False, "--include-illustrative", help="Also the demo's illustrative records, each marked as such."
    ),
) -> None:
    """Write the works projects as IATI 2.03 activities, validated against the official XSD."""
    with user_errors(), unit_of_work(current_database()) as session:
        reporter = iati.Reporter(ref=reporting_org, name=name, country=country)
        now = service.server_now(service.utc_now)
        export = iati.activities(session, now, reporter, ocds.Publisher(ocid_prefix=ocid_prefix),
                                 include_illustrative=include_illustrative)  # fmt: skip
        try:
            file.write_bytes(export.xml)
        except OSError as exc:
            raise DomainError("output.unwritable", f"cannot write {file}: {exc.strerror}") from None
    console.print(f"{export.activities} activities written to {file} (valid IATI 2.03)")
    if export.skipped:
        console.print(f"left out, having no date: {', '.join(export.skipped)}")


def _write_json(file: Path, package: dict[str, object]) -> None:
    try:
        file.write_text(json.dumps(package, indent=2, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        raise DomainError("output.unwritable", f"cannot write {file}: {exc.strerror}") from None
