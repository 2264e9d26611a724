"""JSON files and CSV folders load to the same problem; solutions survive a round trip."""

from __future__ import annotations

from pathlib import Path

from homecoming.optimisation.allocation import io
from homecoming.optimisation.allocation.generate import generate
from homecoming.optimisation.allocation.solve import allocate


def test_json_and_csv_folder_give_the_same_problem(tmp_path: Path) -> None:
    original = generate(300, 7, 20, seed=5)
    io.write_problem(original, tmp_path / "p.json")
    io.write_problem(original, tmp_path / "folder")
    assert io.load_problem(tmp_path / "p.json") == original
    assert io.load_problem(tmp_path / "folder") == original


def test_csv_folder_optional_columns_default(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "params.json").write_text('{"format": "homecoming-allocation/1", "periods": 4, "vehicle_seats": 10}')
    (folder / "settlements.csv").write_text("id,opens,convoy_households\nsos,1,\nkend,,3\n")
    (folder / "housing.csv").write_text("settlement,rooms,ready,count\nsos,2,0,1\n")
    (folder / "households.csv").write_text("id,origin,size,rooms_needed\nH-1,sos,3,2\n")
    p = io.load_problem(folder)
    assert [(s.id, s.opens, s.convoy_households) for s in p.settlements] == [("sos", 1, None), ("kend", None, 3)]
    h = p.households[0]
    assert (h.available, h.priority, h.accepts) == (0, 0, ())
    assert p.weights.not_origin == 24


def test_solution_round_trip(tmp_path: Path) -> None:
    problem = generate(200, 4, 15, seed=2)
    result = allocate(problem, time_limit=5)
    io.write_solution(result, tmp_path / "s.json")
    assert io.load_solution(tmp_path / "s.json") == result
