"""The clinic's signing identity and the certification of every finalized consent PDF."""

from __future__ import annotations

import hashlib
import io
import shutil
import stat
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pypdf import PdfReader

from app.cli.main import main
from app.clinic.details import Clinic, clinic_from_json, save_clinic
from app.clinic.paper import default_paper
from app.consult.demo import build_demo_consent
from app.document.finalize import render_pdf
from app.document.pdf.layout import page_of
from app.document.pdf.stamp import StampSpace, stamp_box
from app.document.signing import identity as ident
from app.runtime.service import Glabella
from tests import db_keys
from tests.conftest import FIXED_NOW, fixed_clock

STANDARD_14 = {"Courier", "Helvetica", "Times-Roman", "Symbol", "ZapfDingbats"}


def _events(service: Glabella, name: str) -> list[dict]:
    return [e for e in service.store.audit_events() if e["event"] == name]


# -- the identity ------------------------------------------------------------------------

def test_identity_is_made_once_on_first_use(service: Glabella):
    folder = service.paths.signing
    assert not (folder / ident.IDENTITY_FILE).exists()
    identity = service.signing_identity()
    cert = identity.certificate
    name = service.clinic.name
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == name
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == name
    assert cert.issuer == cert.subject and identity.self_made
    assert isinstance(identity.key, ec.EllipticCurvePrivateKey)
    assert identity.key.curve.name == "secp256r1"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    life = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert timedelta(days=3650) <= life <= timedelta(days=3660)
    # the key on disk is encrypted, and only its owner may read it or its passphrase
    pem = (folder / ident.IDENTITY_FILE).read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert b"BEGIN PRIVATE KEY" not in pem
    with pytest.raises(TypeError):
        serialization.load_pem_private_key(pem.split(b"-----END")[0] + b"-----END ENCRYPTED "
                                           b"PRIVATE KEY-----\n", None)
    assert stat.S_IMODE((folder / ident.IDENTITY_FILE).stat().st_mode) == 0o600
    # its passphrase is the clinic key's subkey, kept in the key store, not beside it
    assert not (folder / ident.PASSPHRASE_FILE).exists()
    assert service.signing_secret is not None
    assert service.signing_secret not in b"".join(
        p.read_bytes() for p in service.paths.root.rglob("*") if p.is_file())
    again = service.signing_identity()
    assert again.fingerprint == identity.fingerprint
    [created] = _events(service, "signing.identity_created")
    assert created["details"]["fingerprint"] == identity.fingerprint


def test_a_renamed_clinic_gets_a_new_certificate_and_old_ones_stay_trusted(service: Glabella):
    old = service.signing_identity()
    save_clinic(service.store, Clinic("Northside Aesthetics", "2 High St"))
    new = service.signing_identity()
    assert new.common_name == "Northside Aesthetics"
    assert new.fingerprint != old.fingerprint
    assert (service.paths.signing / "retired" / f"{old.fingerprint}.pem").exists()
    trusted = {ident.fingerprint(c) for c in ident.trusted_certificates(service.paths.signing)}
    assert trusted == {old.fingerprint, new.fingerprint}
    [replaced] = _events(service, "signing.identity_replaced")
    assert replaced["details"]["previous_fingerprint"] == old.fingerprint


def test_a_long_non_ascii_clinic_name_fits_the_certificate(service: Glabella):
    long_name = "Zoë & Søn — Æsthetic Medicine and Dermatology Partners of Greater Springfield"
    save_clinic(service.store, Clinic(long_name))
    identity = service.signing_identity()
    assert long_name.startswith(identity.common_name)
    assert len(identity.common_name.encode("utf-8")) <= 64
    assert service.signing_identity().fingerprint == identity.fingerprint  # stable, not reissued


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _usage(**on: bool) -> x509.KeyUsage:
    flags = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment",
                           "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign",
                           "encipher_only", "decipher_only"), False)
    return x509.KeyUsage(**{**flags, **on})


def make_pkcs12(path: Path, password: bytes, *, leaf_usage: x509.KeyUsage | None = None,
                days: int = 365) -> tuple[x509.Certificate, x509.Certificate]:
    """A clinic CA and a signing certificate it issued, as a password-protected PKCS#12."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("Clinic Group Root CA"))
          .issuer_name(_name("Clinic Group Root CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=3650))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(_name("Northside Aesthetics"))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=2))
            .not_valid_after(now + timedelta(days=days))
            .add_extension(leaf_usage or _usage(digital_signature=True,
                                                content_commitment=True), critical=True)
            .sign(ca_key, hashes.SHA256()))
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"northside", key, leaf, [ca], serialization.BestAvailableEncryption(password)))
    return ca, leaf


def test_import_a_clinic_ca_pkcs12_and_certify_with_it(pack, tmp_path: Path, capsys, staff):
    data = tmp_path / "data"
    service = Glabella.open(data, clock=fixed_clock)
    try:
        first = service.finalize(build_demo_consent(pack, fixed_clock))
        self_made = service.signing_identity()
    finally:
        service.close()
    p12, password_file = tmp_path / "clinic.p12", tmp_path / "pw.txt"
    ca, leaf = make_pkcs12(p12, b"s3cret pass")
    password_file.write_bytes(b"s3cret pass\n")
    assert main(["signing", "import", *staff, str(p12), "--password-file", str(password_file),
                 "--data-dir", str(data)]) == 0
    assert "replaced" in capsys.readouterr().out
    assert main(["signing", "show", "--data-dir", str(data)]) == 0
    shown = capsys.readouterr().out
    assert "Subject:             CN=Northside Aesthetics" in shown
    assert "Issuer:              CN=Clinic Group Root CA" in shown
    assert leaf.fingerprint(hashes.SHA256()).hex()[:2].upper() in shown
    assert "Valid until:" in shown and "imported (PKCS#12)" in shown

    service = Glabella.open(data, clock=fixed_clock)
    try:
        identity = service.signing_identity()
        assert identity.certificate == leaf and identity.chain == (ca,)
        second = service.finalize(build_demo_consent(pack, fixed_clock))
        # the new consent verifies through the CA; the old one through the retired certificate
        for result in (first, second):
            report = service.verify_pdf(result.pdf)
            assert report.ok, report.certification.problems
        assert service.verify_pdf(second.pdf).certification.certified_by == "Northside Aesthetics"
        [replaced] = _events(service, "signing.identity_replaced")
        assert replaced["details"]["source"] == "pkcs12"
        assert replaced["details"]["previous_fingerprint"] == self_made.fingerprint
    finally:
        service.close()


def test_import_refuses_what_cannot_sign(tmp_path: Path, capsys, staff):
    data, p12, pw = tmp_path / "data", tmp_path / "c.p12", tmp_path / "pw"
    make_pkcs12(p12, b"right")
    pw.write_bytes(b"wrong")
    assert main(["signing", "import", *staff, str(p12), "--password-file", str(pw),
                 "--data-dir", str(data)]) == 1
    assert "password is wrong" in capsys.readouterr().err
    assert main(["signing", "import", *staff, str(tmp_path / "missing.p12"), "--password-file",
                 str(pw), "--data-dir", str(data)]) == 2
    log = _NoLog()
    make_pkcs12(p12, b"pw", leaf_usage=_usage(key_encipherment=True))
    with pytest.raises(ident.IdentityError, match="not allowed to sign"):
        ident.import_pkcs12(tmp_path / "s", p12, b"pw", log)
    make_pkcs12(p12, b"pw", days=-1)
    with pytest.raises(ident.IdentityError, match="valid only from"):
        ident.import_pkcs12(tmp_path / "s", p12, b"pw", log)
    assert not (tmp_path / "s" / ident.IDENTITY_FILE).exists()


class _NoLog:
    def log_event(self, event: str, **_kw: object) -> str:
        raise AssertionError(f"nothing should be logged, got {event}")


# -- the certified PDF -------------------------------------------------------------------

def _validate(pdf: bytes, roots: list[x509.Certificate]):
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    context = ValidationContext(trust_roots=[
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in roots])
    return signature, validate_pdf_signature(signature, context)


def test_certified_pdf_validates_with_pyhanko(certified):
    from pyhanko.sign.fields import MDPPerm
    from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel

    roots = ident.trusted_certificates(certified.data_dir / "signing")
    signature, status = _validate(certified.pdf, roots)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE
    assert status.docmdp_ok
    assert signature.docmdp_level == MDPPerm.NO_CHANGES
    assert status.signer_reported_dt == FIXED_NOW
    sig = signature.sig_object
    assert sig["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES baseline
    assert sig["/Reason"] == (f"Consent record {certified.consent_id[:8]} certified by "
                              f"{Clinic.demo().name}")
    assert sig["/Location"] == Clinic.demo().address
    embedded = [c.chosen.dump() for c in signature.signed_data["certificates"]]
    assert roots[0].public_bytes(serialization.Encoding.DER) in embedded


def test_the_stamp_sits_in_the_box_the_renderer_kept_free(certified, pack):
    reader = PdfReader(io.BytesIO(certified.pdf))
    last = reader.pages[-1]
    [widget] = [a.get_object() for a in last["/Annots"]]
    assert widget["/FT"] == "/Sig"
    box = stamp_box(page_of(Clinic("", paper=default_paper())))  # the clinic's paper
    assert [float(v) for v in widget["/Rect"]] == [float(v) for v in box]
    assert all("/Annots" not in page for page in reader.pages[:-1])
    top_of_box = box[3]
    low_text: list[tuple[str, float]] = []

    def visit(text: str, _cm, tm, _font, _size) -> None:  # noqa: ANN001
        if text.strip() and box[1] - 12 <= tm[5] <= top_of_box + 6:
            low_text.append((text, tm[5]))

    last.extract_text(visitor_text=visit)
    assert low_text == []  # nothing printed in or just above the stamp
    text = last.extract_text()
    assert "Signature manifest" in text and pack.hash in text.replace("\n", "")


def test_the_manifest_and_the_stamp_always_share_the_last_page(pack):
    """Longer and longer plan notes push the ending across page breaks; the last page
    always opens with or holds the manifest, never the stamp alone."""
    from app.consult.consent import TreatmentPlan
    from tests.test_pdf import resign

    page_counts = set()
    for n in range(0, 130, 5):
        consent = build_demo_consent(pack, fixed_clock)
        plan = consent.plan
        consent.set_plan(TreatmentPlan(plan.product_id, plan.areas, plan.lot_number,
                                       plan.expiry, "Plan note. " * (n * 9)))
        resign(consent, pack, {"patient": consent.patient.full_name,
                               "injector": consent.injector.display_name})
        consent.finalized_at = FIXED_NOW
        pages = PdfReader(io.BytesIO(render_pdf(consent, pack, Clinic.demo()))).pages
        page_counts.add(len(pages))
        assert "Signature manifest" in pages[-1].extract_text(), n
    assert len(page_counts) >= 3  # the ending really moved across page breaks


def test_stamp_space_never_splits_and_ends_at_the_frame_bottom():
    space = StampSpace()
    assert space.wrap(400, 500) == (400, 500)  # takes the rest: drawn at the bottom edge
    assert space.wrap(400, 20)[1] > 20  # too little room: it moves to the next page
    assert space.split(400, 20) == []


def test_every_font_is_embedded_including_the_stamps(certified, tmp_path):
    reader = PdfReader(io.BytesIO(certified.pdf))
    fonts = []
    in_use = {n for section in reader.xref.values() for n in section}
    for number in sorted(in_use - {0}):
        obj = reader.get_object(number)
        if hasattr(obj, "get") and obj.get("/Type") == "/Font" and "/DescendantFonts" not in obj:
            fonts.append(obj)
    assert len(fonts) >= 4  # the page fonts and the stamp's own copies
    for font in fonts:
        base = str(font["/BaseFont"]).lstrip("/")
        assert base.split("+")[-1] not in STANDARD_14, base
        assert "/FontFile2" in font["/FontDescriptor"], base
    if shutil.which("qpdf"):
        (tmp_path / "c.pdf").write_bytes(certified.pdf)
        check = subprocess.run(["qpdf", "--check", str(tmp_path / "c.pdf")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_finalize_keeps_the_unsigned_hash_and_the_clinic_as_printed(certified, pack):

    with db_keys.open_store(certified.data_dir / "glabella.db") as store:
        row = store.get_consent(certified.consent_id)
        consent_json = row["consent_json"]
    from app.consult import draft

    consent = draft.from_json(consent_json)
    printed = replace(Clinic.demo(), paper=default_paper())  # the region's paper: unset
    unsigned = render_pdf(consent, pack, printed)
    assert hashlib.sha256(unsigned).hexdigest() == row["unsigned_sha256"]
    assert row["unsigned_sha256"] == certified.unsigned_sha256 != row["pdf_sha256"]
    assert certified.pdf.startswith(unsigned)  # certification is an incremental update
    assert clinic_from_json(row["clinic_json"]) == printed


def test_the_signing_time_is_the_finalized_time_even_from_a_slow_clock(pack, tmp_path):
    long_ago = datetime(2025, 3, 4, 10, 30, tzinfo=UTC)
    service = Glabella.open(tmp_path / "data", clock=lambda: long_ago)
    try:
        result = service.finalize(build_demo_consent(pack, lambda: long_ago))
        _, status = _validate(result.pdf, [service.signing_identity().certificate])
        assert status.signer_reported_dt == long_ago
        assert service.verify_pdf(result.pdf).ok
    finally:
        service.close()


def test_a_failed_certification_stores_nothing(pack, tmp_path):
    class Broken:
        def certify(self, pdf: bytes, **_kw: object) -> bytes:
            raise RuntimeError("token unplugged")

    service = Glabella.open(tmp_path / "data", clock=fixed_clock, certifier=Broken())
    consent = build_demo_consent(pack, fixed_clock)
    try:
        with pytest.raises(RuntimeError, match="token unplugged"):
            service.finalize(consent)
        assert service.store.list_consents() == []
        assert consent.finalized_at is None
    finally:
        service.close()


def test_an_older_folders_passphrase_file_is_migrated_to_the_clinic_key_and_wiped(
        service: Glabella):
    folder = service.paths.signing
    old = ident.ensure_identity(folder, service.clinic.name, service.store)  # as before
    assert (folder / ident.PASSPHRASE_FILE).exists()
    migrated = service.signing_identity()
    assert migrated.fingerprint == old.fingerprint
    assert not (folder / ident.PASSPHRASE_FILE).exists()
    again = ident.load_identity(folder, service.signing_secret)
    assert again is not None and again.fingerprint == old.fingerprint
    with pytest.raises(ident.IdentityError):
        ident.load_identity(folder, b"another clinic's secret")
