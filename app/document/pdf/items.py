"""The sections of what the patient read and acknowledged: the boxed warning (first, in a
box of its own), the risks by group, the expectations, the chosen product's facts and its
Medication Guide, the off-label disclosure with why each area is off-label, and the FAQ
topics opened with the answers shown."""

from __future__ import annotations

from functools import cached_property

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from app.consult.consent import RequiredItem
from app.document.pdf.builder import StoryBuilder
from app.document.pdf.text import format_datetime, markup


class ItemSections(StoryBuilder):
    """The acknowledged items' sections of a consent summary."""

    @cached_property
    def required(self) -> list[RequiredItem]:
        """What the patient acknowledged, worked out once per render (the consent does
        not change while it is drawn)."""
        return self.consent.required_items(self.pack)

    def in_sections(self, *sections: str) -> list[RequiredItem]:
        return [i for i in self.required if i.section in sections]

    def boxed_warning(self) -> list[Flowable]:
        """The labels' boxed warning: first of the risks, in a box of its own."""
        item = next(iter(self.in_sections("boxed")), None)
        if item is None:
            return []
        return [*self.heading("Boxed warning"), self.lead(
            "Every botulinum-toxin product carries this warning on its label. The patient "
            "read it first, apart from the other risks.", self.s.small),
            self.notice_box(self.item_parts(item))]

    def risks(self) -> list[Flowable]:
        out = [*self.heading("Risks"), self.lead(self.risks_lead(), self.s.small)]
        items = {i.item_id: i for i in self.in_sections("risk")}
        for group in self.pack.risk_groups:
            risks = [items[r.id] for r in self.pack.risks_in(group.id) if r.id in items]
            if not risks:
                continue
            out.append(self.para(group.title, self.s.h3))
            if group.intro:
                out += self.paras(group.intro, self.s.intro)
            out += [self.item(r) for r in risks]
        return out

    def risks_lead(self) -> str:
        # a record made before who ticked was kept keeps its words (and its bytes)
        if not any(a.by for a in self.consent.acknowledgements.values()):
            return "The patient read and acknowledged each risk one by one."
        return ("Each risk was acknowledged one by one; the line under each says who "
                "ticked it and when.")

    def expectations(self) -> list[Flowable]:
        return self.section_items("Realistic expectations", ("expectation",))

    def product_items(self) -> list[Flowable]:
        """What the patient read about the chosen product, and its Medication Guide."""
        return self.section_items("The product", ("product", "guide"))

    def section_items(self, title: str, sections: tuple[str, ...]) -> list[Flowable]:
        items = self.in_sections(*sections)
        return [*self.heading(title), *(self.item(i) for i in items)] if items else []

    def off_label(self) -> list[Flowable]:
        item = next(iter(self.in_sections("off_label")), None)
        if item is None:
            return []
        out = self.heading("Off-label disclosure")
        lead = Paragraph("<b>Off-label in this plan:</b>", self.s.alert)
        lead.keepWithNext = 1
        out.append(lead)
        for reason in self.consent.off_label_reasons(self.pack):
            bullet = Paragraph(markup(reason), self.s.bullet, bulletText="•")
            bullet.keepWithNext = 1
            out.append(bullet)
        out.append(self.item(item))
        return out

    def faq_topics(self) -> list[Flowable]:
        """Each FAQ topic opened, with the answer the patient was shown: what the patient
        was told is part of the record."""
        s = self.s
        out = self.heading("FAQ topics reviewed")
        order = {f.id: i for i, f in enumerate(self.pack.faqs)}
        views = sorted(self.consent.faq_views.values(),
                       key=lambda v: (v.at, order.get(v.faq_id, len(order)), v.faq_id))
        if not views:
            out.append(self.para("None opened.", s.body))
            return out
        out.append(self.lead("The questions the patient opened, in the order opened, with "
                             "the answer shown to them.", s.small))
        for view in views:
            faq = self.pack.faq(view.faq_id)
            how = " · discussed in person" if view.discussed_in_person else ""
            parts: list[Flowable] = [
                self.para(faq.question if faq else view.faq_id, s.item_title),
                self.para(f"First opened {format_datetime(view.at)}{how}", s.ack)]
            if faq is not None:
                parts += self.paras(faq.answer, s.body)
            parts.append(Spacer(1, 3))
            out.append(KeepTogether(parts))
        return out
