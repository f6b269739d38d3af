"""The consent summary's sections, in order, as reportlab platypus flowables.

Nothing here touches a canvas: page furniture (header, footer, page numbers) is in
``page.py``. All text goes through :func:`app.document.pdf.text.markup`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.consult.consent import ScreeningAnswer
from app.document.pdf.builder import TABLE_FONT
from app.document.pdf.flow import fit_image, keep_headings, stacked_height
from app.document.pdf.items import ItemSections
from app.document.pdf.layout import FIRST_LAYOUT, layout_of
from app.document.pdf.stamp import StampSpace
from app.document.pdf.styles import (
    ALERT_HEX,
    FRAME_WIDTH,
    HEADING,
    HIGHLIGHT,
    INK,
)
from app.document.pdf.text import format_date, format_datetime, format_units, markup

TITLE = "Consent to botulinum-toxin treatment — summary"
# the title of each kind of record, and its name in the running header
TITLES = {"consent": TITLE,
          "amendment": "Amended consent to botulinum-toxin treatment — summary",
          "withdrawal": "Withdrawal of consent to botulinum-toxin treatment",
          "confirmation": "Treatment-day confirmation of consent to botulinum-toxin "
                          "treatment"}
LINK_FACTS = {"amendment": "Amends record", "withdrawal": "Withdraws record"}
HEADER_NAMES = {"consent": "Consent summary", "amendment": "Amended consent",
                "withdrawal": "Withdrawal of consent",
                "confirmation": "Treatment-day confirmation"}
SIGNATURE_MAX_W = 60 * mm
SIGNATURE_MAX_H = 22 * mm
LOGO_MAX_W = 40 * mm
LOGO_MAX_H = 20 * mm
LABEL_W = 36 * mm


class SummaryBuilder(ItemSections):
    """Builds the story for one consent; one method per section."""

    # -- sections -----------------------------------------------------------------------

    def sections(self) -> tuple[Callable[[], list[Flowable]], ...]:
        """The sections before the closing manifest, in order."""
        return (self.clinic_header, self.patient_and_plan, self.screening,
                self.boxed_warning, self.risks, self.expectations, self.product_items,
                self.off_label, self.faq_topics, self.alternatives, self.aftercare,
                self.attestations, self.signatures)

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
            checked = [self.para(f"Label: {product.label_revision}; checked "
                                 f"{format_date(date.fromisoformat(product.label_checked_on))}",
                                 s.cell_small)] if product.label_revision else []
            row("Product", [self.para(product.name, s.cell_bold),
                            self.para(product.generic_name, s.cell), *checked])
        else:
            row("Product", self.para(plan.product_id or "Not chosen", s.cell))
        uses = {u.area_id: u for u in consent.area_uses(pack)}
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
            use = uses.get(planned.area_id)
            if use is not None and not use.approved:
                text += f' · <font color="{ALERT_HEX}"><b>off-label</b></font>'
            elif use is not None and use.condition:
                text += f" · approved {markup(use.condition)}"
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
                rows.append([self.labelled(self.note_label(), ans.note, s.cell), ""])
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

    def note_label(self) -> str:
        """Who wrote a screening note: the injector, on the Screening step (the first
        layout called it the patient's, and its records still print so)."""
        return "Patient's note:" if layout_of(self.clinic) == FIRST_LAYOUT else "Injector's note:"

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


    def link_facts(self) -> list[tuple[str, str]]:
        """The manifest's line naming the record this one amends or withdraws, if any."""
        kind = self.consent.kind
        return [(LINK_FACTS[kind], self.consent.amends_id)] if kind in LINK_FACTS else []

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
            *self.link_facts(),
            ("Finalized", format_datetime(finalized) if finalized else "Not finalized"),
            ("Content pack", f"{pack.info.id} {pack.version}"),
            ("Content SHA-256", pack.hash),
            ("Medical director's review", self.consent.content_review
             or "No review of this content pack by the clinic's medical director was "
                "recorded when this consent was finalized."),
        ]
        out.append(Spacer(1, 4))
        out += [self.labelled(f"{label}:", value, s.small)[0] for label, value in facts]
        out.append(self.para(
            f"{self.clinic.name} certifies this file with a digital signature (the stamp "
            "below). Any change to the file breaks the certification.", s.small))
        return out
