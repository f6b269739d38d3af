"""The building blocks of a consent's story: paragraphs, headings, tables, boxes and the
items the patient acknowledged, all escaped through :func:`app.document.pdf.text.markup`."""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import ParagraphStyle

from app.clinic.details import Clinic
from app.consult.consent import Consent, RequiredItem
from app.consult.content import ContentPack
from app.consult.patient_rules import who_ticked
from app.document.pdf.flow import text_blocks
from app.document.pdf.fonts import BOLD, REGULAR
from app.document.pdf.styles import ALERT, FRAME_WIDTH, HEADING, HIGHLIGHT, RULE, SHADE, Styles
from app.document.pdf.text import format_datetime, markup

# Every table names the font even though its cells are Paragraphs: a table's cell style
# defaults to Helvetica and selects it on the canvas, which puts an unembedded font in.
TABLE_FONT = [("FONTNAME", (0, 0), (-1, -1), REGULAR), ("FONTSIZE", (0, 0), (-1, -1), 10)]


class StoryBuilder:
    """What every section is made of: paragraphs, headings, tables, boxes and the
    acknowledged items; the sections themselves are in subclasses."""

    def __init__(self, consent: Consent, pack: ContentPack, clinic: Clinic, record_id: str,
                 styles: Styles) -> None:
        self.consent, self.pack, self.clinic = consent, pack, clinic
        self.record_id = record_id
        self.s = styles

    # -- small helpers ------------------------------------------------------------------

    def para(self, text: object, style: ParagraphStyle) -> Paragraph:
        """A paragraph of plain text (escaped, font fallback applied)."""
        return Paragraph(markup(text, bold=style.fontName == BOLD), style)

    def paras(self, text: object, style: ParagraphStyle) -> list[Paragraph]:
        """Plain text split at blank lines into paragraphs; single line breaks are kept."""
        blocks = [b.strip() for b in str(text or "").replace("\r\n", "\n").split("\n\n")]
        return [self.para(b, style) for b in blocks if b]

    def labelled(self, label: str, text: object, style: ParagraphStyle) -> list[Paragraph]:
        """``label`` (trusted, bold) then escaped ``text``, one paragraph per text block."""
        blocks = text_blocks(str(text)) or [""]
        first = Paragraph(f"<b>{markup(label)}</b> {markup(blocks[0])}", style)
        return [first, *(self.para(b, style) for b in blocks[1:])]

    def lead(self, text: str, style: ParagraphStyle) -> Paragraph:
        """A paragraph that introduces what follows and stays on its page."""
        paragraph = self.para(text, style)
        paragraph.keepWithNext = 1
        return paragraph

    def heading(self, text: str) -> list[Flowable]:
        rule = HRFlowable(width="100%", thickness=0.8, color=HEADING, spaceBefore=0,
                          spaceAfter=5)
        rule.keepWithNext = 1  # the rule belongs to its heading and both to what follows
        return [self.para(text, self.s.h2), rule]

    def bullets(self, texts: Iterable[str]) -> list[Flowable]:
        return [Paragraph(markup(t), self.s.bullet, bulletText="•") for t in texts]

    def table(self, rows: list[list[object]], widths: list[float], *, header: bool = False,
              extra: list[tuple] | None = None) -> Table:
        commands: list[tuple] = [
            *TABLE_FONT,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
        ]
        if header:
            commands += [("BACKGROUND", (0, 0), (-1, 0), SHADE),
                         ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE)]
        commands += extra or []
        table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT",
                      splitInRow=1)
        table.setStyle(TableStyle(commands))
        return table

    def acknowledgement_line(self, item_id: str) -> Paragraph:
        ack = self.consent.acknowledgements.get(item_id)
        if ack is None:
            return Paragraph(markup("Not acknowledged"), self.s.alert)
        who = who_ticked(ack, format_datetime(ack.at))
        if who:  # who made it, as recorded since that was kept
            return self.para(f"✓ {who}", self.s.ack)
        # a record made before then: its words exactly, so it renders to the same bytes
        if ack.method == "initials":
            how = f"initials {ack.initials}" if ack.initials else "initials"
        else:
            how = ack.method or "tick"
        return self.para(f"✓ Acknowledged by {how} at {format_datetime(ack.at)}", self.s.ack)

    def question_lines(self, item_id: str) -> list[Flowable]:
        question = self.consent.questions.get(item_id)
        if question is None:
            return []
        out: list[Flowable] = [self.para(
            f"The patient asked a question about this at {format_datetime(question.at)}.",
            self.s.note_label)]
        if question.injector_note:
            out += self.labelled("Injector's note:", question.injector_note, self.s.note)
        else:
            out.append(Paragraph(markup("No injector's note recorded."), self.s.alert))
        return out

    def item(self, item: RequiredItem) -> Flowable:
        """One acknowledged item (risk, expectation, disclosure), kept together if it fits."""
        return KeepTogether(self.item_parts(item))

    def item_parts(self, item: RequiredItem) -> list[Flowable]:
        """An acknowledged item's title, text, what to do, acknowledgement and question."""
        parts: list[Flowable] = [self.para(item.title, self.s.item_title)]
        parts += self.paras(item.text, self.s.body)
        if item.action:
            parts += self.labelled("What to do:", item.action, self.s.body)
        parts.append(self.acknowledgement_line(item.item_id))
        parts += self.question_lines(item.item_id)
        parts.append(Spacer(1, 3))
        return parts

    def notice_box(self, content: list[Flowable]) -> Table:
        """``content`` in a shaded, outlined box across the page."""
        box = Table([[content]], colWidths=[FRAME_WIDTH], hAlign="LEFT")
        box.setStyle(TableStyle([
            *TABLE_FONT,
            ("BACKGROUND", (0, 0), (-1, -1), HIGHLIGHT),
            ("BOX", (0, 0), (-1, -1), 1, ALERT),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        box.spaceAfter = 4
        return box
