"""Benchmark: find records in a clinic of 30,000 patients and 100,000 consents.

    python bench/bench_records.py [--patients 30000] [--consents 100000] [--pdf-kb 100]
                                  [--json-kb 30] [--queries 300] [--dir DIR] [--keep]
                                  [--drop-caches]

Builds a synthetic database in a temporary folder (never committed; about 13 GB at the
defaults, a few minutes): the real schema (every migration, the search triggers), patients
with names from several scripts, consents with a unique stand-in PDF of ``--pdf-kb`` and a
stored consult of ``--json-kb`` each, all inserted with executemany in one transaction.
Consents are inserted as signed, without their screening, acknowledgement and signature
rows, which none of the measured reads touch. Then it times, as median and p95 over many
queries through the same functions the records screen calls:

- search: a patient by part of a name (any case, accents typed or not), by date of birth,
  and by letters inside a name (the substring fallback);
- history: one patient's consents;
- open PDF: reading one stored PDF;
- register: a filtered page of the register;
plus, once each, opening the service (with its start-up check), exporting the CSV register,
making a backup and checking it as a restore would.
Targets: search < 50 ms, history < 50 ms, open PDF < 100 ms. Figures are with a warm OS
cache unless --drop-caches (root, Linux) empties it before the open-PDF run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_finalize import p95  # noqa: E402

from app.records.search import ConsentFilter, list_consents, patient_history, search_patients  # noqa: E402
from db import Store  # noqa: E402
from db.folding import fold  # noqa: E402

TARGETS_MS = {"search": 50, "history": 50, "open PDF": 100}
GIVEN = ["Zoë", "José", "María", "Łukasz", "Søren", "Ægir", "Björk", "Çağla", "İlkay",
         "Nguyễn Thị", "François", "Siobhán", "Dorothée", "Małgorzata", "Jürgen", "Ana",
         "Emma", "Olivia", "Liam", "Noah", "Ava", "Sofía", "Mateo", "Chloé", "Đorđe", "Ζωή",
         "Νίκος", "Анна", "Дмитрий", "Йосиф", "Fatima", "Layla", "Omar", "Yusuf", "Priya",
         "Aarav", "Hana", "Yuki", "Mei", "Jia", "Min-jun", "Seo-yeon"]  # fmt: skip
FAMILY = ["Núñez", "Kowalski", "Nowak", "Ødegård", "Straße", "Þórsson", "Petrović",
          "O’Brien", "García", "Martínez", "Müller", "Schröder", "Lefèvre", "Yılmaz",
          "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
          "Anderson", "Taylor", "Papadopoulos", "Παπαδόπουλος", "Иванов", "Смирнова",
          "Kuznetsov", "Haddad", "Al-Farsi", "Khan", "Patel", "Sharma", "Tanaka", "Suzuki",
          "Kim", "Lee", "Park", "Wang", "Li", "Zhang", "Chen", "Ferreira", "Gonçalves",
          "Dvořák", "Horváth", "Nagy", "Kovač", "Popescu"]  # fmt: skip
CJK_NAMES = ["王小明", "李娜", "張偉", "陳靜", "山田太郎", "佐藤花子", "김민준", "이서연"]
PRODUCTS = [("product.botox-cosmetic", "Botox Cosmetic"), ("product.dysport", "Dysport"),
            ("product.xeomin", "Xeomin"), ("product.jeuveau", "Jeuveau"),
            ("product.daxxify", "Daxxify"), ("product.letybo", "Letybo")]
INJECTORS = ["Dana Whitfield", "Dr. José Núñez", "Priya Sharma", "Dr. Anna Kowalska",
             "Tom Becker", "Søren Lund", "Dr. Mei Chen", "Layla Haddad", "Chris Ortega",
             "Dr. Emma Walsh", "Noah Fischer", "Yuki Tanaka"]  # fmt: skip
AREAS = ["Glabellar lines", "Forehead lines", "Lateral canthal lines", "Masseter",
         "Platysmal bands", "Bunny lines"]
OFFSETS = [timezone(timedelta(hours=1)), timezone(timedelta(hours=2))]


def build(path: Path, patients: int, consents: int, pdf_kb: int, json_kb: int,
          rng: random.Random) -> list[tuple[str, str, str]]:
    """Make the database; returns (id, full name, date of birth) of every patient."""
    Store.open(path).close()  # the real schema: every migration, trigger and index
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=OFF")  # a throwaway build: no rollback needed
    conn.execute("PRAGMA synchronous=OFF")
    pack_json = json.dumps({"pack": "bench"})
    pack_hash = hashlib.sha256(pack_json.encode()).hexdigest()
    people = []
    for _ in range(patients):
        name = rng.choice(CJK_NAMES) if rng.random() < 0.04 else \
            f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}" + (
                f"-{rng.choice(FAMILY)}" if rng.random() < 0.15 else "")
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
        people.append((_uuid(rng), name, born.isoformat()))
    pool = os.urandom(1 << 20)  # PDFs are compressed data: incompressible bytes
    filler = ("x" * 1023 + "\n") * json_kb
    stamp = "2026-01-01T00:00:00+00:00"
    started = time.perf_counter()
    with conn:  # one transaction
        conn.execute("INSERT INTO content_packs VALUES (?, 'bench', '1.0.0', ?, ?)",
                     [pack_hash, pack_json, stamp])
        conn.executemany(
            "INSERT INTO patients (id, full_name, date_of_birth, phone, email, created_at,"
            " updated_at, search_name) VALUES (?, ?, ?, '555-0100', NULL, ?, ?, ?)",
            [(pid, name, born, stamp, stamp, fold(name)) for pid, name, born in people])
        conn.executemany(
            "INSERT INTO consents (id, patient_id, status, patient_name, patient_dob,"
            " product_id, product_name, areas, injector_name, injector_credentials,"
            " created_at, finalized_at, content_pack_id, content_version, content_hash,"
            " consent_json, pdf, pdf_sha256, pdf_size, unsigned_sha256, clinic_json)"
            " VALUES (?, ?, 'signed', ?, ?, ?, ?, ?, ?, 'RN', ?, ?, 'bench', '1.0.0', ?, ?,"
            " ?, ?, ?, ?, '{}')",
            _consent_rows(people, consents, pdf_kb, pool, filler, pack_hash, rng))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    print(f"built {patients:,} patients and {consents:,} consents in "
          f"{time.perf_counter() - started:.0f} s; {path.stat().st_size / 1e9:.1f} GB")
    return people


def _consent_rows(people, count, pdf_kb, pool, filler, pack_hash, rng):  # noqa: ANN001, ANN202
    start = datetime(2019, 1, 1)
    for n in range(count):
        # a few regulars with many consents, most with one to four
        pid, name, born = people[int(len(people) * rng.random() ** 1.6)]
        when = (start + timedelta(minutes=rng.randrange(7 * 365 * 24 * 60))).replace(
            tzinfo=rng.choice(OFFSETS)).isoformat()
        offset = rng.randrange(len(pool) - pdf_kb * 1024)
        pdf = b"%PDF-1.7\n%" + str(n).encode() + b"\n" + pool[offset:offset + pdf_kb * 1024]
        product = rng.choice(PRODUCTS)
        yield (_uuid(rng), pid, name, born, product[0], product[1],
               ", ".join(rng.sample(AREAS, 2)), rng.choice(INJECTORS), when, when, pack_hash,
               json.dumps({"n": n, "notes": filler}), pdf, hashlib.sha256(pdf).hexdigest(),
               len(pdf), hashlib.sha256(pdf[:64]).hexdigest())


def _uuid(rng: random.Random) -> str:
    import uuid

    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def sample(work: Callable[[Any], Any], inputs: Sequence[Any]) -> tuple[list[float], list[Any]]:
    """Milliseconds of ``work(x)`` for each input, and what it returned."""
    times, results = [], []
    for x in inputs:
        started = time.perf_counter()
        results.append(work(x))
        times.append((time.perf_counter() - started) * 1000)
    return times, results


def search_queries(people: list[tuple[str, str, str]], rng: random.Random, n: int
                   ) -> dict[str, list[tuple[str, str | None]]]:
    chosen = rng.sample(people, n)
    by_name, by_dob, inside = [], [], []
    for _pid, name, born in chosen:
        words = name.replace("-", " ").split()
        word = rng.choice(words)
        typed = fold(word) if rng.random() < 0.5 else word.upper()  # accents or not
        by_name.append((typed[: rng.randint(2, max(2, len(typed)))] if rng.random() < 0.7
                        else f"{fold(words[0])[:3]} {fold(words[-1])[:3]}", None))
        by_dob.append(("", born))
        folded = fold(name).replace(" ", "")
        inside.append((folded[1:4] if len(folded) > 4 else folded, None))
    return {"search: part of a name": by_name, "search: date of birth": by_dob,
            "search: letters inside a name": inside}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=30_000)
    parser.add_argument("--consents", type=int, default=100_000)
    parser.add_argument("--pdf-kb", type=int, default=100)
    parser.add_argument("--json-kb", type=int, default=30)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--dir", type=Path, help="build here (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="leave the database in place")
    parser.add_argument("--drop-caches", action="store_true",
                        help="empty the OS file cache before opening PDFs (root, Linux)")
    args = parser.parse_args()
    rng = random.Random(20261123)
    folder = Path(tempfile.mkdtemp(prefix="glabella-bench-records-", dir=args.dir))
    try:
        return run(folder / "data", args, rng)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def run(data: Path, args: argparse.Namespace, rng: random.Random) -> int:
    from app.records.export_csv import export_register
    from app.runtime.service import Glabella
    from app.upkeep.backup import check_backup, make_backup

    data.mkdir(parents=True)
    people = build(data / "glabella.db", args.patients, args.consents, args.pdf_kb,
                   args.json_kb, rng)
    started = time.perf_counter()
    service = Glabella.open(data)  # what the window does at start, quick_check included
    open_ms = (time.perf_counter() - started) * 1000
    rows: list[tuple[str, list[float]]] = []
    try:
        store = service.store
        for label, queries in search_queries(people, rng, args.queries).items():
            times, found = sample(lambda q: search_patients(store, *q), queries)
            rows.append((f"{label} ({statistics.mean(map(len, found)):.1f} found)", times))
        ids = [p[0] for p in rng.sample(people, args.queries)]
        heavy = [r[0] for r in store.execute(
            "SELECT patient_id FROM consents GROUP BY patient_id ORDER BY count(*) DESC"
            " LIMIT 20").fetchall()]
        times, _ = sample(lambda pid: patient_history(store, pid), ids)
        rows.append(("history: a patient's consents", times))
        times, found = sample(lambda pid: patient_history(store, pid),
                              heavy * (args.queries // len(heavy)))
        rows.append((f"history: the busiest patients (up to {max(map(len, found))})", times))
        consent_ids = [r[0] for r in store.execute(
            "SELECT id FROM consents WHERE rowid IN (SELECT abs(random()) % ? + 1 FROM"
            " consents LIMIT ?)", [args.consents, args.queries]).fetchall()]
        if args.drop_caches:
            os.sync()
            Path("/proc/sys/vm/drop_caches").write_text("3\n")
        times, _ = sample(store.get_pdf, consent_ids)
        rows.append(("open PDF: read one stored PDF"
                     + (" (cold cache)" if args.drop_caches else ""), times))
        filters = [ConsentFilter(date_from=date(2023, 3, 1), date_to=date(2023, 3, 31)),
                   ConsentFilter(injector="nunez", product="Dysport"),
                   ConsentFilter(product="product.xeomin", date_from=date(2025, 1, 1))]
        times, _ = sample(lambda f: list_consents(store, f), filters * (args.queries // 10))
        rows.append(("register: a filtered page (up to 200 rows)", times))
        started = time.perf_counter()
        exported = export_register(store, data / "register.csv")
        csv_s = time.perf_counter() - started
        started = time.perf_counter()
        backup = make_backup(store, service.paths)
        backup_s = time.perf_counter() - started
    finally:
        service.close()
    started = time.perf_counter()
    sound = check_backup(backup.path).ok
    check_s = time.perf_counter() - started

    print(f"\nRecords benchmark: {args.patients:,} patients, {args.consents:,} consents "
          f"({args.pdf_kb} KB PDFs), {date.today().isoformat()}")
    print(f"  {'':<48}{'median':>9}{'p95':>9}   target")
    for label, times in rows:
        kind = next((k for k in TARGETS_MS if label.startswith(k)), None)
        target = f"< {TARGETS_MS[kind]} ms " + (
            "met" if kind and p95(times) < TARGETS_MS[kind] else "MISSED") if kind else ""
        print(f"  {label:<48}{statistics.median(times):7.2f}ms{p95(times):7.2f}ms   {target}")
    print(f"  {'open the service, start-up check included (once)':<48}{open_ms:7.0f}ms")
    print(f"  {'export the CSV register (once)':<48}{csv_s * 1000:7.0f}ms   "
          f"{exported:,} rows")
    print(f"  {'back up with the online backup API (once)':<48}{backup_s * 1000:7.0f}ms   "
          f"{backup.size / 1e9:.1f} GB")
    print(f"  {'check that backup for a restore (once)':<48}{check_s * 1000:7.0f}ms   "
          f"{'sound' if sound else 'NOT SOUND'}: integrity_check, every PDF re-hashed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
