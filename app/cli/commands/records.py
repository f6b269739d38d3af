"""``glabella records …``: search, list, rerender (and export) stored consent records."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.cli.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from app.cli.commands.store import open_existing_store

if TYPE_CHECKING:
    from app.cli.credentials import Credentials
    from app.records.search import ConsentSummary
    from db import Store


def checked_output(out_file: Path, store: Store, data_dir: Path, force: bool) -> Path:
    """Where ``--out`` may write (OutputRefused, exit 2, for the records' own files or an
    existing file without ``--force``), the configured backup folder protected too."""
    from app.base.outputs import check_output
    from app.base.paths import DataPaths
    from app.upkeep.backup import backup_folder

    paths = DataPaths(data_dir)
    return check_output(out_file, paths, force=force, backups=[backup_folder(store, paths)])


def _sign_in(who: Credentials | None, store: Store) -> None:
    """After the output is checked (a refused one logs nothing): SignInRefused if wrong."""
    if who is not None:
        who.sign_in(store)


def run_rerender(consent_id: str, out_file: Path | None, data_dir: Path,
                 who: Credentials | None, out: TextIO, err: TextIO, *,
                 force: bool = False) -> int:
    """A record not found (2) or that cannot be re-rendered (1) is said by run_command."""
    from app.base.private_files import write_bytes
    from app.document.rerender import rerender

    store = open_existing_store(data_dir, err)
    if store is None:
        return EXIT_USAGE
    with store:  # the output is checked first: a refused one logs nothing, not even a sign-in
        target = None if out_file is None else checked_output(out_file, store, data_dir, force)
        _sign_in(who, store)
        result = rerender(store, consent_id)
    if target is not None:
        write_bytes(target, result.pdf)
        print(f"Re-rendered PDF written to {out_file}", file=out)
    print(f"Stored unsigned SHA-256:  {result.expected_sha256}", file=out)
    print(f"Re-rendered SHA-256:      {result.actual_sha256}", file=out)
    if result.match:
        print(f"MATCH: record {consent_id} renders byte for byte to the document that was "
              f"certified.", file=out)
        return EXIT_OK
    print(f"MISMATCH: record {consent_id} no longer renders to the document that was "
          f"certified; its stored data or the renderer changed.", file=out)
    return EXIT_FAILED


def run_search(text: str, dob: str | None, data_dir: Path, who: Credentials | None,
               out: TextIO, err: TextIO) -> int:
    """``glabella records search TEXT [--dob YYYY-MM-DD]``: matching patients, one a line."""
    from app.records.search import patient_history, search_patients

    store = open_existing_store(data_dir, err, who)
    if store is None:
        return EXIT_USAGE
    with store:
        matches = search_patients(store, text, dob)  # a search typed wrong: run_command
        histories = {m.id: patient_history(store, m.id) if m.consents else [] for m in matches}
    asked = " ".join(part for part in (text, dob and f"born {dob}") if part)
    if not matches:
        print(f"No patient matches {asked!r}.", file=out)
        return EXIT_FAILED
    print(f"{len(matches)} patient{'s' if len(matches) != 1 else ''} "
          f"match{'es' if len(matches) == 1 else ''} {asked!r}:", file=out)
    for m in matches:
        last = f"last {m.last_consent_at[:10]}" if m.last_consent_at else "no consent yet"
        print(f"  {m.id}  {m.full_name}  born {m.date_of_birth}  "
              f"{m.consents} consent{'s' if m.consents != 1 else ''}, {last}", file=out)
        for c in histories[m.id]:
            print(f"      {consent_line(c, with_patient=False)}", file=out)
    return EXIT_OK


def consent_line(c: ConsentSummary, *, with_patient: bool = True) -> str:
    """One consent as the commands print it, with its kind and link when it has them."""
    who = f"{c.patient_name} ({c.patient_dob})  " if with_patient else ""
    line = (f"{c.finalized_at[:16].replace('T', ' ')}  {c.id}  {c.status:<9}  {who}"
            f"{c.product_name}: {c.areas}  by {c.injector_name}")
    if c.amends:
        line += f"  [{c.kind} of {c.amends[:8]}: {c.reason}]"
    return line


def run_list(patient: str | None, date_from: str | None, date_to: str | None,
             product: str | None, injector: str | None, limit: int, data_dir: Path,
             who: Credentials | None, out: TextIO, err: TextIO) -> int:
    """``glabella records list``: the register, newest first, filtered."""
    from app.records.search import ConsentFilter, list_consents, parse_date

    store = open_existing_store(data_dir, err, who)
    if store is None:
        return EXIT_USAGE
    with store:  # a date typed wrong is said by run_command (exit 2)
        where = ConsentFilter(
            patient_id=patient,
            date_from=parse_date(date_from, "'from' date") if date_from else None,
            date_to=parse_date(date_to, "'to' date") if date_to else None,
            product=product, injector=injector, limit=limit)
        rows = list_consents(store, where)
    if not rows:
        print("No consent matches.", file=out)
        return EXIT_OK
    for c in rows:
        print(consent_line(c), file=out)
    more = " (the newest; --limit shows more)" if len(rows) == limit else ""
    print(f"{len(rows)} consent{'s' if len(rows) != 1 else ''}{more}.", file=out)
    return EXIT_OK


def run_export_fhir(consent_id: str, out_file: Path, data_dir: Path,
                    who: Credentials | None, out: TextIO, err: TextIO, *,
                    force: bool = False) -> int:
    """``glabella records export-fhir ID --out FILE.json``."""
    from app.records.export_fhir import export_consent

    store = open_existing_store(data_dir, err)
    if store is None:
        return EXIT_USAGE
    with store:  # no such record (2), a Bundle that does not validate (1): run_command
        target = checked_output(out_file, store, data_dir, force)
        _sign_in(who, store)
        try:
            result = export_consent(store, consent_id, target)
        except OSError as exc:
            print(f"glabella: {out_file} cannot be written ({exc.strerror or exc}).", file=err)
            return EXIT_FAILED
    print(f"FHIR R4 transaction Bundle for consent {consent_id} written to {result.path} "
          f"(Patient, Consent, DocumentReference with the {result.pdf_size:,} byte PDF; "
          f"SHA-256 {result.pdf_sha256}).", file=out)
    return EXIT_OK


def run_export_csv(out_file: Path, data_dir: Path, who: Credentials | None, out: TextIO,
                   err: TextIO, *, force: bool = False) -> int:
    """``glabella records export-csv --out FILE.csv``: the register, one row per consent."""
    from app.records.export_csv import export_register

    store = open_existing_store(data_dir, err)
    if store is None:
        return EXIT_USAGE
    with store:
        target = checked_output(out_file, store, data_dir, force)
        _sign_in(who, store)
        try:
            rows = export_register(store, target)
        except OSError as exc:
            print(f"glabella: {out_file} cannot be written ({exc.strerror or exc}).", file=err)
            return EXIT_FAILED
    print(f"{rows:,} consent{'s' if rows != 1 else ''} written to {out_file}.", file=out)
    return EXIT_OK
