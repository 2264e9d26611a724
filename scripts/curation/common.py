"""What every part of the curation shares: the reference folder it reads, the files it has built so far, writing
them out, and the reading of the reference's free text (citations, numbers, dates)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

REFERENCE = Path("../shared/reference/karabakh")  # the folder read() reads: this default, or start()'s
Rows = list[dict[str, object]]
built: dict[str, Rows] = {}  # file name -> rows, filled by write() while build() runs


def start(reference: Path) -> None:
    """Read from `reference` from now on, with nothing built yet."""
    global REFERENCE
    REFERENCE = reference
    built.clear()


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
    built[name] = rows


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
