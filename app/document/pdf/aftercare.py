"""The aftercare sheet the patient takes home: one page, larger type, what to do and when
to get help, from the content pack the consent was signed with.

It is a document of its own, never part of the signed PDF (which must stay exactly as
certified); deterministic like the consent summary.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from app import __version__
from app.clinic.details import Clinic
from app.consult.consent import Consent
from app.consult.content import ContentPack
from app.document.pdf.fonts import REGULAR
from app.document.pdf.layout import page_of
from app.document.pdf.sections import SummaryBuilder
from app.document.pdf.styles import MARGIN, Styles, make_styles
from app.document.pdf.text import format_date, markup

TITLE = "After your treatment"


def larger(styles: Styles) -> Styles:
    """The summary's styles, one and a half points larger: this page is read at home."""
    def up(style: ParagraphStyle, by: float = 1.5) -> ParagraphStyle:
        return ParagraphStyle(style.name + "_large", parent=style,
                              fontSize=style.fontSize + by, leading=style.leading + by * 1.3)
    return Styles(**{name: up(getattr(styles, name))
                     for name in Styles.__dataclass_fields__})


class AftercareBuilder(SummaryBuilder):
    """The clinic, who it is for, what was done, then what to do and when to get help."""

    def sections(self) -> tuple[Callable[[], list[Flowable]], ...]:
        return (self.clinic_lines, self.sheet)

    def clinic_lines(self) -> list[Flowable]:
        """Who to call, at the top: the clinic's name, address and phone."""
        c = self.clinic
        lines = [c.name, c.address, f"Phone {c.phone}" if c.phone else ""]
        return [self.para(lines[0], self.s.clinic_name),
                *(self.para(line, self.s.clinic_line) for line in lines[1:] if line)]

    def story(self) -> list[Flowable]:
        return [flowable for section in self.sections() for flowable in section()]

    def sheet(self) -> list[Flowable]:
        s, consent, pack = self.s, self.consent, self.pack
        name = consent.patient.full_name if consent.patient else ""
        day = consent.finalized_at.date() if consent.finalized_at else None
        out: list[Flowable] = [Spacer(1, 6), self.para(TITLE, s.title)]
        said = [f"For {name}" if name else "", f"treated on {format_date(day)}" if day else ""]
        out.append(self.para(", ".join(p for p in said if p) or "Keep this page.", s.subtitle))
        product = pack.product(consent.plan.product_id)
        areas = [a.name for a in (pack.area(p.area_id) for p in consent.plan.areas) if a]
        if product is not None:
            where = f" in these areas: {', '.join(areas)}" if areas else ""
            out.append(self.para(f"You had {product.name}{where}.", s.body))
        out += self.heading("What to do")
        out += self.bullets(c.text for c in pack.aftercare)
        out += self.heading("Get help right away if you have any of these")
        out.append(self.notice_box(self.bullets(c.text for c in pack.urgent)))
        phone = f" on {self.clinic.phone}" if self.clinic.phone else ""
        out.append(Spacer(1, 4))
        out.append(Paragraph(
            f"<b>Questions or worries?</b> For anything else that worries you, or any "
            f"question, call <b>{markup(self.clinic.name)}</b>{markup(phone)}.", s.body))
        out.append(self.para(f"Your consent record number is {self.record_id[:8]}. Keep this "
                             f"page with the copy of your consent.", s.small))
        return out


def render_aftercare_pdf(consent: Consent, pack: ContentPack, clinic: Clinic,
                         record_id: str) -> bytes:
    """The aftercare sheet for the consent ``record_id`` as PDF bytes (same input, same bytes)."""
    styles = larger(make_styles())
    story = AftercareBuilder(consent, pack, clinic, record_id, styles).story()
    buffer = BytesIO()
    name = consent.patient.full_name if consent.patient else "the patient"
    page = page_of(clinic)  # the clinic's paper, as the consent it goes with
    doc = SimpleDocTemplate(
        buffer, pagesize=page.size, leftMargin=page.left,
        rightMargin=page.size[0] - page.right, topMargin=MARGIN,
        bottomMargin=MARGIN, title=TITLE, subject=f"Aftercare for {name}, record {record_id}",
        author=clinic.name, creator=f"Glabella {__version__}", invariant=True,
        initialFontName=REGULAR, initialFontSize=10, lang=pack.info.language or "en",
        displayDocTitle=True)
    doc.build(story)
    return buffer.getvalue()


__all__ = ["TITLE", "render_aftercare_pdf"]
