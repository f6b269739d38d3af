"""The withdrawal of a consent: who withdraws which consent, why, and the signatures."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable, Spacer, Table

from app.document.pdf.sections import LABEL_W, SummaryBuilder
from app.document.pdf.styles import FRAME_WIDTH
from app.document.pdf.text import format_date, format_datetime, format_units


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
