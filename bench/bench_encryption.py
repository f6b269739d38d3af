"""Benchmark: what encryption at rest (SQLCipher, issue 14) costs, encrypted against plain
in the same run, the two timed in turn so a change in the machine's load touches both.

    python bench/bench_encryption.py [--patients 5000] [--consents 5000] [--finalize 15]

- search: ``search_patients`` for 200 name prefixes in a synthetic clinic (bench_records'
  builder; the encrypted file is an ``sqlcipher_export`` of the plain one, the same pages);
- start-up: the records opened as the service opens them (schema check, migrations, the
  start-up quick_check) and the first screen's read (the staff list, query-only);
- finalize: render, certify and store a demo consent, on a service over each file.
Prints medians and the encrypted/plain ratio of each; target: within 1.25x.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_records import FAMILY, build  # noqa: E402

from app.base.paths import DataPaths, default_content_dir  # noqa: E402
from app.clinic.staff import read_members  # noqa: E402
from app.consult.content import load_pack  # noqa: E402
from app.consult.demo import build_demo_consent  # noqa: E402
from app.records.search import search_patients  # noqa: E402
from app.runtime.service import Glabella  # noqa: E402
from db import Store  # noqa: E402
from db.encrypt import export_encrypted  # noqa: E402
from db.staff import open_query_only, setting  # noqa: E402
from db.upkeep import startup_problems  # noqa: E402

TARGET = 1.25


def ms(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def in_turn(plain: Callable[[], object], encrypted: Callable[[], object], runs: int
            ) -> tuple[float, float]:
    """Median ms of each, run alternately (which goes first alternates too)."""
    a: list[float] = []
    b: list[float] = []
    for n in range(runs):
        if n % 2:
            b.append(ms(encrypted))
            a.append(ms(plain))
        else:
            a.append(ms(plain))
            b.append(ms(encrypted))
    return statistics.median(a), statistics.median(b)


def report(what: str, plain: float, encrypted: float) -> bool:
    ratio = encrypted / plain
    met = ratio <= TARGET
    print(f"{what:<44} plain {plain:8.2f} ms   encrypted {encrypted:8.2f} ms   "
          f"{ratio:4.2f}x  {'met' if met else 'NOT met'}")
    return met


def opened(path: Path, key: bytes | None) -> None:
    """The records opened as Glabella.open does, the start-up check included."""
    store = Store.open(path, key)
    try:
        startup_problems(store, path.stat().st_size)
    finally:
        store.close()


def first_screen(path: Path, key: bytes | None) -> None:
    conn = open_query_only(path, key)
    try:
        setting(conn, "clinic.name")
        read_members(conn)
    finally:
        conn.close()


def plain_service(root: Path) -> Glabella:
    """A service over a plain database, as before encryption (Glabella.open encrypts)."""
    from app.clinic.details import ensure_demo_clinic

    paths = DataPaths(root).ensure()
    store = Store.open(paths.database)
    ensure_demo_clinic(store)
    return Glabella(paths, store, load_pack(default_content_dir()))


def keyring_cost() -> float:
    """One-off: importing keyring and finding its backend, in a fresh process (ms)."""
    code = ("import time; t = time.perf_counter(); import keyring; keyring.get_keyring(); "
            "print((time.perf_counter() - t) * 1000)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--consents", type=int, default=5000)
    parser.add_argument("--pdf-kb", type=int, default=20)
    parser.add_argument("--finalize", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(14)
    key = os.urandom(32)
    met = True
    with tempfile.TemporaryDirectory() as tmp:
        plain_db, secret_db = Path(tmp) / "plain.db", Path(tmp) / "encrypted.db"
        build(plain_db, args.patients, args.consents, args.pdf_kb, 2, rng)
        export_encrypted(plain_db, secret_db, key)
        plain_store, secret_store = Store.open(plain_db), Store.open(secret_db, key)
        words = [rng.choice(FAMILY)[:rng.randint(2, 5)] for _ in range(200)]
        try:
            pairs = [in_turn(lambda w=w: search_patients(plain_store, w),
                             lambda w=w: search_patients(secret_store, w), 2) for w in words]
            met &= report("search: a name prefix (200 queries)",
                          statistics.median(p for p, _ in pairs),
                          statistics.median(e for _, e in pairs))
        finally:
            plain_store.close()
            secret_store.close()
        met &= report("start-up: records opened and checked", *in_turn(
            lambda: opened(plain_db, None), lambda: opened(secret_db, key), 15))
        met &= report("start-up: the first screen's read", *in_turn(
            lambda: first_screen(plain_db, None), lambda: first_screen(secret_db, key), 31))
        print(f"(the synthetic clinic: {args.patients:,} patients, {args.consents:,} consents, "
              f"{plain_db.stat().st_size / 1e6:,.0f} MB)")
        services = (plain_service(Path(tmp) / "plain-clinic"),
                    Glabella.open(Path(tmp) / "encrypted-clinic"))
        try:
            pack = services[0].pack
            for service in services:  # the first certification loads pyHanko: not timed
                service.finalize(build_demo_consent(pack, service.clock))
            met &= report(f"finalize: a demo consent ({args.finalize} each)", *in_turn(
                lambda: services[0].finalize(build_demo_consent(pack, services[0].clock)),
                lambda: services[1].finalize(build_demo_consent(pack, services[1].clock)),
                args.finalize))
        finally:
            for service in services:
                service.close()
    print(f"keyring import and backend detection (once, a fresh process): "
          f"{keyring_cost():.0f} ms (only when the key is kept in the OS credential store)")
    print("all within 1.25x" if met else "NOT all within 1.25x")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
