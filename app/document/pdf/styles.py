"""Page geometry, colours and paragraph styles of the consent PDF.

Every style names one of the embedded fonts explicitly: a style left on reportlab's
defaults would pull in Helvetica, a standard-14 font that is never embedded.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from app.document.pdf.fonts import BOLD, REGULAR, register_fonts

PAGE_SIZE = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN

# Colours: all text colours reach WCAG AA (4.5:1) on white and on the highlight fills.
INK = colors.HexColor("#1F2933")  # body text
HEADING = colors.HexColor("#0B5563")  # dark teal, 7.9:1 on white
MUTED = colors.HexColor("#4B5563")  # acknowledgement lines, labels: 7.6:1
ALERT_HEX = "#9A3412"
ALERT = colors.HexColor(ALERT_HEX)  # "yes" answers, off-label, missing items: 7.3:1
RULE = colors.HexColor("#C5D0D8")  # table rules
HIGHLIGHT = colors.HexColor("#FFF3D6")  # background of a "yes" screening answer
SHADE = colors.HexColor("#EEF4F6")  # table header fill

BODY_SIZE = 10
SMALL_SIZE = 8.5


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_bold: ParagraphStyle
    small: ParagraphStyle
    ack: ParagraphStyle
    note: ParagraphStyle
    note_label: ParagraphStyle
    intro: ParagraphStyle
    alert: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    item_title: ParagraphStyle
    bullet: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_alert: ParagraphStyle
    cell_list: ParagraphStyle
    cell_small: ParagraphStyle
    clinic_name: ParagraphStyle
    clinic_line: ParagraphStyle
    footer: ParagraphStyle
    header: ParagraphStyle
    footer_right: ParagraphStyle


def make_styles() -> Styles:
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=BODY_SIZE, leading=13.5, textColor=INK,
        spaceAfter=4, alignment=TA_LEFT, bulletFontName=REGULAR, splitLongWords=1,
        allowWidows=0, allowOrphans=0)

    def derive(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **kw)

    return Styles(
        body=body,
        body_bold=derive("body_bold", fontName=BOLD),
        small=derive("small", fontSize=SMALL_SIZE, leading=11, textColor=MUTED),
        ack=derive("ack", fontSize=SMALL_SIZE, leading=11, textColor=MUTED, spaceAfter=2),
        note=derive("note", fontSize=9, leading=12, leftIndent=10, spaceAfter=2),
        note_label=derive("note_label", fontSize=SMALL_SIZE, leading=11, textColor=MUTED,
                          leftIndent=10, spaceAfter=1),
        intro=derive("intro", textColor=MUTED, spaceAfter=4, keepWithNext=1),
        alert=derive("alert", fontName=BOLD, textColor=ALERT),
        title=derive("title", fontName=BOLD, fontSize=16, leading=20, textColor=HEADING,
                     spaceBefore=4, spaceAfter=2),
        subtitle=derive("subtitle", fontSize=SMALL_SIZE, leading=11, textColor=MUTED,
                        spaceAfter=6),
        h2=derive("h2", fontName=BOLD, fontSize=12.5, leading=16, textColor=HEADING,
                  spaceBefore=14, spaceAfter=2, keepWithNext=1),
        h3=derive("h3", fontName=BOLD, fontSize=10.5, leading=14, textColor=HEADING,
                  spaceBefore=8, spaceAfter=3, keepWithNext=1),
        item_title=derive("item_title", fontName=BOLD, spaceBefore=4, spaceAfter=1,
                          keepWithNext=1),
        bullet=derive("bullet", leftIndent=12, bulletIndent=2, spaceAfter=2),
        label=derive("label", fontSize=SMALL_SIZE, leading=11, textColor=MUTED, spaceAfter=0),
        cell=derive("cell", spaceAfter=0),
        cell_bold=derive("cell_bold", fontName=BOLD, spaceAfter=0),
        cell_head=derive("cell_head", fontName=BOLD, fontSize=SMALL_SIZE, leading=11,
                         textColor=HEADING, spaceAfter=0),
        cell_alert=derive("cell_alert", fontName=BOLD, textColor=ALERT, spaceAfter=0),
        cell_list=derive("cell_list", spaceAfter=2),
        cell_small=derive("cell_small", fontSize=SMALL_SIZE, leading=11, spaceAfter=0),
        clinic_name=derive("clinic_name", fontName=BOLD, fontSize=13, leading=16,
                           textColor=HEADING, spaceAfter=1),
        clinic_line=derive("clinic_line", fontSize=9, leading=11.5, textColor=MUTED,
                           spaceAfter=0),
        footer=derive("footer", fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=0),
        header=derive("header", fontName=BOLD, fontSize=7.5, leading=9.5, textColor=HEADING,
                      spaceAfter=0),
        footer_right=derive("footer_right", fontSize=7.5, leading=9.5, textColor=MUTED,
                            spaceAfter=0, alignment=TA_RIGHT),
    )
