"""Time reading 200,000 sampling records and matching them to a 150,000-person register.

The register is synthetic (valid ID numbers, names, phones; a few shared IDs and
phones as real registers have); the records are its residents' swabs in a
registration export with the usual quirks (GBK CSV with a title line, lower-case
``x``, spaces and full-width digits in ID numbers, two time formats), plus ID typos,
records without an ID, visitors and people sampled twice — 200,000 rows in all: every
resident once, 50,000 a second time. Timed: :func:`planner.io.records.read_records` (decode,
header, normalise, parse times) and :func:`planner.closure.matching.match_records`,
wall and CPU time. Target (issue 33): ≤ 10 s together.

Run: .venv/bin/python benchmarks/bench_records.py [--repeat N] [--records N]
[--register N]. The export is kept in out/bench/ so later runs skip writing it.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from planner.closure.matching import match_records  # noqa: E402
from planner.io.record_files import write_records  # noqa: E402
from planner.io.records import read_records  # noqa: E402
from planner.model.identity import id_check_char  # noqa: E402
from planner.model.scenario import Residents  # noqa: E402

TARGET_S = 10.0


def register(n: int, seed: int) -> Residents:
    """Return a synthetic register of `n` residents."""
    rng = np.random.default_rng(seed)
    area = rng.integers(420100, 420120, n)
    born = np.datetime64("1940-01-01") + rng.integers(0, 30000, n).astype(
        "timedelta64[D]"
    )
    seq = rng.integers(0, 1000, n)
    days = pd.Series(born).dt.strftime("%Y%m%d").to_numpy()
    first17 = [f"{a}{d}{s:03d}" for a, d, s in zip(area, days, seq, strict=True)]
    ids = np.array([f + id_check_char(f) for f in first17], dtype=object)
    surnames = np.array(list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"))
    given = np.array(list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"))
    names = (
        surnames[rng.integers(0, len(surnames), n)].astype(object)
        + given[rng.integers(0, len(given), n)].astype(object)
        + given[rng.integers(0, len(given), n)].astype(object)
    )
    phones = np.array(
        [f"1{p}" for p in rng.integers(3 * 10**9, 10**10 - 1, n)], dtype=object
    )
    return Residents(
        id=np.array([f"R{i:07d}" for i in range(n)], dtype=object),
        household=np.arange(n) // 3,
        name=names,
        id_number=ids,
        phone=phones,
        sex=np.full(n, "", dtype=object),
        age=rng.integers(0, 90, n),
        key_group=np.zeros(n, dtype=bool),
        homebound=np.zeros(n, dtype=bool),
    )


def export(reg: Residents, n: int, seed: int, path: Path) -> None:
    """Write `n` records of `reg`'s residents (with mistakes) to `path`."""
    rng = np.random.default_rng(seed)
    # everyone once (as far as the records go), the rest sampled a second time
    first = rng.permutation(len(reg))[: min(n, len(reg))]
    who = np.concatenate([first, rng.integers(0, len(reg), n - len(first))])
    ids = reg.id_number[who].copy()
    typo = rng.random(n) < 0.002
    ids[typo] = [v[:10] + str((int(v[10]) + 1) % 10) + v[11:] for v in ids[typo]]
    ids[rng.random(n) < 0.001] = ""
    names = reg.name[who].copy()
    phones = reg.phone[who].copy()
    visitor = rng.random(n) < 0.002
    phones[visitor] = "13900000000"
    ids[visitor] = ""
    minute = np.sort(rng.uniform(8 * 60, 14 * 60, n))
    frame = pd.DataFrame(
        {
            "name": names,
            "id_number": ids,
            "phone": phones,
            "site": [f"S{s:03d}" for s in rng.integers(1, 60, n)],
            "desk": rng.integers(1, 12, n).astype(str),
            "sampled_at": np.datetime64("2026-12-07T00:00:00", "s")
            + np.rint(minute * 60).astype("timedelta64[s]"),
            "tube": [f"T{i // 10:07d}" for i in range(n)],
            "box": [f"X{i // 400:05d}" for i in range(n)],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_records(frame, path, encoding="gbk", seed=seed, title="bench export")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--register", type=int, default=150_000)
    args = parser.parse_args()
    reg = register(args.register, seed=7)
    path = REPO / "out" / "bench" / f"records_{args.records}_{args.register}.csv"
    if not path.exists():
        export(reg, args.records, 8, path)
    walls, cpus = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        records = read_records([path])
        t1, c1 = time.perf_counter(), time.process_time()
        m = match_records(records, reg)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        walls.append(wall)
        cpus.append(cpu)
        counts = m.counts()
        print(
            f"read {t1 - t0:.2f} s + match {wall - (t1 - t0):.2f} s = {wall:.2f} s "
            f"(CPU {c1 - c0:.2f} + {cpu - (c1 - c0):.2f} = {cpu:.2f} s); "
            f"{len(records):,} records, "
            f"{int(m.sampled.sum()):,} residents sampled; {counts}"
        )
    best = min(walls)
    print(
        f"best {best:.2f} s, median {statistics.median(walls):.2f} s, "
        f"CPU best {min(cpus):.2f} s; target {TARGET_S:.0f} s: "
        f"{'met' if best <= TARGET_S else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
