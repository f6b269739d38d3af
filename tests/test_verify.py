"""``glabella verify``: an intact, known consent passes; every kind of tampering fails."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText

from app.cli.main import main
from app.consult.demo import build_demo_consent
from app.document.signing.identity import trusted_certificates
from app.document.verify import check_certification, describe, verify_pdf
from app.runtime.service import Glabella
from tests import db_keys
from tests.conftest import fixed_clock


@pytest.fixture(scope="module")
def trust(certified):
    return trusted_certificates(certified.data_dir / "signing")


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]


def _signature_hole(pdf: bytes) -> tuple[int, int]:
    """Where the signature's hex digits are: the gap in its /ByteRange, less the < >."""
    _, len1, start2, _ = map(int, re.search(rb"/ByteRange\s*\[([\d\s]+)\]", pdf)[1].split())
    return len1 + 1, start2 - 1


def _signature_image(pdf: bytes) -> int:
    """Object number of a signature image: the first image of the last page holding any
    (the signatures end the document, just before the manifest)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    [image, *_] = next(page.images for page in reversed(pages) if page.images)
    return image.indirect_reference.idnum


def test_an_intact_known_consent_verifies(certified, trust, capsys, staff):
    report = verify_pdf(certified.pdf, trust, lambda sha: None)
    assert report.intact and report.certification.trusted and not report.known
    data = certified.copy(Path(str(certified.data_dir) + "-ok"))
    path = data.data_dir / "exports" / "good.pdf"
    path.write_bytes(certified.pdf)
    assert main(["verify", *staff, str(path), "--data-dir", str(data.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "Certification: INTACT" in out
    assert "Certified by:  Glabella Demo Clinic (a certificate this clinic holds)" in out
    assert "Certified at:  2026-11-23 14:05 UTC+01:00" in out
    assert f"Clinic record: KNOWN - record {certified.consent_id}" in out
    assert "Result:        OK" in out
    with db_keys.open_store(data.data_dir / "glabella.db") as store:
        [event] = [e for e in store.audit_events() if e["event"] == "consent.verified"]
    assert event["consent_id"] == certified.consent_id and event["details"]["ok"] is True


def _middle_of_signed_content(pdf: bytes) -> int:
    return len(pdf) // 3


def _in_signature(pdf: bytes) -> int:
    start, end = _signature_hole(pdf)
    return start + (end - start) // 4  # inside the CMS, well before its zero padding


def _tail(pdf: bytes) -> int:
    return len(pdf) - 8  # in the final trailer, after the signature


def _flipped(where) -> callable:  # noqa: ANN001
    return lambda pdf: _flip(pdf, where(pdf))


def _padding_changed(pdf: bytes) -> bytes:
    _, end = _signature_hole(pdf)
    return pdf[:end - 3] + b"7" + pdf[end - 2:]  # the signature ignores its zero padding


def _hex_case_changed(pdf: bytes) -> bytes:
    start, _ = _signature_hole(pdf)
    at = next(i for i in range(start, start + 200) if pdf[i:i + 1] in b"ABCDEF")
    return pdf[:at] + pdf[at:at + 1].lower() + pdf[at + 1:]  # same bytes once decoded


def _incremental_annotation(pdf: bytes) -> bytes:
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_annotation(len(writer.pages) - 1,
                          FreeText(text="Botox 40 units", rect=(60, 700, 260, 740)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _junk(pdf: bytes) -> bytes:
    return pdf + b"\n% harmless-looking comment\n"


def _image_edited_in_place(pdf: bytes) -> bytes:
    number = _signature_image(pdf)
    start = pdf.index(b"stream", pdf.index(f"\n{number} 0 obj".encode())) + 40
    return _flip(pdf, start)


def _image_replaced_by_update(pdf: bytes) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    number = _signature_image(pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    old = writer.get_object(generic.Reference(number, 0, writer))
    width, height = int(old["/Width"]), int(old["/Height"])
    writer.objects[(0, number)] = generic.StreamObject(
        {generic.NameObject(k): v for k, v in old.items() if k in
         ("/Type", "/Subtype", "/Width", "/Height", "/ColorSpace", "/BitsPerComponent")},
        stream_data=bytes(width * height))  # a different "signature": all black
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _truncated(pdf: bytes) -> bytes:
    return pdf[: len(pdf) - 200]


TAMPERING = {
    "flipped byte in the signed content": _flipped(_middle_of_signed_content),
    "flipped byte in the signature": _flipped(_in_signature),
    "flipped byte at the end": _flipped(_tail),
    "signature padding changed": _padding_changed,
    "signature hex digit in lower case": _hex_case_changed,
    "incremental update adding an annotation": _incremental_annotation,
    "junk appended": _junk,
    "signature image edited in place": _image_edited_in_place,
    "signature image replaced by an update": _image_replaced_by_update,
    "truncated": _truncated,
    "first byte": _flipped(lambda pdf: 0),
}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_any_tampering_is_caught(certified, trust, tamper):
    tampered = tamper(certified.pdf)
    assert tampered != certified.pdf
    certification = check_certification(tampered, trust)
    assert not certification.intact
    assert certification.problems
    report = verify_pdf(tampered, trust, lambda sha: None)
    assert not report.ok
    assert "NOT OK" in describe(report)[-1]


def test_every_flipped_byte_in_a_sample_is_caught(certified, trust):
    """A spread of single-byte changes across the whole file, the signature hole included."""
    pdf = certified.pdf
    for at in range(0, len(pdf), len(pdf) // 23):
        assert not check_certification(_flip(pdf, at), trust).intact, at


def test_tampered_file_exits_1_and_says_why(certified, tmp_path, capsys, staff):
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(_incremental_annotation(certified.pdf))
    data = certified.copy(tmp_path / "data")
    assert main(["verify", *staff, str(bad), "--data-dir", str(data.data_dir)]) == 1
    out = capsys.readouterr().out
    assert "Certification: BROKEN" in out
    assert "updated after it was certified" in out
    assert "Clinic record: UNKNOWN" in out


def test_unsigned_and_unknown_files_exit_1(certified, pack, tmp_path, capsys, staff):
    from app.clinic.details import Clinic
    from app.document.finalize import render_pdf

    consent = build_demo_consent(pack, fixed_clock)
    consent.finalized_at = fixed_clock()
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(render_pdf(consent, pack, Clinic.demo()))
    data = certified.copy(tmp_path / "data")
    assert main(["verify", *staff, str(unsigned), "--data-dir", str(data.data_dir)]) == 1
    assert "Certification: NONE" in capsys.readouterr().out

    # intact and certified by a clinic, but not one of this clinic's records
    other = Glabella.open(tmp_path / "other", clock=fixed_clock)
    try:
        foreign = other.finalize(build_demo_consent(pack, fixed_clock)).pdf
    finally:
        other.close()
    path = tmp_path / "foreign.pdf"
    path.write_bytes(foreign)
    assert main(["verify", *staff, str(path), "--data-dir", str(data.data_dir)]) == 1
    out = capsys.readouterr().out
    assert "Certification: INTACT" in out
    assert "NOT a certificate this clinic holds" in out
    assert "Clinic record: UNKNOWN" in out
    # the same file in its own clinic's folder is fine
    assert main(["verify", *staff, str(path), "--data-dir", str(tmp_path / "other")]) == 0


def test_usage_errors_exit_2(tmp_path, capsys, staff):
    assert main(["verify", *staff, str(tmp_path / "missing.pdf"), "--data-dir", str(tmp_path)]) == 2
    assert "does not exist" in capsys.readouterr().err
    text = tmp_path / "notes.pdf"
    text.write_text("not a pdf")
    assert main(["verify", *staff, str(text), "--data-dir", str(tmp_path)]) == 2
    assert "not a PDF" in capsys.readouterr().err
    assert main(["verify", *staff, str(tmp_path), "--data-dir", str(tmp_path)]) == 2


def test_verify_without_a_clinic_database_creates_nothing(certified, tmp_path, capsys, staff):
    path = tmp_path / "c.pdf"
    path.write_bytes(certified.pdf)
    empty = tmp_path / "nowhere"
    assert main(["verify", *staff, str(path), "--data-dir", str(empty)]) == 1
    assert "no clinic database" in capsys.readouterr().err
    assert not empty.exists()


def test_export_is_logged(certified, tmp_path):
    data = certified.copy(tmp_path / "data")
    service = Glabella.open(data.data_dir, clock=fixed_clock)
    try:
        target = service.export_pdf(certified.consent_id, tmp_path / "out")
        assert service.verify_pdf(target.read_bytes(), target.name).ok
        exported = [e for e in service.store.audit_events() if e["event"] == "consent.exported"]
        assert exported[-1]["details"]["path"] == str(target)
        service.log("consent.printed", consent_id=certified.consent_id, actor="Dana")
        assert service.store.audit_events()[-1]["event"] == "consent.printed"
    finally:
        service.close()


def test_an_expired_clinic_certificate_is_still_recognised(pack):
    """Consents outlive certificates: ten years on, the file still verifies as the clinic's."""
    from datetime import UTC, datetime

    from cryptography.hazmat.primitives.asymmetric import ec

    from app.clinic.details import Clinic
    from app.document.finalize import render_pdf
    from app.document.signing.certify import certify_pdf
    from app.document.signing.identity import SigningIdentity, self_signed_certificate

    key = ec.generate_private_key(ec.SECP256R1())
    old = self_signed_certificate(key, "Old Clinic", now=datetime(2010, 1, 1, tzinfo=UTC))
    consent = build_demo_consent(pack, fixed_clock)
    consent.finalized_at = datetime(2012, 5, 1, 10, 0, tzinfo=UTC)
    pdf = certify_pdf(render_pdf(consent, pack, Clinic("Old Clinic")),
                      SigningIdentity(key, old), clinic=Clinic("Old Clinic"),
                      record_id=consent.id, signed_at=consent.finalized_at)
    certification = check_certification(pdf, [old])
    assert certification.intact and certification.trusted
    assert not check_certification(pdf, []).trusted
    broken = check_certification(_flip(pdf, len(pdf) // 3), [old])
    assert not broken.intact and broken.trusted  # still names whose certificate it was
