"""`homecoming damage ...` and `homecoming heritage ...` as a user runs them (SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from cli_support import fail, import_territory, run
from homecoming.config import get_settings


@pytest.fixture(autouse=True)
def database(cli_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each engine, and a files folder of the test's own."""
    monkeypatch.setenv("HOMECOMING_FILES_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    return cli_database


def cells(output: str) -> list[list[str]]:
    """The body rows of a rich table, cell by cell."""
    return [[c.strip() for c in line.split("│")[1:-1]] for line in output.splitlines() if line.startswith("│")]


@pytest.fixture
def territory(tmp_path: Path) -> Path:
    run("init")
    import_territory(tmp_path)
    return tmp_path


def test_counts_then_objects_then_needs_then_proposed_works(territory: Path) -> None:
    counts = territory / "counts.csv"
    counts.write_text(
        "settlement_code,kind,level,quantity,method\nzabukh,house,destroyed,10,remote\nzabukh,school,severe,1,remote\n",
        encoding="utf-8",
    )
    assert "2 added" in run("damage", "import", str(counts))
    run("damage", "add", "zabukh-school-1", "--settlement", "zabukh", "--kind", "school", "--level", "partial",
        "--method", "field_survey")  # fmt: skip
    summary = run("damage", "summary")
    assert cells(summary) == [
        ["zabukh", "house", "", "", "", "10", "counts"],
        ["zabukh", "school", "", "1", "", "", "objects"],  # the surveyed school replaces the counted one
    ]
    by_sector = run("damage", "needs", "--by", "sector", "--uplift", "0")
    # shipped placeholder table: 10 x 60,000 (house destroyed) + 1 x 600,000 (school partial: the object wins)
    assert "600,000.00" in by_sector and "1,200,000.00" in by_sector
    assert "ASSUMPTION" in by_sector
    proposed = run("damage", "propose-works", "--uplift", "0")
    assert "needs-zabukh-housing" in proposed and "needs-zabukh-school" in proposed and "created" in proposed
    assert "unchanged" in run("damage", "propose-works", "--uplift", "0")


def test_needs_are_priced_from_the_price_list_in_force_on_the_date(territory: Path) -> None:
    counts = territory / "counts.csv"
    counts.write_text(
        "settlement_code,kind,level,quantity,method\nzabukh,house,destroyed,10,remote\n", encoding="utf-8"
    )
    run("damage", "import", str(counts))
    prices = territory / "prices.json"
    item = {"item_code": "replace.house", "description": "new house", "unit": "dwelling", "unit_price": 75000}
    prices.write_text(
        json.dumps({"code": "N-2025", "effective_date": "2025-01-01", "currency": "AZN", "items": [item]})
    )
    run("tender", "price-list", str(prices))
    priced = run("damage", "needs", "--by", "line", "--uplift", "0.1", "--on", "2025-03-01")
    assert cells(priced)[0][6:] == [
        "75,000.00",
        "825,000.00",
        "counts",
        "price list N-2025 (2025-01-01), item replace.house",
    ]
    assert "1 line(s) from price list N-2025 (2025-01-01), item replace.house" in priced
    assert "ASSUMPTION" not in priced  # nothing came from the placeholder table
    older = run("damage", "needs", "--by", "line", "--uplift", "0.1", "--on", "2024-12-31")
    assert cells(older)[0][6:8] == ["60,000.00", "660,000.00"]  # before the list: the placeholder table
    assert "ASSUMPTION" in older


def test_a_count_is_recorded_then_replaced_and_a_bad_one_refused(territory: Path) -> None:
    count = ("damage", "count", "zabukh", "--kind", "house", "--level", "destroyed", "--method", "remote")
    assert "Recorded 10 house in zabukh, destroyed" in run(*count, "--quantity", "10")
    run(*count, "--quantity", "14")
    assert cells(run("damage", "summary")) == [["zabukh", "house", "", "", "", "14", "counts"]]
    refused = fail(*count, "--quantity", "-1")
    assert "damage.invalid_count" in refused and "quantity" in refused
    elsewhere = fail("damage", "count", "nowhere", *count[3:], "--quantity", "1")
    assert "settlements.not_found" in elsewhere
    assert cells(run("damage", "summary")) == [["zabukh", "house", "", "", "", "14", "counts"]]


def test_a_bad_counts_file_is_refused_whole(territory: Path) -> None:
    counts = territory / "counts.csv"
    counts.write_text("settlement_code,kind,level,quantity,method\nzabukh,house,gone,1,remote\n", encoding="utf-8")
    output = fail("damage", "import", str(counts))
    assert "import.rejected" in output and "expected one of: none, partial, severe, destroyed" in output


def test_a_renamed_executable_is_refused_by_attach(territory: Path) -> None:
    run("damage", "add", "h1", "--settlement", "zabukh", "--kind", "house", "--level", "severe", "--method", "remote")
    fake = territory / "photo.jpg"
    fake.write_bytes(b"MZ" + b"\x00" * 100)
    output = fail("damage", "attach", "h1", str(fake))
    assert "files.content_mismatch" in output and "Windows executable" in output
    assert not (territory / "files").exists()
    real = territory / "real.jpg"
    Image.new("RGB", (4, 4)).save(real, "JPEG")
    assert "public copy: public/" in run("damage", "attach", "h1", str(real))


def test_heritage_add_list_show(territory: Path) -> None:
    run("heritage", "add", "zabukh-bridge", "--name-latin", "Zabukh bridge", "--category", "bridge",
        "--settlement", "zabukh", "--condition-after", "ruined", "--source-url", "https://example.org/s")  # fmt: skip
    assert "zabukh-bridge" in run("heritage", "list")
    page = run("heritage", "show", "zabukh-bridge")
    assert "condition after: ruined" in page and "place: Zabukh, Lachin" in page
    assert "restoration works: none linked" in page
    assert "heritage_sites.not_found" in fail("heritage", "show", "nothing")
    bad = fail("heritage", "add", "x", "--name-latin", "X", "--category", "mosque", "--lat", "40")
    assert "heritage.invalid_site" in bad and "give both lat and lon" in bad
