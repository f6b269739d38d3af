"""``glabella selftest``: a whole demo consult through the core, checked end to end.

It is what the packaged build runs to prove itself on a clinic's machine, so it checks
real outcomes (the stored row, the PDF's hash, text and certification, the re-render, the
audit chain), prints each check, and exits non-zero on the first failure.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.base.private_files import write_bytes
from app.consult.demo import DEMO_PATIENT, build_demo_consent

if TYPE_CHECKING:
    from app.base.paths import DataPaths
    from db import Store

EXIT_OK, EXIT_FAILED = 0, 1


class SelftestFailure(AssertionError):
    pass


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SelftestFailure(message)


def run_selftest(keep: Path | None, out: TextIO, *, data_dir: Path | None = None,
                 force: bool = False) -> int:
    """Run in ``keep`` (left in place) or in a temporary folder removed afterwards.
    ``keep`` is never ``data_dir``, the clinic's folder (OutputRefused), nor a folder that
    is not empty unless ``force``."""
    if keep is not None:
        if data_dir is not None:
            from app.base.outputs import check_new_data_folder
            from app.base.paths import DataPaths

            return _run(check_new_data_folder(keep, DataPaths(data_dir), force=force), out)
        return _run(Path(keep).resolve(), out)
    with tempfile.TemporaryDirectory(prefix="glabella-selftest-") as tmp:
        return _run(Path(tmp), out)


def _run(data_dir: Path, out: TextIO) -> int:
    from app.cli.commands.store import open_service_or_say

    started = time.perf_counter()

    def say(text: str) -> None:
        print(f"  ok  {text}", file=out)

    print(f"Glabella self-test in {data_dir}", file=out)
    service = open_service_or_say(data_dir, out, prefix="FAIL  ", via="selftest")
    if service is None:
        return EXIT_FAILED
    try:
        pack = service.pack
        say(f"content pack {pack.info.id} {pack.version} loaded ({len(pack.faqs)} FAQ, "
            f"{len(pack.risks)} risks, {len(pack.expectations)} expectations; "
            f"hash {pack.short_hash})")
        consent = build_demo_consent(pack, service.clock)
        _check(consent.is_complete(pack), f"demo consent incomplete: {consent.missing(pack)}")
        say("demo consult complete: every answer, acknowledgement and signature present")
        result = service.finalize(consent)
        say(f"finalized record {result.consent_id} ({len(result.pdf):,} byte PDF)")
        service.close()

        # Read back through a fresh connection, as a later session would.
        from db import Store
        from db.upkeep import integrity_check

        with Store.open(service.paths.database, service.store.key) as store:
            row = store.get_consent(result.consent_id)
            pdf = store.get_pdf(result.consent_id)
            _check(row["status"] == "signed", f"stored status is {row['status']!r}")
            _check(hashlib.sha256(pdf).hexdigest() == row["pdf_sha256"] == result.pdf_sha256,
                   "stored PDF hash does not match")
            say(f"record read back: status signed, PDF SHA-256 {row['pdf_sha256'][:16]}…")
            _check(len(store.signatures(result.consent_id)) == 2, "signatures missing")
            _check(row["content_hash"] == pack.hash, "content hash not recorded")
            integrity = integrity_check(store)
            _check(integrity == "ok", f"integrity_check: {integrity}")
            say("database integrity_check ok")
            _check_certification(pdf, result.consent_id, store, service.paths.signing, say)
            from app.document.rerender import rerender

            again = rerender(store, result.consent_id)
            _check(again.match, "the record no longer re-renders to its unsigned hash")
            say(f"record re-renders byte for byte (unsigned SHA-256 "
                f"{again.actual_sha256[:16]}…)")
            chain = store.audit_chain()
            _check(chain.intact, f"audit chain: {chain.problem and chain.problem.message}")
            say(f"audit log hash chain intact ({chain.events} events)")
            _check_records_safety(store, service.paths, result.consent_id, pdf, say)
        text = _pdf_text(pdf)
        for needle in (DEMO_PATIENT.full_name, result.consent_id, pack.risks[0].title,
                       pack.expectations[-1].title, pack.version):
            _check(needle in text, f"PDF text lacks {needle!r}")
        say("PDF text holds the patient, record id, risks, expectations and pack version")
        pdf_path = data_dir / "exports" / f"selftest-{result.consent_id[:8]}.pdf"
        write_bytes(pdf_path, pdf)
        say(f"PDF written to {pdf_path}")
    except SelftestFailure as exc:
        print(f"FAIL  {exc}", file=out)
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - the self-test reports any failure, never crashes
        print(f"FAIL  {type(exc).__name__}: {exc}", file=out)
        return EXIT_FAILED
    finally:
        service.close()
    print(f"Self-test passed in {time.perf_counter() - started:.2f} s.", file=out)
    return EXIT_OK


def _check_certification(pdf: bytes, consent_id: str, store: Store, signing: Path,
                         say: Callable[[str], None]) -> None:
    from app.document.verify import check_certification, verify_for_clinic

    report = verify_for_clinic(pdf, store, signing, "selftest")
    c = report.certification
    _check(c.intact, f"certification not intact: {'; '.join(c.problems)}")
    _check(c.trusted, "the PDF is not certified with the clinic's certificate")
    _check(report.record is not None and report.record.consent_id == consent_id,
           "the PDF is not found among the records by its hash")
    say(f"PDF certified by {c.certified_by}: intact, whole file, known record")
    tampered = bytearray(pdf)
    tampered[len(pdf) // 2] ^= 1
    _check(not check_certification(bytes(tampered), []).intact,
           "a PDF with one changed byte was not caught")
    say("a copy with one changed byte is reported as modified")


def _check_records_safety(store: Store, paths: DataPaths, consent_id: str, pdf: bytes,
                          say: Callable[[str], None]) -> None:
    """The FHIR export, a backup and the doctor, on the record just made."""
    import base64

    from app.records.export_fhir import build_bundle, validate_bundle
    from app.upkeep.backup import check_backup, make_backup
    from app.upkeep.doctor import PROBLEM, examine

    bundle = build_bundle(store, consent_id)
    validate_bundle(bundle)
    attachment = bundle["entry"][2]["resource"]["content"][0]["attachment"]
    _check(base64.b64decode(attachment["data"]) == pdf, "the FHIR Bundle lost the PDF's bytes")
    say("FHIR R4 Bundle validates (fhir.resources R4B) and carries the PDF byte for byte")
    backup = make_backup(store, paths)
    check = check_backup(backup.path, store.key)
    _check(check.ok, f"the backup is not sound: {check.problems}")
    say(f"backup made with SQLite's online backup API and checked sound ({backup.path.name})")
    problems = [f.text for f in examine(paths).findings if f.level == PROBLEM]
    _check(not problems, f"doctor: {problems}")
    say("doctor: integrity, foreign keys, every PDF hash and the audit chain all ok")


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
