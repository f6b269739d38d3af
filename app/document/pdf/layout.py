"""Which layout a consent is printed in, and the page it is printed on.

A stored record must render again to the same bytes, so what changed in the layout is
told from what the record stored. Its clinic carries the paper (``Clinic.paper``) since
clinics chose one; a record without it was printed in the first layout: always A4, and
each screening note labelled "Patient's note". Every later consent is printed on the
clinic's paper with the note labelled by who wrote it. The text is as wide on Letter as on
A4 (centred on the wider sheet), so the lines break the same on both; only the page breaks
differ.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from app.clinic.details import Clinic
from app.clinic.paper import LETTER as LETTER_NAME
from app.document.pdf.styles import FRAME_WIDTH, MARGIN

FIRST_LAYOUT, PAPER_LAYOUT = 1, 2


@dataclass(frozen=True)
class Page:
    """One sheet's geometry: the text frame, and the header's and footer's rules."""

    size: tuple[float, float]
    left: float  # the text frame's left edge: the frame is centred, as wide on every paper

    @property
    def right(self) -> float:
        return self.left + FRAME_WIDTH

    @property
    def frame_height(self) -> float:
        return self.size[1] - 2 * MARGIN

    @property
    def header_rule_y(self) -> float:
        return self.size[1] - 13 * mm


A4_PAGE = Page(A4, MARGIN)
LETTER_PAGE = Page(LETTER, (LETTER[0] - FRAME_WIDTH) / 2)


def layout_of(clinic: Clinic) -> int:
    """The layout a consent whose stored clinic is ``clinic`` was printed in."""
    return PAPER_LAYOUT if clinic.paper else FIRST_LAYOUT


def page_of(clinic: Clinic) -> Page:
    return LETTER_PAGE if clinic.paper == LETTER_NAME else A4_PAGE
