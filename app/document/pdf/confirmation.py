"""A treatment-day confirmation: the full consent it relies on (its record and date),
today's patient and plan, the screening asked again, the reminder of the main risks the
patient acknowledged, aftercare and the signatures."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from app.document.pdf.sections import SummaryBuilder
from app.document.pdf.text import format_datetime


class ConfirmationBuilder(SummaryBuilder):
    """A confirmation prints no risks checklist, FAQ or alternatives: the full consent it
    names holds them, as the patient read and signed them."""

    def sections(self) -> tuple[Callable[[], list[Flowable]], ...]:
        return (self.clinic_header, self.relies_on, self.patient_and_plan, self.screening,
                self.reminder, self.opened_faq, self.aftercare, self.signatures)

    def relies_on(self) -> list[Flowable]:
        consent = self.consent
        signed = format_datetime(consent.full_consent_at)
        return [self.notice_box([
            self.para(f"Treatment-day confirmation of full consent "
                      f"{consent.full_consent_id[:8]} signed {signed}", self.s.alert),
            self.para("The full consent holds the risks, expectations and alternatives the "
                      "patient read and acknowledged one by one. This record confirms "
                      "today's screening, today's plan and the patient's agreement to it, "
                      "under the clinic's re-consent rule.", self.s.body),
            self.para(f"Full consent record: {consent.full_consent_id}", self.s.small)])]

    def reminder(self) -> list[Flowable]:
        return [*self.heading("Reminder of the risks"), *(self.item(i) for i in self.required)]

    def opened_faq(self) -> list[Flowable]:
        """The FAQ is not part of a confirmation; what the patient opened anyway is
        printed, since what the patient was told is part of the record."""
        return self.faq_topics() if self.consent.faq_views else []

    def link_facts(self) -> list[tuple[str, str]]:
        consent = self.consent
        return [("Relies on full consent", f"{consent.full_consent_id}, signed "
                                           f"{format_datetime(consent.full_consent_at)}")]
