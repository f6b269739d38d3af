"""The document shown before signing: the consent PDF as it will be signed, as page images.

The Review step renders the real PDF (the same ``render_consent_pdf`` that finalizing
uses) from a copy of the consult without signatures, then rasterises its pages
(``app.document.raster``). Both are slow enough (a few hundred ms) to run off the window's
thread, so this module works on a copy and returns plain bytes. Qt-free; reportlab and
pypdfium2 load on first use.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass

from app.clinic.details import Clinic, clinic_to_json
from app.consult import draft
from app.consult.consent import Consent
from app.consult.content import ContentPack
from app.document.raster import PageImage, rasterise


@dataclass(frozen=True)
class ReviewDocument:
    fingerprint: str
    pdf: bytes
    pages: tuple[PageImage, ...]

    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)


def unsigned_copy(consent: Consent) -> Consent:
    """The consult as it will be signed: its own copy, signatures not yet present."""
    clone = copy.deepcopy(consent)
    clone.signatures = {}
    clone.finalized_at = None
    return clone


def fingerprint(consent: Consent, clinic: Clinic) -> str:
    """Changes exactly when the unsigned document would (signing alone does not)."""
    text = draft.to_json(unsigned_copy(consent)) + clinic_to_json(clinic)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render_review(consent: Consent, pack: ContentPack, clinic: Clinic, *,
                  dpi: float = 120.0) -> ReviewDocument:
    """Render ``consent`` (pass an ``unsigned_copy``: this may run on another thread)."""
    from app.document.pdf import render_consent_pdf

    pdf = render_consent_pdf(consent, pack, clinic, record_id=consent.id)
    return ReviewDocument(fingerprint(consent, clinic), pdf, rasterise(pdf, dpi=dpi))
