"""Finalizing a consent: check it is complete, render and certify its PDF, store it all at once.

The stored record keeps the certified PDF and its SHA-256, plus the SHA-256 of the render
before certification and the clinic as printed, so ``glabella records rerender`` can prove
later that the same record still renders to the same document.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from app.base.errors import KnownError
from app.clinic.content_review import current_review
from app.clinic.details import Clinic, clinic_to_json
from app.consult import draft
from app.consult.amendments import check_link
from app.consult.consent import Clock, Consent, Missing, local_now
from app.consult.content import ContentPack
from app.consult.reconsent import check_confirmation
from app.document.signing.certifier import Certifier
from db import FinalizeRecord, Store


class AlreadyFinalizedError(KnownError, ValueError):
    """The consult is already a stored record (a finalize that went through before a crash
    or a second try); nothing was changed."""

    def __init__(self, consent_id: str, finalized_at: str) -> None:
        self.consent_id = consent_id
        self.message = (f"This consult is already stored as record {consent_id} (finalized "
                        f"{finalized_at[:16].replace('T', ' ')}); nothing was changed.")
        super().__init__(self.message)


class IncompleteConsentError(KnownError, ValueError):
    """Finalizing was refused; ``missing`` says what is still needed."""

    def __init__(self, missing: list[Missing]) -> None:
        self.missing = missing
        lines = "\n".join(f"- [{m.step}] {m.message}" for m in missing)
        super().__init__(f"The consent cannot be finalized yet:\n{lines}")


@dataclass(frozen=True)
class FinalizedConsent:
    consent_id: str
    pdf: bytes  # certified
    pdf_sha256: str
    unsigned_sha256: str


def render_pdf(consent: Consent, pack: ContentPack, clinic: Clinic) -> bytes:
    # reportlab is imported on first use so the window opens without paying for it
    from app.document.pdf import render_consent_pdf

    return render_consent_pdf(consent, pack, clinic, record_id=consent.id)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_record(consent: Consent, pack: ContentPack, pdf: bytes, *, unsigned_sha256: str,
                 clinic: Clinic) -> FinalizeRecord:
    """Map the consent model onto the rows the store writes."""
    patient, injector, plan = consent.patient, consent.injector, consent.plan
    assert patient is not None and injector is not None and consent.finalized_at is not None
    product = pack.product(plan.product_id)
    area_names = ", ".join(a.name if (a := pack.area(i)) else i for i in plan.area_ids())
    patient_id = patient.id
    return FinalizeRecord(
        patient={"id": patient_id, "full_name": patient.full_name,
                 "date_of_birth": patient.date_of_birth.isoformat(),
                 "phone": patient.phone, "email": patient.email},
        consent={"id": consent.id, "patient_id": patient_id,
                 "product_id": plan.product_id,
                 "product_name": product.name if product else plan.product_id,
                 "areas": area_names, "injector_name": injector.full_name,
                 "injector_credentials": injector.credentials,
                 "created_at": consent.created_at.isoformat(),
                 "finalized_at": consent.finalized_at.isoformat(),
                 "consent_json": draft.to_json(consent), "pdf": pdf,
                 "unsigned_sha256": unsigned_sha256, "clinic_json": clinic_to_json(clinic)},
        content_pack={"hash": pack.hash, "pack_id": pack.info.id, "version": pack.version,
                      "snapshot_json": pack.snapshot_json()},
        screening=[{"question_id": qid, "answer": a.answer, "note": a.note,
                    "override_reason": a.override_reason}
                   for qid, a in consent.screening.items()],
        acknowledgements=[{"item_id": a.item_id, "item_kind": a.kind,
                           "acknowledged_at": a.at.isoformat(), "method": a.method,
                           "initials": a.initials, "acknowledged_by": a.by or None,
                           "read_aloud_by": a.staff_name or None,
                           "note": q.injector_note if (q := consent.questions.get(a.item_id))
                           else None}
                          for a in consent.acknowledgements.values()],
        faq_views=[{"faq_id": v.faq_id, "viewed_at": v.at.isoformat(),
                    "discussed_in_person": int(v.discussed_in_person)}
                   for v in consent.faq_views.values()],
        link=None if consent.kind in ("consent", "confirmation") else {
            "kind": consent.kind, "amends_id": consent.amends_id, "reason": consent.reason},
        confirms={"full_consent_id": consent.full_consent_id}
        if consent.kind == "confirmation" else None,
        signatures=[{"role": s.role, "printed_name": s.printed_name, "meaning": s.meaning,
                     "signed_at": s.signed_at.isoformat(), "png": s.png,
                     "strokes_json": json.dumps(s.strokes)}
                    for s in consent.signatures.values()],
    )


class Finalizing:
    """One finalize in three steps, so the slow middle one can run off the window's thread
    while every database read and write stays on the thread that owns the connection:

    ``begin`` (checks, the review line, the timestamp; reads the store), ``certify`` (render
    and certify the PDF: CPU only, no store), ``store`` (one transaction). ``undo`` puts
    the consent back to a draft after a failure in any of them.
    """

    def __init__(self, consent: Consent, pack: ContentPack, clinic: Clinic,
                 certifier: Certifier) -> None:
        self.consent, self.pack, self.clinic, self.certifier = consent, pack, clinic, certifier
        self._earlier_review = consent.content_review
        self._pdf = b""
        self._unsigned_sha256 = ""

    def begin(self, store: Store, clock: Clock = local_now) -> None:
        consent, pack = self.consent, self.pack
        if consent.content_hash != pack.hash:
            raise ValueError("This consult was started with different content-pack wording; "
                             "start it again so the patient reviews the current wording.")
        stored = store.find_consent(consent.id)
        if stored is not None:
            raise AlreadyFinalizedError(consent.id, stored["finalized_at"])
        missing = consent.missing(pack)
        if missing:
            raise IncompleteConsentError(missing)
        check_link(store, consent)  # AmendmentError: the record it changes cannot be changed
        # ConfirmationError: the rule, asked again on the day it is finalized, says no now
        check_confirmation(store, pack, consent, clock().date())
        # The medical director's review as it stands now is printed, and kept with the
        # consent so the PDF renders again the same (a review recorded later changes neither).
        review = current_review(store, pack)
        consent.content_review = review.line() if review is not None else ""
        consent.finalized_at = clock()

    def certify(self) -> None:
        consent = self.consent
        assert consent.finalized_at is not None, "begin() first"
        unsigned = render_pdf(consent, self.pack, self.clinic)
        self._pdf = self.certifier.certify(unsigned, clinic=self.clinic, record_id=consent.id,
                                           signed_at=consent.finalized_at)
        self._unsigned_sha256 = sha256(unsigned)

    def store(self, store: Store) -> FinalizedConsent:
        assert self._pdf, "certify() first"
        store.finalize(build_record(self.consent, self.pack, self._pdf,
                                    unsigned_sha256=self._unsigned_sha256, clinic=self.clinic))
        return FinalizedConsent(self.consent.id, self._pdf, sha256(self._pdf),
                                self._unsigned_sha256)

    def undo(self) -> None:
        """Still a draft: the user can fix the problem and try again."""
        self.consent.finalized_at = None
        self.consent.content_review = self._earlier_review
