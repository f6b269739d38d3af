"""Check a consent PDF: is its certification intact, who certified it, is it a known record?

Qt-free, so ``glabella verify`` and the records screen share it. pyHanko loads inside the
functions, on the first check.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.base.errors import KnownError
from app.base.timestamps import utc_offset

if TYPE_CHECKING:
    from cryptography import x509

    from db import Store

PDF_MAGIC = b"%PDF-"
RecordLookup = Callable[[str], Mapping[str, Any] | None]


class NotAPdfError(KnownError, ValueError):
    """The file cannot be checked at all: missing, unreadable or not a PDF (a usage error)."""


@dataclass(frozen=True)
class KnownRecord:
    consent_id: str
    patient_name: str
    finalized_at: str


@dataclass(frozen=True)
class Certification:
    """What the file's signature says, checked."""

    signed: bool = False
    intact: bool = False  # sound, covers every byte of the file, no change since signing
    trusted: bool = False  # made with a certificate this clinic holds
    certified_by: str | None = None  # the certificate's common name
    issuer: str | None = None
    signed_at: datetime | None = None
    no_changes_allowed: bool = False  # a DocMDP certification forbidding any change
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyReport:
    sha256: str
    size: int
    certification: Certification
    record: KnownRecord | None = None
    name: str = ""  # the file's name, for the report

    @property
    def intact(self) -> bool:
        return self.certification.intact

    @property
    def known(self) -> bool:
        return self.record is not None

    @property
    def ok(self) -> bool:
        """Certified by this clinic, unchanged, and the very file a record holds."""
        return self.certification.intact and self.certification.trusted and self.known


def read_pdf(path: Path) -> bytes:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise NotAPdfError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise NotAPdfError(f"{path} is a folder, not a PDF file.") from None
    except OSError as exc:
        raise NotAPdfError(f"{path} cannot be read ({exc.strerror or exc}).") from None
    if not data.startswith(PDF_MAGIC):
        raise NotAPdfError(f"{path} is not a PDF file.")
    return data


def verify_pdf(data: bytes, trusted: Sequence[x509.Certificate], find_record: RecordLookup,
               name: str = "") -> VerifyReport:
    """Check the certification of ``data`` and look its SHA-256 up among the records."""
    digest = hashlib.sha256(data).hexdigest()
    row = find_record(digest)
    record = None if row is None else KnownRecord(row["id"], row["patient_name"],
                                                  row["finalized_at"])
    return VerifyReport(digest, len(data), check_certification(data, trusted), record, name)


def verify_for_clinic(data: bytes, store: Store, signing_folder: Path, name: str = ""
                      ) -> VerifyReport:
    """Verify against one clinic: its certificates and its records; the check is logged."""
    from app.document.signing.identity import trusted_certificates

    report = verify_pdf(data, trusted_certificates(signing_folder),
                        store.find_consent_by_pdf_sha256, name)
    store.log_event("consent.verified",
                    consent_id=report.record.consent_id if report.record else None,
                    details={"file": name, "sha256": report.sha256, "size": report.size,
                             "intact": report.intact, "trusted": report.certification.trusted,
                             "known": report.known, "ok": report.ok})
    return report


def check_certification(data: bytes, trusted: Sequence[x509.Certificate]) -> Certification:
    from pyhanko.pdf_utils.reader import PdfFileReader

    _quiet_pyhanko()
    try:
        reader = PdfFileReader(BytesIO(data))
        signatures = reader.embedded_signatures
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many kinds for a damaged file
        return Certification(problems=(f"the file is damaged: it cannot be read as a PDF "
                                       f"({_short(exc)})",))
    if not signatures:
        return Certification(problems=("the file carries no certification signature",))
    problems: list[str] = []
    if len(signatures) > 1:
        problems.append(f"the file holds {len(signatures)} signatures; a Glabella consent "
                        f"holds exactly one")
    return _check_signature(signatures[0], data, trusted, problems)


def _check_signature(signature: Any, data: bytes, trusted: Sequence[x509.Certificate],
                     problems: list[str]) -> Certification:
    from cryptography.hazmat.primitives import hashes
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel

    try:
        cert = signature.signer_cert
    except Exception as exc:  # noqa: BLE001 - a damaged signature fails in many ways
        problems.append(f"the signature itself is damaged ({_short(exc)})")
        return Certification(signed=True, problems=tuple(problems))
    certified_by = cert.subject.native.get("common_name") or cert.subject.human_friendly
    issuer = cert.issuer.human_friendly
    # One of the clinic's own certificates (current or retired) is recognised as such even
    # when the file is broken or the certificate has since expired: a ten-year-old consent
    # must still say who certified it. Otherwise a path to a held CA root decides.
    held = cert.sha256 in {c.fingerprint(hashes.SHA256()) for c in trusted}
    range_problems = _byte_range_problems(signature, data)
    covers_all = not range_problems
    problems += range_problems
    docmdp = signature.docmdp_level
    no_changes = docmdp == MDPPerm.NO_CHANGES
    if not no_changes:
        problems.append("the signature is not a certification that forbids every change")
    try:
        status = validate_pdf_signature(signature, _validation_context(trusted))
    except Exception as exc:  # noqa: BLE001 - a damaged signature fails in many ways
        problems.append(f"the signature itself is damaged ({_short(exc)})")
        return Certification(True, False, held, certified_by, issuer, None, no_changes,
                             tuple(problems))
    if not status.intact:
        problems.append("the certified content was changed: it no longer matches the "
                        "signature")
    elif not status.valid:
        problems.append("the signature value is invalid")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE and covers_all:
        problems.append("the signature does not cover the whole file")
    if status.modification_level not in (None, ModificationLevel.NONE):
        problems.append("the file was updated after it was certified")
    intact = (status.intact and status.valid and covers_all and no_changes
              and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
              and status.modification_level in (None, ModificationLevel.NONE))
    return Certification(True, intact, held or bool(status.trusted), certified_by, issuer,
                         status.signer_reported_dt, no_changes, tuple(problems))


def _quiet_pyhanko() -> None:
    """pyHanko logs each problem it finds with a traceback; this module reports them in
    plain words instead, so its log records stop at a NullHandler rather than falling
    through to Python's last-resort handler on stderr."""
    logger = logging.getLogger("pyhanko")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _byte_range_problems(signature: Any, data: bytes) -> list[str]:
    """What is wrong with the signed byte range; nothing when it runs from the first byte
    to the last, skipping only the signature, and the skipped hole holds exactly the
    signature in its canonical form.

    The hole is the one part of the file the signature cannot cover. Its hex digits are
    checked here byte for byte (upper-case hex of the CMS, then zero padding), so that not
    even a change there, e.g. in the padding or the case of a digit, goes unnoticed.
    """
    from asn1crypto import parser

    try:
        start1, len1, start2, len2 = (int(x) for x in signature.byte_range)
    except (TypeError, ValueError):
        return ["the signature's byte range is malformed"]
    if start1 != 0 or start2 < len1 or start2 + len2 != len(data):
        return ["bytes were added to or removed from the file after it was certified "
                "(the signature no longer covers the whole file)"]
    content = bytes(signature.pkcs7_content)
    try:
        _, _, _, header, body, _ = parser.parse(content)
    except ValueError:
        return ["the signature itself is damaged"]
    der = content[: len(header) + len(body)]
    padding = (start2 - len1) - 2 - 2 * len(der)
    # exactly as the signer (pyHanko) writes it: upper-case hex, then '0' padding
    expected = b"<" + der.hex().upper().encode("ascii") + b"0" * padding + b">"
    if padding < 0 or data[len1:start2] != expected:
        return ["the space that holds the signature was altered"]
    return []


def _validation_context(trusted: Sequence[x509.Certificate]) -> Any:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
             for c in trusted]
    # Offline on purpose: a clinic's own certificate has no revocation service, and a
    # consent must verify on a machine without a network.
    return ValidationContext(trust_roots=roots, allow_fetching=False,
                             revocation_mode="soft-fail")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "…"


# -- the report in plain words ----------------------------------------------------------

def format_time(value: datetime | str | None) -> str:
    """``2026-11-23 14:05 UTC+01:00``: unambiguous in every locale."""
    if value is None:
        return "unknown"
    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)  # not a timestamp: shown as stored
    offset = utc_offset(when)
    return f"{when:%Y-%m-%d %H:%M}" + ("" if offset is None else f" UTC{offset}")


# One wording for what a check found, used by `glabella verify` (``describe``) and the
# records screen (``app.records.view_model``): each lays the same findings out its own way.
NO_RECORD = "no record in this clinic's database has this file's fingerprint (SHA-256)"


@dataclass(frozen=True)
class Findings:
    """What a check found, in words."""

    certification: str  # "intact", "broken" or "none"
    certification_detail: str  # what that state means for this file
    certified_by: str | None  # "<name> (whether this clinic holds the certificate)"
    record: str | None  # "<id> for <patient>, finalized <time>"; None: not a known record


def findings(report: VerifyReport) -> Findings:
    c = report.certification
    if not c.signed:
        state, detail = "none", "; ".join(c.problems)
    elif c.intact:
        state, detail = "intact", ("it covers the whole file, allows no change, and nothing "
                                   "changed since it was certified")
    else:
        state, detail = "broken", "; ".join(c.problems)
    certified_by = None
    if c.certified_by is not None:
        holder = ("a certificate this clinic holds" if c.trusted
                  else "NOT a certificate this clinic holds")
        certified_by = f"{c.certified_by} ({holder})"
    r = report.record
    record = (None if r is None
              else f"{r.consent_id} for {r.patient_name}, finalized {format_time(r.finalized_at)}")
    return Findings(state, detail, certified_by, record)


def describe(report: VerifyReport) -> list[str]:
    """The report as lines of plain words, the verdict last."""
    c = report.certification
    found = findings(report)
    lines = []
    if report.name:
        lines.append(f"File:          {report.name} ({report.size:,} bytes)")
    lines.append(f"SHA-256:       {report.sha256}")
    if found.certification == "broken":
        lines.append("Certification: BROKEN - the file was changed after it was certified")
        lines += [f"               - {p}" for p in c.problems]
    else:
        lines.append(f"Certification: {found.certification.upper()} - "
                     f"{found.certification_detail}")
    if found.certified_by is not None:
        lines.append(f"Certified by:  {found.certified_by}")
        lines.append(f"Certified at:  {format_time(c.signed_at)}")
    lines.append(f"Clinic record: KNOWN - record {found.record}" if found.record is not None
                 else f"Clinic record: UNKNOWN - {NO_RECORD}")
    lines.append(f"Result:        {verdict(report)}")
    return lines


def verdict_reasons(report: VerifyReport) -> list[str]:
    """Why a file is not OK, the weightiest first; empty when it is OK."""
    c = report.certification
    reasons = []
    if not c.signed:
        reasons.append("not certified")
    elif not c.intact:
        reasons.append("modified")
    elif not c.trusted:
        reasons.append("certified by someone else")
    if not report.known:
        reasons.append("unknown to this clinic")
    return reasons


def verdict(report: VerifyReport) -> str:
    if report.ok:
        return "OK - certified by this clinic, unchanged, and a known record"
    return "NOT OK - " + ", ".join(verdict_reasons(report))
