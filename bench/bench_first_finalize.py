"""Benchmark: the first finalize of a fresh process against the median of the next ones,
without and with the preload the window runs after its first paint.

Run from the repository: ``python bench/bench_first_finalize.py [-n 8] [--runs 3]``. Each
run is a new Python process on a data folder that already has its signing identity (as a
clinic's every-day start); with the preload, ``preload_finalize`` runs to completion first,
as it has by the time a consult reaches finalize. Target: first finalize within 1.5x of
the median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 1.5


def child(data_dir: Path, preload: bool, count: int) -> None:
    """In a fresh process: the finalize times (s), first included."""
    from app.consult.demo import build_demo_consent
    from app.runtime.service import Glabella

    service = Glabella.open(data_dir)
    if preload:
        from app.document.preload import preload_finalize

        preload_finalize()
    times = []
    for _ in range(count + 1):
        consent = build_demo_consent(service.pack, service.clock)
        started = time.perf_counter()
        service.finalize(consent)
        times.append(time.perf_counter() - started)
    service.close()
    print(json.dumps(times))


def run(data_dir: Path, preload: bool, count: int, *, quiet: bool = False) -> float:
    """One cold process; the first finalize as a ratio to the median of the others."""
    out = subprocess.run([sys.executable, __file__, "--child", str(data_dir),
                          "--preload" if preload else "--no-preload", "-n", str(count)],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    first, *rest = json.loads(out.strip().splitlines()[-1])
    median = statistics.median(rest)
    if quiet:
        return first / median
    print(f"  {'with' if preload else 'without':<8} preload: first {first * 1000:7.0f} ms, "
          f"median {median * 1000:6.0f} ms, ratio {first / median:5.2f}")
    return first / median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=8, help="finalizes after the first")
    parser.add_argument("--runs", type=int, default=3, help="cold processes per case")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--preload", action=argparse.BooleanOptionalAction, default=False,
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.preload, args.n)
        return 0
    with tempfile.TemporaryDirectory(prefix="glabella-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        run(data_dir, False, 1, quiet=True)  # makes the database and the identity: not a daily cost
        print(f"First finalize of a fresh process vs the median of the next {args.n}:")
        ratios = {preload: statistics.median(run(data_dir, preload, args.n)
                                             for _ in range(args.runs))
                  for preload in (False, True)}
    for preload, ratio in ratios.items():
        verdict = "meets" if ratio <= TARGET else "MISSES"
        print(f"Median ratio {'with' if preload else 'without'} preload: {ratio:.2f} "
              f"({verdict} the {TARGET}x target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
