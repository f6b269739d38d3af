"""What one staff-PIN check costs: scrypt (r=8, p=1) at n = 2**14 .. 2**17 on this machine.

    python bench/bench_pin.py [--runs 5]

Prints the median milliseconds per hash and the memory each needs (128 * n * r bytes).
app.clinic.pins.SCRYPT_PARAMS is chosen from these figures: a sign-in checks one PIN (the
name is chosen first), and a PIN typed for "any staff member" is checked against each
active member in turn, so its cost times the number of staff must stay a short wait.
"""

from __future__ import annotations

import argparse
import hashlib
import secrets
import statistics
import time


def ms_per_hash(n: int, runs: int) -> float:
    salt = secrets.token_bytes(16)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        hashlib.scrypt(b"246813", salt=salt, n=n, r=8, p=1, dklen=32,
                       maxmem=256 * 1024 * 1024)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    for log2 in range(14, 18):
        n = 2**log2
        print(f"n = 2**{log2}: {ms_per_hash(n, runs):7.1f} ms per hash, "
              f"{128 * n * 8 // 2**20} MiB")


if __name__ == "__main__":
    main()
