"""The consent summary's sections, in order, as reportlab platypus flowables.

Nothing here touches a canvas: page furniture (header, footer, page numbers) is in
``page.py``. All text goes through :func:`app.pdf.text.markup`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from io import BytesIO

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    FrameBreak,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import ParagraphStyle

from app.clinic import Clinic
from app.consent import Consent, ScreeningAnswer
from app.content import ContentPack
from app.pdf.fonts import BOLD, REGULAR
from app.pdf.stamp import StampSpace
from app.pdf.styles import (
    ALERT,
    ALERT_HEX,
    FRAME_WIDTH,
    HEADING,
    HIGHLIGHT,
    INK,
    RULE,
    SHADE,
    Styles,
)
from app.pdf.text import format_date, format_datetime, format_units, markup

TITLE = "Consent to botulinum-toxin treatment — summary"
# the title of each kind of record, and its name in the running header
TITLES = {"consent": TITLE,
          "amendment": "Amended consent to botulinum-toxin treatment — summary",
          "withdrawal": "Withdrawal of consent to botulinum-toxin treatment"}
LINK_FACTS = {"amendment": "Amends record", "withdrawal": "Withdraws record"}
HEADER_NAMES = {"consent": "Consent summary", "amendment": "Amended consent",
                "withdrawal": "Withdrawal of consent"}
SIGNATURE_MAX_W = 60 * mm
SIGNATURE_MAX_H = 22 * mm
LOGO_MAX_W = 40 * mm
LOGO_MAX_H = 20 * mm
LABEL_W = 36 * mm
# Every table names the font even though its cells are Paragraphs: a table's cell style
# defaults to Helvetica and selects it on the canvas, which puts an unembedded font in.
TABLE_FONT = [("FONTNAME", (0, 0), (-1, -1), REGULAR), ("FONTSIZE", (0, 0), (-1, -1), 10)]


def fit_image(png: bytes, max_w: float, max_h: float) -> Image:
    """A platypus image of ``png`` scaled to fit the box, keeping its aspect ratio.

    Raises ValueError when the bytes are not a readable image.
    """
    try:
        px_w, px_h = ImageReader(BytesIO(png)).getSize()
    except Exception as exc:  # reportlab/Pillow raise many kinds for a broken image
        raise ValueError(f"unreadable image ({exc})") from exc
    if px_w <= 0 or px_h <= 0:
        raise ValueError("empty image")
    scale = min(max_w / px_w, max_h / px_h)
    image = Image(BytesIO(png), width=px_w * scale, height=px_h * scale)
    image.hAlign = "LEFT"
    return image


class SummaryBuilder:
    """Builds the story for one consent; one method per section."""

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
        blocks = _blocks(str(text)) or [""]
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

    def item(self, item_id: str, title: str, text: str, action: str = "") -> Flowable:
        """One acknowledged item (risk, expectation, disclosure), kept together if it fits."""
        parts: list[Flowable] = [self.para(title, self.s.item_title)]
        parts += self.paras(text, self.s.body)
        if action:
            parts += self.labelled("What to do:", action, self.s.body)
        parts.append(self.acknowledgement_line(item_id))
        parts += self.question_lines(item_id)
        parts.append(Spacer(1, 3))
        return KeepTogether(parts)

    # -- sections -----------------------------------------------------------------------

    def sections(self) -> tuple[Callable[[], list[Flowable]], ...]:
        """The sections before the closing manifest, in order."""
        return (self.clinic_header, self.patient_and_plan, self.screening, self.risks,
                self.expectations, self.off_label, self.faq_topics, self.alternatives,
                self.aftercare, self.attestations, self.signatures)

    def story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for section in self.sections():
            story += section()
        closing = self.manifest()
        # The manifest and the certification stamp under it share the last page: when
        # both do not fit in what is left, both start a new one, so no page ever holds
        # the stamp alone.
        story += [CondPageBreak(stacked_height(closing) + StampSpace.reserved), *closing]
        return [*keep_headings(story), StampSpace()]

    def clinic_header(self) -> list[Flowable]:
        c = self.clinic
        lines: list[Flowable] = [self.para(c.name, self.s.clinic_name)]
        if c.address:
            lines.append(self.para(c.address, self.s.clinic_line))
        if c.phone:
            lines.append(self.para(f"Phone {c.phone}", self.s.clinic_line))
        logo = None
        if c.logo_png:
            try:
                logo = fit_image(c.logo_png, LOGO_MAX_W, LOGO_MAX_H)
            except ValueError:
                logo = None  # a broken logo must not stop a consent being recorded
        out: list[Flowable] = []
        if logo is not None:
            gap = 5 * mm
            table = Table([[logo, lines]], colWidths=[logo.drawWidth + gap,
                                                      FRAME_WIDTH - logo.drawWidth - gap],
                          hAlign="LEFT")
            table.setStyle(TableStyle([
                *TABLE_FONT,
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]))
            out.append(table)
        else:
            out += lines
        out.append(HRFlowable(width="100%", thickness=1.2, color=HEADING, spaceBefore=6,
                              spaceAfter=8))
        consent = self.consent
        out.append(self.para(TITLES.get(consent.kind, TITLE), self.s.title))
        if consent.finalized_at is not None:
            status = f"Finalized {format_datetime(consent.finalized_at)}"
        else:
            status = "Draft: not finalized"
        started = "Started" if consent.kind == "withdrawal" else "Consult started"
        out.append(Paragraph(f"Record {markup(self.record_id)}<br/>{started} "
                             f"{markup(format_datetime(consent.created_at))} · "
                             f"{markup(status)}", self.s.subtitle))
        if consent.kind == "amendment":
            out.append(self.notice_box([
                self.para(f"Amendment of consent {consent.amends_id[:8]} signed "
                          f"{format_datetime(consent.amends_finalized_at)}", self.s.alert),
                *self.labelled("Reason:", consent.reason, self.s.body),
                self.para(f"This record corrects consent {consent.amends_id} and takes its "
                          f"place. The original stays stored, unchanged.", self.s.small)]))
        return out

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

    def patient_and_plan(self) -> list[Flowable]:
        s, consent, pack = self.s, self.consent, self.pack
        rows: list[list[object]] = []

        def row(label: str, value: object) -> None:
            cell = value if isinstance(value, list) else [value]
            rows.append([self.para(label, s.label), cell])

        patient = consent.patient
        if patient is None:
            row("Patient", Paragraph(markup("Not recorded"), s.alert))
        else:
            row("Patient", self.para(patient.full_name, s.cell_bold))
            row("Date of birth", self.para(format_date(patient.date_of_birth), s.cell))
            on = consent.created_at.date()
            age = patient.age_on(on)
            age_text = [self.para(f"{age} on {format_date(on)}", s.cell)]
            if patient.is_minor_on(on):
                age_text.append(Paragraph(markup("Under 18"), s.cell_alert))
            row("Age", age_text)
            if patient.phone:
                row("Phone", self.para(patient.phone, s.cell))
            if patient.email:
                row("Email", self.para(patient.email, s.cell))
        injector = consent.injector
        if injector is None:
            row("Injector", Paragraph(markup("Not recorded"), s.alert))
        else:
            row("Injector", [self.para(injector.display_name, s.cell_bold),
                             self.para(injector.role, s.cell)])
        plan = consent.plan
        product = pack.product(plan.product_id)
        if product is not None:
            row("Product", [self.para(product.name, s.cell_bold),
                            self.para(product.generic_name, s.cell)])
        else:
            row("Product", self.para(plan.product_id or "Not chosen", s.cell))
        off_label = set(consent.off_label_area_ids(pack))
        areas: list[Flowable] = []
        for planned in plan.areas:
            area = pack.area(planned.area_id)
            name = area.name if area else planned.area_id
            text = markup(name)
            if area and area.plain_name and area.plain_name != area.name:
                text = f"<b>{text}</b> — {markup(area.plain_name)}"
            else:
                text = f"<b>{text}</b>"
            if planned.units is not None:
                text += f" · {markup(format_units(planned.units))}"
            if planned.area_id in off_label:
                text += f' · <font color="{ALERT_HEX}"><b>off-label</b></font>'
            areas.append(Paragraph(text, s.cell_list))
        row("Areas", areas or [self.para("None chosen", s.cell)])
        row("Lot number", self.para(plan.lot_number or "Not recorded", s.cell))
        row("Expiry", self.para(format_date(plan.expiry) if plan.expiry else "Not recorded",
                                s.cell))
        if plan.notes:
            row("Plan notes", self.paras(plan.notes, s.cell))
        return [*self.heading("Patient and plan"),
                self.table(rows, [LABEL_W, FRAME_WIDTH - LABEL_W])]

    def screening(self) -> list[Flowable]:
        s, consent = self.s, self.consent
        answer_w = 32 * mm
        rows: list[list[object]] = [[self.para("Question", s.cell_head),
                                     self.para("Answer", s.cell_head)]]
        extra: list[tuple] = []
        for question in self.pack.screening:
            ans: ScreeningAnswer | None = consent.screening.get(question.id)
            first = len(rows)
            if ans is None:
                answer = Paragraph(markup("Not answered"), s.cell_alert)
            elif ans.answer == "yes":
                label = "Yes — hard stop" if question.is_hard_stop else "Yes"
                answer = Paragraph(markup(label, bold=True), s.cell_alert)
            else:
                answer = self.para("No", s.cell)
            rows.append([self.para(question.text, s.cell), answer])
            if ans is not None and ans.note:
                rows.append([self.labelled("Patient's note:", ans.note, s.cell), ""])
                extra.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
            if ans is not None and ans.answer == "yes" and question.is_hard_stop:
                if ans.override_reason:
                    cell = self.labelled("Injector's reason to proceed:", ans.override_reason,
                                         s.cell)
                else:
                    cell = [Paragraph(markup("No override reason recorded."), s.cell_alert)]
                rows.append([cell, ""])
                extra.append(("SPAN", (0, len(rows) - 1), (1, len(rows) - 1)))
            if len(rows) - first > 1:  # a question never parts from its note
                extra.append(("NOSPLIT", (0, first), (-1, first + 1)))
            if ans is not None and ans.answer == "yes":
                extra.append(("BACKGROUND", (0, first), (-1, len(rows) - 1), HIGHLIGHT))
            for r in range(first, len(rows) - 1):
                extra.append(("LINEBELOW", (0, r), (-1, r), 0, HIGHLIGHT))
        out: list[Flowable] = [*self.heading("Screening"), self.lead(
            "The patient's answers. Answers that need attention (“yes”) are highlighted; "
            "a hard stop needs the injector's recorded reason to proceed.", s.small),
            self.table(rows, [FRAME_WIDTH - answer_w, answer_w], header=True, extra=extra)]
        if consent.minor_override_reason:
            out.append(Spacer(1, 6))
            out.append(self.para("Patient under 18", s.h3))
            out += self.labelled("Injector's reason to proceed:",
                                 consent.minor_override_reason, s.body)
        return out

    def risks(self) -> list[Flowable]:
        out = [*self.heading("Risks"), self.lead(
            "The patient read and acknowledged each risk one by one.", self.s.small)]
        for group in self.pack.risk_groups:
            risks = self.pack.risks_in(group.id)
            if not risks:
                continue
            out.append(self.para(group.title, self.s.h3))
            if group.intro:
                out += self.paras(group.intro, self.s.intro)
            out += [self.item(r.id, r.title, r.text, r.action) for r in risks]
        return out

    def expectations(self) -> list[Flowable]:
        out = self.heading("Realistic expectations")
        out += [self.item(e.id, e.title, e.text) for e in self.pack.expectations]
        return out

    def off_label(self) -> list[Flowable]:
        area_ids = self.consent.off_label_area_ids(self.pack)
        if not area_ids:
            return []
        disclosure = self.pack.off_label
        product = self.pack.product(self.consent.plan.product_id)
        names = ", ".join(a.name if (a := self.pack.area(i)) else i for i in area_ids)
        product_name = product.name if product else self.consent.plan.product_id
        out = self.heading("Off-label disclosure")
        lead = Paragraph(f"<b>Off-label for {markup(product_name)}:</b> {markup(names)}",
                         self.s.alert)
        lead.keepWithNext = 1
        out.append(lead)
        out.append(self.item(disclosure.id, disclosure.title, disclosure.text))
        return out

    def faq_topics(self) -> list[Flowable]:
        s = self.s
        out = self.heading("FAQ topics reviewed")
        order = {f.id: i for i, f in enumerate(self.pack.faqs)}
        views = sorted(self.consent.faq_views.values(),
                       key=lambda v: (v.at, order.get(v.faq_id, len(order)), v.faq_id))
        if not views:
            out.append(self.para("None opened.", s.body))
            return out
        when_w, person_w = 56 * mm, 26 * mm
        rows: list[list[object]] = [[self.para("Question", s.cell_head),
                                     self.para("First opened", s.cell_head),
                                     self.para("In person", s.cell_head)]]
        for view in views:
            faq = self.pack.faq(view.faq_id)
            rows.append([self.para(faq.question if faq else view.faq_id, s.cell),
                         self.para(format_datetime(view.at), s.cell_small),
                         self.para("✓ Discussed" if view.discussed_in_person else "—",
                                   s.cell_small)])
        out.append(self.table(rows, [FRAME_WIDTH - when_w - person_w, when_w, person_w],
                              header=True))
        return out

    def alternatives(self) -> list[Flowable]:
        out = self.heading("Alternatives")
        for alt in self.pack.alternatives:
            out.append(KeepTogether([self.para(alt.title, self.s.item_title),
                                     *self.paras(alt.text, self.s.body)]))
        return out

    def aftercare(self) -> list[Flowable]:
        out = self.heading("Aftercare")
        out += self.bullets(c.text for c in self.pack.aftercare)
        out += self.heading("When to get urgent help")
        out += self.bullets(c.text for c in self.pack.urgent)
        return out

    def attestations(self) -> list[Flowable]:
        out = self.heading("Attestations")
        out.append(self.para("By signing, the patient confirms:", self.s.item_title))
        out += self.bullets(a.text for a in self.pack.attestations)
        return out

    def signatures(self) -> list[Flowable]:
        s = self.s
        out = self.heading("Signatures")
        pack_roles = self.consent.signature_roles(self.pack)
        roles = {r.id: r for r in pack_roles}
        order = [r.id for r in pack_roles]
        order += sorted(set(self.consent.signatures) - set(order))
        for role_id in order:
            role = roles.get(role_id)
            signature = self.consent.signatures.get(role_id)
            label = role.label if role else role_id
            if signature is None:
                if role is not None and role.required:
                    out.append(KeepTogether([self.para(label, s.h3),
                                             Paragraph(markup("Not signed"), s.alert)]))
                continue
            try:
                image = fit_image(signature.png, SIGNATURE_MAX_W, SIGNATURE_MAX_H)
            except ValueError as exc:
                raise ValueError(f"The {label.lower()} signature image cannot be printed: "
                                 f"{exc}") from exc
            block: list[Flowable] = [self.para(label, s.h3)]
            if role is not None and role.intent:
                block.append(self.para(role.intent, s.body))
            block += [
                Spacer(1, 4), image,
                HRFlowable(width=70 * mm, thickness=0.6, color=INK, hAlign="LEFT",
                           spaceBefore=1, spaceAfter=3),
                self.para(signature.printed_name, s.body_bold),
                self.para(f"{label} · {signature.meaning}", s.ack),
                self.para(f"Signed {format_datetime(signature.signed_at)}", s.ack),
                Spacer(1, 8),
            ]
            out.append(KeepTogether(block))
        return out


    def manifest(self) -> list[Flowable]:
        """A closing summary of who signed what, and exactly which wording they saw."""
        s, pack = self.s, self.pack
        out = self.heading("Signature manifest")
        rows: list[list[object]] = [[self.para(h, s.cell_head) for h in
                                     ("Role", "Printed name", "Meaning", "Signed")]]
        pack_roles = self.consent.signature_roles(pack)
        roles = {r.id: r for r in pack_roles}
        order = {r.id: i for i, r in enumerate(pack_roles)}
        for signature in sorted(self.consent.signatures.values(), key=lambda x: (
                x.signed_at, order.get(x.role, len(order)), x.role)):
            role = roles.get(signature.role)
            rows.append([self.para(role.label if role else signature.role, s.cell_small),
                         self.para(signature.printed_name, s.cell_small),
                         self.para(signature.meaning, s.cell_small),
                         self.para(format_datetime(signature.signed_at), s.cell_small)])
        role_w, when_w = 24 * mm, 57 * mm
        name_w = (FRAME_WIDTH - role_w - when_w) * 0.4
        out.append(self.table(rows, [role_w, name_w, FRAME_WIDTH - role_w - when_w - name_w,
                                     when_w], header=True))
        finalized = self.consent.finalized_at
        facts = [
            ("Record", self.record_id),
            *([(LINK_FACTS[self.consent.kind], self.consent.amends_id)]
              if self.consent.kind in LINK_FACTS else []),
            ("Finalized", format_datetime(finalized) if finalized else "Not finalized"),
            ("Content pack", f"{pack.info.id} {pack.version}"),
            ("Content SHA-256", pack.hash),
        ]
        out.append(Spacer(1, 4))
        out += [self.labelled(f"{label}:", value, s.small)[0] for label, value in facts]
        out.append(self.para(
            f"{self.clinic.name} certifies this file with a digital signature (the stamp "
            "below). Any change to the file breaks the certification.", s.small))
        return out


class WithdrawalBuilder(SummaryBuilder):
    """A withdrawal: who withdraws which consent, why, the statement and the signatures."""

    def sections(self) -> tuple[Callable[[], list[Flowable]], ...]:
        return (self.clinic_header, self.withdrawn_consent, self.statement, self.signatures)

    def facts(self, rows: list[tuple[str, list[Flowable]]]) -> Table:
        """A two-column table of labels and their values."""
        return self.table([[self.para(label, self.s.label), value] for label, value in rows],
                          [LABEL_W, FRAME_WIDTH - LABEL_W])

    def withdrawn_consent(self) -> list[Flowable]:
        s, consent, pack = self.s, self.consent, self.pack
        patient, injector, plan = consent.patient, consent.injector, consent.plan
        people: list[tuple[str, list[Flowable]]] = []
        if patient is not None:
            people += [("Patient", [self.para(patient.full_name, s.cell_bold)]),
                       ("Date of birth", [self.para(format_date(patient.date_of_birth),
                                                    s.cell)])]
        if injector is not None:
            people.append(("Recorded by", [self.para(injector.display_name, s.cell_bold),
                                           self.para(injector.role, s.cell)]))
        product = pack.product(plan.product_id)
        areas = []
        for planned in plan.areas:
            area = pack.area(planned.area_id)
            units = f" · {format_units(planned.units)}" if planned.units is not None else ""
            areas.append(self.para(f"{area.name if area else planned.area_id}{units}",
                                   s.cell_list))
        withdrawn = [
            ("Record", [self.para(consent.amends_id, s.cell_bold)]),
            ("Signed", [self.para(format_datetime(consent.amends_finalized_at), s.cell)]),
            ("Product", [self.para(product.name if product else plan.product_id or "—",
                                   s.cell)]),
            ("Areas", areas or [self.para("—", s.cell)]),
        ]
        return [*self.heading("Patient"), self.facts(people),
                *self.heading("Consent withdrawn"), self.facts(withdrawn),
                Spacer(1, 6), *self.labelled("Reason:", consent.reason, s.body)]

    def statement(self) -> list[Flowable]:
        consent = self.consent
        name = consent.patient.full_name if consent.patient else "The patient"
        when = format_datetime(consent.amends_finalized_at)
        return [*self.heading("Withdrawal"), self.notice_box([
            self.para(f"{name} withdraws consent to the botulinum-toxin treatment in consent "
                      f"record {consent.amends_id[:8]} signed {when}, before it is given.",
                      self.s.body_bold),
            self.para("The treatment will not be given on the basis of that consent. "
                      "Withdrawing consent is the patient's right and does not affect their "
                      "future care; any later treatment needs a new consent.", self.s.body),
        ])]


def stacked_height(flowables: list[Flowable], width: float = FRAME_WIDTH) -> float:
    """Height of the flowables one under the other, spaces included (an upper bound)."""
    return sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
               for f in flowables)


class KeepWithStart(KeepTogether):
    """Headings with the (long) flowable they introduce.

    Kept together when everything fits. Otherwise the group moves to a new page only when
    less than ``min_space`` is left; with more room the heading starts here and what it
    introduces splits across the page break, so a long table leaves no half-empty page.
    """

    def __init__(self, flowables: list[Flowable], min_space: float) -> None:
        super().__init__(flowables)
        self._min_space = min_space

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 (reportlab names)
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = self._content[:]
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        if self._H > aH and aH < self._min_space and not at_top:
            content.insert(0, FrameBreak())
        return content


def keep_headings(story: list[Flowable], min_space: float = 60 * mm) -> list[Flowable]:
    """Attach every run of keep-with-next flowables (headings) to what follows them.

    reportlab's own keepWithNext does not join a heading to a KeepTogether block, so a
    heading could end a page alone above its first risk or signature. Here a heading run
    joins a following KeepTogether into one block, and any other flowable through
    :class:`KeepWithStart`.
    """
    out: list[Flowable] = []
    run: list[Flowable] = []
    for flowable in story:
        if not isinstance(flowable, KeepTogether) and flowable.getKeepWithNext():
            run.append(flowable)
            continue
        if run:
            for head in run:
                head.keepWithNext = 0  # handled here; reportlab must not regroup them
            if isinstance(flowable, KeepTogether):
                flowable = KeepTogether([*run, *flowable._content])
            else:
                flowable = KeepWithStart([*run, flowable], min_space)
            run = []
        out.append(flowable)
    return out + run


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
