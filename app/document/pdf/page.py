"""Page furniture: the running header, the footer and "Page X of Y".

The total page count is only known at the end, so the canvas keeps each finished page
and draws every footer when the document is saved (a "numbered canvas").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from app.base.timestamps import utc_offset
from app.document.pdf.layout import A4_PAGE, Page
from app.document.pdf.styles import FRAME_WIDTH, HEADING, RULE, Styles
from app.document.pdf.text import markup

FOOTER_RULE_Y = 13 * mm
PAGE_NUMBER_W = 28 * mm


@dataclass(frozen=True)
class PageInfo:
    clinic_name: str
    patient_name: str
    date_of_birth: str
    record_id: str
    pack_line: str
    document: str = "Consent summary"  # its name in the running header


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def one_line(make: Callable[[str], str], text: str, style: ParagraphStyle,
             width: float) -> Paragraph:
    """``make(text)`` as a paragraph, with ``text`` shortened until it fits one line."""
    limit = len(text)
    while True:
        paragraph = Paragraph(make(shorten(text, limit)), style)
        _, height = paragraph.wrap(width, 1000)
        if height <= style.leading * 1.2 or limit <= 8:
            return paragraph
        limit = max(8, int(limit * 0.85))


class Furniture:
    """The header and footer of every page; their text is laid out once per document."""

    def __init__(self, info: PageInfo, styles: Styles, page: Page = A4_PAGE) -> None:
        self.styles = styles
        self.page = page
        half = FRAME_WIDTH / 2
        self.header_left = one_line(lambda t: markup(t, bold=True), info.clinic_name,
                                    styles.header, half)
        self.header_right = one_line(lambda t: markup(f"{info.document} · {t}"),
                                     info.patient_name, styles.footer_right, half)
        born = f" · born {markup(info.date_of_birth)}"
        self.footer_who = one_line(lambda t: f"<b>{markup(t, multiline=False)}</b>{born}",
                                   info.patient_name, styles.footer,
                                   FRAME_WIDTH - PAGE_NUMBER_W)
        self.footer_what = one_line(
            lambda t: markup(f"Record {t} · {info.pack_line}"), info.record_id,
            styles.footer, FRAME_WIDTH)

    def draw_header(self, canv: Canvas) -> None:
        """The running header on every page after the first: clinic and patient."""
        canv.saveState()
        half = FRAME_WIDTH / 2
        sheet = self.page
        for paragraph, x in ((self.header_left, sheet.left),
                             (self.header_right, sheet.left + half)):
            paragraph.wrap(half, 10 * mm)
            paragraph.drawOn(canv, x, sheet.header_rule_y + 2.5)
        canv.setStrokeColor(HEADING)
        canv.setLineWidth(0.6)
        canv.line(sheet.left, sheet.header_rule_y, sheet.right, sheet.header_rule_y)
        canv.restoreState()

    def draw_footer(self, canv: Canvas, page: int, total: int) -> None:
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        sheet = self.page
        canv.line(sheet.left, FOOTER_RULE_Y, sheet.right, FOOTER_RULE_Y)
        leading = self.styles.footer.leading
        y = FOOTER_RULE_Y - 3 - leading
        self.footer_who.wrap(FRAME_WIDTH - PAGE_NUMBER_W, leading * 2)
        self.footer_who.drawOn(canv, sheet.left, y)
        number = Paragraph(markup(f"Page {page} of {total}"), self.styles.footer_right)
        number.wrap(PAGE_NUMBER_W, leading * 2)
        number.drawOn(canv, sheet.right - PAGE_NUMBER_W, y)
        self.footer_what.wrap(FRAME_WIDTH, leading * 2)
        self.footer_what.drawOn(canv, sheet.left, y - leading)
        canv.restoreState()


def pdf_date(moment: datetime) -> str:
    """A PDF date string (``D:YYYYMMDDHHmmSS+HH'mm'``) for the document's own time stamp."""
    stamp = f"D:{moment:%Y%m%d%H%M%S}"
    offset = utc_offset(moment, separator="'")
    return stamp if offset is None else f"{stamp}{offset}'"


def canvas_class(info: PageInfo, furniture: Furniture, created: datetime) -> type[Canvas]:
    """A canvas that numbers pages "X of Y", stamps the document date and a stable id."""
    date_string = pdf_date(created)

    class ConsentCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            # invariant mode would stamp 2000-01-01; the record's own time is the truth
            self.setDateFormatter(lambda *_: date_string)
            # the file identifier is a digest of the content; the record id makes it unique
            self._doc.updateSignature(info.record_id)

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                furniture.draw_footer(self, number, total)
                super().showPage()
            super().save()

    return ConsentCanvas
