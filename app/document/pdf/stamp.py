"""The certification stamp: where it goes on the last page, and what it shows.

The renderer keeps a fixed box free at the bottom of the last page (:class:`StampSpace`);
the signer puts the visible signature there, drawn by :func:`render_stamp` with the
embedded fonts. Both read the one ``stamp_box``, so text and stamp never overlap.
"""

from __future__ import annotations

import math
from datetime import datetime
from io import BytesIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.document.pdf.fonts import REGULAR
from app.document.pdf.layout import A4_PAGE, Page
from app.document.pdf.page import one_line
from app.document.pdf.styles import HEADING, INK, MARGIN, SHADE, make_styles
from app.document.pdf.text import format_datetime, markup

STAMP_HEIGHT = 62


def stamp_box(page: Page = A4_PAGE) -> tuple[int, int, int, int]:
    """(left, bottom, right, top) in points on the last page, under the text frame;
    pyHanko wants whole numbers."""
    return (math.ceil(page.left), math.ceil(MARGIN), math.floor(page.right),
            math.ceil(MARGIN) + STAMP_HEIGHT)


STAMP_BOX = stamp_box()  # on A4
STAMP_GAP = 5 * mm  # clear space between the last line of text and the stamp
PADDING = 6


class StampSpace(Flowable):
    """The last flowable of the story: keeps the stamp box free on the last page.

    It takes whatever height is left in the frame, so it always ends at the frame's
    bottom edge, where the stamp box is. With too little room left it moves to a new page.
    """

    reserved = STAMP_BOX[3] - MARGIN + STAMP_GAP

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = max(availHeight, self.reserved)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []  # never split: the whole box moves to the next page

    def draw(self) -> None:
        pass  # left blank on purpose: the signature's appearance is drawn over it


def stamp_size(page: Page = A4_PAGE) -> tuple[int, int]:
    left, bottom, right, top = stamp_box(page)
    return right - left, top - bottom


def render_stamp(clinic_name: str, signed_at: datetime, reason: str,
                 page: Page = A4_PAGE) -> bytes:
    """The stamp's appearance: a one-page PDF exactly the size of ``stamp_box(page)``."""
    styles = make_styles()
    title = ParagraphStyle("stamp_title", parent=styles.header, fontSize=9, leading=11.5)
    line = ParagraphStyle("stamp_line", parent=styles.footer, fontSize=8, leading=10, textColor=INK)
    note = ParagraphStyle("stamp_note", parent=styles.footer, fontSize=7.5, leading=9.5)
    width, height = stamp_size(page)
    buffer = BytesIO()
    # the initial font is set on every page: left at reportlab's default it would pull in
    # Helvetica, which is never embedded
    canv = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=REGULAR,
                  initialFontSize=8)
    canv.setFillColor(SHADE)
    canv.setStrokeColor(HEADING)
    canv.setLineWidth(0.8)
    canv.roundRect(0.5, 0.5, width - 1, height - 1, 4, stroke=1, fill=1)
    inner = width - 2 * PADDING
    lines = [
        one_line(lambda t: markup(t, bold=True), f"Certified by {clinic_name}", title, inner),
        one_line(markup, f"Signed {format_datetime(signed_at)}", line, inner),
        one_line(markup, f"Reason: {reason}", line, inner),
        one_line(markup, "A digital signature seals this file: any change to it breaks the "
                         "seal. Check it with “glabella verify”.", note, inner),
    ]
    y = height - PADDING
    for paragraph in lines:
        _, h = paragraph.wrap(inner, height)
        y -= h + 1.5
        paragraph.drawOn(canv, PADDING, y)
    canv.showPage()
    canv.save()
    return buffer.getvalue()
