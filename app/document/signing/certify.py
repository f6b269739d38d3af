"""Certify a rendered consent PDF with pyHanko: PAdES B-B, DocMDP "no changes", visible stamp.

Certification (rather than an ordinary approval signature) states that the clinic is the
document's author and that no later change of any kind is allowed; verifying then fails on
any byte changed, removed or appended. The stamp on the last page is drawn by
:mod:`app.document.pdf.stamp` with the embedded fonts, into the box the renderer left free.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import ImportedPdfPage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from app.clinic.details import Clinic
from app.document.pdf.layout import page_of
from app.document.pdf.stamp import render_stamp, stamp_box
from app.document.signing.identity import SigningIdentity

FIELD_NAME = "ClinicCertification"


def reason_for(record_id: str, clinic_name: str) -> str:
    return f"Consent record {record_id[:8]} certified by {clinic_name}"


def certify_pdf(pdf: bytes, identity: SigningIdentity, *, clinic: Clinic, record_id: str,
                signed_at: datetime) -> bytes:
    """``pdf`` with the clinic's certification signature added as an incremental update.

    ``signed_at`` is the signing time written into the signature and shown on the stamp
    (the consent's finalized time, so the record and its PDF name the same moment).
    """
    reason = reason_for(record_id, clinic.name)
    location = clinic.address.splitlines()[0].strip() if clinic.address.strip() else clinic.name
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        certify=True, docmdp_permissions=MDPPerm.NO_CHANGES,
        reason=reason, location=location, name=clinic.name,
    )
    page = page_of(clinic)  # the stamp sits under the text, on the consent's own paper
    stamp = StaticStampStyle(
        background=_PdfBytesPage(render_stamp(clinic.name, signed_at, reason, page)),
        background_opacity=1.0, border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN, y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins.uniform(0)),
    )
    signer = _FixedTimePdfSigner(
        meta, _simple_signer(identity), signing_time=signed_at, stamp_style=stamp,
        new_field_spec=SigFieldSpec(FIELD_NAME, on_page=-1, box=stamp_box(page)),
    )
    return signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf))).getvalue()


class _FixedTimePdfSigner(signers.PdfSigner):
    """pyHanko's signer with the signing time given instead of read from the wall clock."""

    def __init__(self, *args: object, signing_time: datetime, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):  # noqa: ANN001
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._signing_time
        return session


class _PdfBytesPage(ImportedPdfPage):
    """pyHanko's imported-page content, read from bytes instead of a file name."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__(file_name=None, page_ix=0)
        self._pdf = pdf

    def render(self) -> bytes:
        xobject = self._ensure_writer.import_page_as_xobject(PdfFileReader(BytesIO(self._pdf)))
        name = "/Stamp"
        self.resources.xobject[name] = xobject
        left, bottom, right, top = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(right - left), height=abs(top - bottom))
        return f"{name} Do".encode("ascii")


def _asn1_certificate(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _simple_signer(identity: SigningIdentity) -> signers.SimpleSigner:
    key_der = identity.key.private_bytes(serialization.Encoding.DER,
                                         serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption())
    return signers.SimpleSigner(
        signing_cert=_asn1_certificate(identity.certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        # the chain goes into the signature, so a verifier needs only the root
        cert_registry=SimpleCertificateStore.from_certs(
            [_asn1_certificate(c) for c in identity.chain]),
    )
