"""Render a consent as its summary PDF: deterministic, fonts embedded, on the clinic's paper."""

from __future__ import annotations

from io import BytesIO

from reportlab.platypus import Frame, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from app import __version__
from app.clinic.details import Clinic
from app.consult.consent import Consent
from app.consult.content import ContentPack
from app.document.pdf.confirmation import ConfirmationBuilder
from app.document.pdf.fonts import REGULAR, register_fonts
from app.document.pdf.layout import page_of
from app.document.pdf.page import Furniture, PageInfo, canvas_class
from app.document.pdf.sections import HEADER_NAMES, TITLE, TITLES, SummaryBuilder
from app.document.pdf.styles import FRAME_WIDTH, MARGIN, make_styles
from app.document.pdf.text import format_date
from app.document.pdf.withdrawal import WithdrawalBuilder


def render_consent_pdf(consent: Consent, pack: ContentPack, clinic: Clinic, *,
                       record_id: str | None = None) -> bytes:
    """The consent summary as PDF bytes.

    The same consent, pack and clinic always give the same bytes: reportlab's invariant
    mode, the document date taken from the consent (finalized, else started) and a file
    identifier derived from the content and the record id.
    """
    register_fonts()
    styles = make_styles()
    record_id = record_id or consent.id
    patient = consent.patient
    info = PageInfo(
        clinic_name=clinic.name,
        patient_name=patient.full_name if patient else "Patient not recorded",
        date_of_birth=format_date(patient.date_of_birth) if patient else "—",
        record_id=record_id,
        pack_line=f"Content pack {pack.version} · {pack.hash[:12]}",
        document=HEADER_NAMES.get(consent.kind, HEADER_NAMES["consent"]),
    )
    page = page_of(clinic)  # A4 for a record stored before clinics chose their paper
    furniture = Furniture(info, styles, page)
    builder = {"withdrawal": WithdrawalBuilder,
               "confirmation": ConfirmationBuilder}.get(consent.kind, SummaryBuilder)
    story = builder(consent, pack, clinic, record_id, styles).story()

    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=page.size, leftMargin=page.left, rightMargin=page.left,
        topMargin=MARGIN, bottomMargin=MARGIN,
        title=TITLES.get(consent.kind, TITLE),
        subject=f"{info.document} for {info.patient_name}, record {record_id}",
        author=clinic.name, creator=f"Glabella {__version__}",
        keywords=f"consent; content pack {pack.info.id} {pack.version}; {pack.hash}",
        invariant=True, initialFontName=REGULAR, initialFontSize=10,
        lang=pack.info.language or "en", displayDocTitle=True,
    )

    def later_pages(canv, _doc) -> None:  # noqa: ANN001 (reportlab callback)
        furniture.draw_header(canv)

    frame = Frame(page.left, MARGIN, FRAME_WIDTH, page.frame_height, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([
        PageTemplate(id="first", frames=[frame], autoNextPageTemplate="later"),
        PageTemplate(id="later", frames=[frame], onPage=later_pages),
    ])
    created = consent.finalized_at or consent.created_at
    doc.build(story, canvasmaker=canvas_class(info, furniture, created))
    return buffer.getvalue()
