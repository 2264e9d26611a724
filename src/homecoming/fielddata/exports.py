"""Reading the exports of ODK Central (CSV, or its ZIP with the CSV and a `media/` folder) and KoboToolbox (the JSON
of its data API, alone or in a ZIP with the attachments) into form instances, as if ODK Collect had sent them here.

Column and key names are flattened to the question's own name: Central joins groups with `-`
(`household-members_present`), Kobo with `/`; Central splits a geopoint into `-Latitude`, `-Longitude`,
`-Altitude` and `-Accuracy` columns, which are joined back into ODK's "lat lon alt acc".
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from homecoming.errors import RuleViolation
from homecoming.fielddata.submissions import INSTANCE_ID_MAX, Instance

GEOPOINT_PARTS = ("Latitude", "Longitude", "Altitude", "Accuracy")
MAX_ROWS = 10_000  # submissions in one export file
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024  # a ZIP that would unpack to more is refused before it is read


@dataclass(frozen=True)
class Row:
    number: int  # from 1, as a person counts the export's rows
    instance: Instance | None
    problem: str | None  # why the row cannot be read (no instanceID, ...)


@dataclass(frozen=True)
class Export:
    rows: list[Row]
    media: dict[str, bytes]  # attachment file name -> content


def read_central(name: str, content: bytes, form_id: str | None = None) -> Export:
    """A Central CSV export, or its ZIP (`<form id>.csv` and `media/`); `form_id` defaults to the CSV's name."""
    media: dict[str, bytes] = {}
    if zipfile.is_zipfile(io.BytesIO(content)):
        files = _unzip(content)
        tables = sorted(path for path in files if path.endswith(".csv") and "/" not in path.strip("/"))
        if not tables:
            raise RuleViolation("fielddata.bad_export", f"{name}: the ZIP holds no form CSV at its top level")
        name, content = tables[0], files[tables[0]]
        media = {PurePosixPath(path).name: data for path, data in files.items() if path.startswith("media/")}
    form = form_id or PurePosixPath(name).stem
    text = content.decode("utf-8-sig", errors="replace")
    records = list(csv.DictReader(io.StringIO(text)))
    return Export([_central_row(n, form, record) for n, record in _numbered(name, records)], media)


def read_kobo(name: str, content: bytes, form_id: str, version: str | None = None) -> Export:
    """Kobo's data JSON ({"results": [...]} or a plain list), or a ZIP holding it and the attachments. The
    version is each record's `__version__` unless given."""
    media: dict[str, bytes] = {}
    if zipfile.is_zipfile(io.BytesIO(content)):
        files = _unzip(content)
        documents = sorted(path for path in files if path.endswith(".json"))
        if not documents:
            raise RuleViolation("fielddata.bad_export", f"{name}: the ZIP holds no JSON export")
        name, content = documents[0], files[documents[0]]
        media = {PurePosixPath(path).name: data for path, data in files.items() if not path.endswith(".json")}
    try:
        document = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RuleViolation("fielddata.bad_export", f"{name}: not JSON ({exc})") from None
    records = document.get("results") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise RuleViolation("fielddata.bad_export", f'{name}: expected a list of submissions or {{"results": [...]}}')
    rows = [_kobo_row(n, form_id, version, record) for n, record in _numbered(name, records)]
    return Export(rows, media)


def _numbered(name: str, records: list[Any]) -> Iterator[tuple[int, Any]]:
    if len(records) > MAX_ROWS:
        raise RuleViolation("fielddata.bad_export", f"{name}: {len(records):,} submissions; at most {MAX_ROWS:,} "
                            "in one file", {"rows": len(records), "max_rows": MAX_ROWS})  # fmt: skip
    return enumerate(records, start=1)


def _central_row(number: int, form_id: str, record: dict[str, str | None]) -> Row:
    answers: dict[str, str] = {}
    points: dict[str, dict[str, str]] = {}
    for column, value in record.items():
        if column is None:
            continue
        leaf = column.rsplit("-", 1)
        if len(leaf) == 2 and leaf[1] in GEOPOINT_PARTS:
            points.setdefault(leaf[0].rsplit("-", 1)[-1], {})[leaf[1]] = (value or "").strip()
            continue
        answers[column.rsplit("-", 1)[-1]] = (value or "").strip()
    for field, parts in points.items():
        if parts.get("Latitude") and parts.get("Longitude"):
            answers[field] = " ".join(parts.get(part) or "0" for part in GEOPOINT_PARTS)
    instance_id = answers.pop("instanceID", "") or answers.pop("KEY", "")
    return _row(number, form_id, answers.get("FormVersion", ""), instance_id, answers)


def _kobo_row(number: int, form_id: str, version: str | None, record: Any) -> Row:
    if not isinstance(record, dict):
        return Row(number, None, "not an object")
    answers = {str(key).rsplit("/", 1)[-1]: _text(value) for key, value in record.items()
               if not str(key).startswith("_") or key == "__version__"}  # fmt: skip
    instance_id = answers.pop("instanceID", "") or _text(record.get("_uuid"))
    if instance_id and not instance_id.startswith("uuid:"):
        instance_id = f"uuid:{instance_id}"
    return _row(number, form_id, version or answers.get("__version__", ""), instance_id, answers)


def _row(number: int, form_id: str, version: str, instance_id: str, answers: dict[str, str]) -> Row:
    if not instance_id or len(instance_id) > INSTANCE_ID_MAX:
        return Row(number, None, "no instanceID (meta/instanceID or KEY), or one longer than 64 characters")
    return Row(number, Instance(form_id, version, instance_id, answers), None)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if sum(info.file_size for info in members) > MAX_UNZIPPED_BYTES:
            raise RuleViolation("fielddata.bad_export", "the ZIP unpacks to more than 500 MiB; export fewer at once")
        return {info.filename: archive.read(info) for info in members}
