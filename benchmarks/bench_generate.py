"""Time street generation and loading: 60k and 150k residents.

Run: .venv/bin/python benchmarks/bench_generate.py
"""

import tempfile
import time
from pathlib import Path

from planner import load_scenario
from planner.generate import generate_street
from planner.io.writers import write_scenario_folder


def main() -> None:
    for n in (60_000, 150_000):
        t0 = time.perf_counter()
        street = generate_street(n, seed=7, sealed_buildings=2)
        t_gen = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            t1 = time.perf_counter()
            write_scenario_folder(street.tables, street.meta, Path(tmp))
            t_write = time.perf_counter() - t1
            t2 = time.perf_counter()
            loaded = load_scenario(Path(tmp))
            t_load = time.perf_counter() - t2
        print(
            f"{n:>8,} residents: generate {t_gen:5.1f} s, write CSV {t_write:5.1f} s, "
            f"load+validate {t_load:5.1f} s ({loaded.scenario.summary()['buildings']:,} "
            f"buildings, {loaded.scenario.summary()['households']:,} households)"
        )


if __name__ == "__main__":
    main()
