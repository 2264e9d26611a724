"""Generating and importing the national-scale synthetic registry (1.5 million people) into SQLite.

    .venv/bin/python bench/registry_import.py [--repeat 3] [--scale national]

Each run starts from an empty SQLite file with the demo's reference facts, then measures, in a fresh child
process so peak memory is the run's own:
  csv     — generate the registry to a CSV file, then `import_file` it (a registry office's path);
  direct  — generate and import in one stream (the path `homecoming demo --scale national` takes).
It prints every run, the medians and the peak resident memory. The issue's target: under 60 s and 2 GiB.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import resource
import statistics
import tempfile
import time
from pathlib import Path

from homecoming.db import make_engine, unit_of_work
from homecoming.db.migrate import upgrade
from homecoming.demo import loader
from homecoming.households import synthetic
from homecoming.interchange.importer import import_file
from homecoming.interchange.spec import SPECS


def run(mode: str, scale_name: str, folder: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    scale = loader.SCALES[scale_name]
    engine = make_engine(f"sqlite:///{Path(folder) / f'{mode}.db'}")
    upgrade(engine)
    with unit_of_work(engine) as session:
        loader.load_reference(session)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    with unit_of_work(engine) as session:
        if mode == "csv":
            path = Path(folder) / "households.csv"
            header = SPECS["households"].file_columns
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                origins = loader.return_origins(session)
                for row in synthetic.generate_registry(origins, scale.families, scale.people, loader.SEED):
                    writer.writerow(["" if row[c] is None else row[c] for c in header])
            timings["generate_s"] = time.perf_counter() - started
            report = import_file(session, "households", path)
        else:
            report = loader.load_households(session, scale)
        timings["import_s"] = time.perf_counter() - started - timings.get("generate_s", 0.0)
    timings["total_s"] = time.perf_counter() - started
    queue.put(
        {
            "mode": mode,
            "households": report.inserted,
            **timings,
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", default="national", choices=sorted(loader.SCALES))
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    results: list[dict[str, float | str]] = []
    for attempt in range(args.repeat):
        for mode in ("csv", "direct"):
            with tempfile.TemporaryDirectory() as folder:
                queue = context.Queue()
                process = context.Process(target=run, args=(mode, args.scale, folder, queue))
                process.start()
                result = queue.get()
                process.join()
                results.append(result)
                print(f"run {attempt + 1} {json.dumps(result, default=lambda x: round(x, 2))}", flush=True)
    print(f"\n{'mode':<8}{'households':>12}{'median total s':>16}{'median import s':>17}{'max peak MiB':>14}")
    for mode in ("csv", "direct"):
        rows = [r for r in results if r["mode"] == mode]
        print(
            f"{mode:<8}{int(rows[0]['households']):>12,}"
            f"{statistics.median(float(r['total_s']) for r in rows):>16.1f}"
            f"{statistics.median(float(r['import_s']) for r in rows):>17.1f}"
            f"{max(float(r['peak_mib']) for r in rows):>14.0f}"
        )


if __name__ == "__main__":
    main()
