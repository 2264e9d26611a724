"""Every bad input is refused with a stable code that names the item; a closed settlement is a warning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from allocation_builders import household, problem

from homecoming.errors import DomainError
from homecoming.optimisation.allocation import io
from homecoming.optimisation.allocation.model import HousingBatch, Settlement, Weights, validate

SITES = [Settlement("a", 0, 2), Settlement("b", 3)]
HOUSES = [HousingBatch("a", 3, 0, 4)]


def refused(p: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        validate(p)
    return caught.value


def test_unknown_origin() -> None:
    error = refused(problem(SITES, HOUSES, [household("h1", "nowhere")]))
    assert error.code == "allocation.unknown_origin"
    assert "'h1'" in error.message and "'nowhere'" in error.message


def test_unknown_accepted_settlement() -> None:
    error = refused(problem(SITES, HOUSES, [household("h1", "a", accepts=("zz",))]))
    assert error.code == "allocation.unknown_settlement"
    assert "'zz'" in error.message


def test_housing_in_an_unknown_settlement() -> None:
    error = refused(problem(SITES, [*HOUSES, HousingBatch("zz", 1, 0, 1)], []))
    assert error.code == "allocation.unknown_settlement"
    assert "housing[1]" in error.message


def test_rooms_needed_larger_than_any_house() -> None:
    error = refused(problem(SITES, HOUSES, [household("h1", "a", rooms=4)]))
    assert error.code == "allocation.rooms_unavailable"
    assert "'h1'" in error.message and "4 rooms" in error.message


def test_duplicate_household_id() -> None:
    error = refused(problem(SITES, HOUSES, [household("h1", "a"), household("h1", "b")]))
    assert error.code == "allocation.duplicate_household"
    assert "'h1'" in error.message


def test_duplicate_settlement_id() -> None:
    error = refused(problem([*SITES, Settlement("a", 1)], HOUSES, []))
    assert error.code == "allocation.duplicate_settlement"


@pytest.mark.parametrize(
    ("bad", "names"),
    [
        ({"size": -2}, "'h1' size"),
        ({"size": 0}, "'h1' size"),
        ({"available": -1}, "'h1' available"),
        ({"priority": -1}, "'h1' priority"),
    ],
)
def test_negative_household_numbers(bad: dict[str, int], names: str) -> None:
    error = refused(problem(SITES, HOUSES, [household("h1", "a", **bad)]))
    assert error.code == "allocation.negative"
    assert names in error.message


def test_negative_house_count_and_weight() -> None:
    assert "count" in refused(problem(SITES, [HousingBatch("a", 3, 0, -1)], [])).message
    error = refused(problem(SITES, HOUSES, [], weights=Weights(wait=-1)))
    assert (error.code, "weights.wait" in error.message) == ("allocation.negative", True)


def test_household_larger_than_a_vehicle() -> None:
    error = refused(problem(SITES, HOUSES, [household("h1", "a", size=9)], seats=8))
    assert error.code == "allocation.household_exceeds_vehicle"


def test_settlement_that_never_opens_with_houses_is_a_warning_not_an_error() -> None:
    closed = [Settlement("a", 0), Settlement("b", None), Settlement("c", 50)]
    houses = [HousingBatch("a", 3, 0, 1), HousingBatch("b", 2, 0, 3), HousingBatch("c", 2, 0, 3)]
    warnings = validate(problem(closed, houses, [household("h1", "b")]))
    assert len(warnings) == 2
    assert "'b' never opens" in warnings[0] and "'c' never opens" in warnings[1]


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def good_document() -> dict[str, Any]:
    return io.problem_to_dict(problem(SITES, HOUSES, [household("h1", "a")]))


def test_file_with_another_format_is_not_a_problem_file(tmp_path: Path) -> None:
    document = good_document() | {"format": "homecoming-sequencing/1"}
    with pytest.raises(DomainError) as caught:
        io.load_problem(write(tmp_path, document))
    assert caught.value.code == "allocation.not_a_problem_file"


def test_file_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("periods: 3", encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        io.load_problem(path)
    assert caught.value.code == "allocation.not_a_problem_file"


def test_schema_error_names_the_place(tmp_path: Path) -> None:
    document = good_document()
    del document["vehicle_seats"]
    with pytest.raises(DomainError) as caught:
        io.load_problem(write(tmp_path, document))
    assert caught.value.code == "allocation.not_a_problem_file"
    assert "vehicle_seats" in caught.value.message


def test_bad_rows_beyond_the_schema_sample_are_each_reported(tmp_path: Path) -> None:
    document = good_document()
    rows = [dict(document["households"][0], id=f"h{i}") for i in range(io.SAMPLE_ROWS + 10)]
    rows[-1]["size"] = "four"
    rows[-2].pop("origin")
    rows[-3]["colour"] = "red"
    document["households"] = rows
    with pytest.raises(DomainError) as caught:
        io.load_problem(write(tmp_path, document))
    found = {(e["row"], e["column"], e["reason"]) for e in caught.value.details["errors"]}
    n = io.SAMPLE_ROWS + 9
    assert found == {
        (f"households[{n}]", "size", "must be integer"),
        (f"households[{n - 1}]", "origin", "is missing"),
        (f"households[{n - 2}]", "colour", "is not a known field"),
    }


def test_csv_folder_errors_name_file_row_and_column(tmp_path: Path) -> None:
    io.write_problem(problem(SITES, HOUSES, [household("h1", "a"), household("h2", "b")]), tmp_path / "f")
    households = tmp_path / "f" / "households.csv"
    lines = households.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",b,1,", ",b,x,")
    households.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "f" / "housing.csv").write_text("settlement,rooms,count\na,3,4\n", encoding="utf-8")
    with pytest.raises(DomainError) as caught:
        io.load_problem(tmp_path / "f")
    assert caught.value.code == "allocation.not_a_problem_file"
    found = {(e["row"], e["column"]) for e in caught.value.details["errors"]}
    assert found == {("housing.csv:1", "ready"), ("households.csv:3", "size")}


def test_csv_folder_without_params(tmp_path: Path) -> None:
    (tmp_path / "f").mkdir()
    with pytest.raises(DomainError) as caught:
        io.load_problem(tmp_path / "f")
    assert "params.json" in caught.value.message
