"""The treatment plan in plain words, for the patient: what, where and by whom."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.runtime.service import Glabella
from app.ui.steps.base import StepPage, fresh_content
from app.ui.widgets import Banner, Card, label

OFF_LABEL_PLAIN = ("Off-label: {reason}. The FDA has not approved this use for you. You "
                   "will read what that means, and confirm it, under “Risks and what to "
                   "expect”.")


def units_text(units: float | None) -> str:
    if not units:
        return ""
    return f"Planned dose: about {units:g} units"


class PlanSummaryStep(StepPage):
    step_id = "plan-summary"
    title = "Your treatment"
    intro = "What your injector plans to do, in plain words."
    scrolls = True

    def __init__(self, service: Glabella, parent: QWidget | None = None, *,
                 for_patient: bool = True) -> None:
        super().__init__(service, parent, for_patient=for_patient)
        self.content = QWidget()
        self.content.setObjectName("body")
        self.body_layout.addWidget(self.content)
        self.body_layout.addStretch(1)
        self._shown: tuple | None = None

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only  # nothing here to edit

    def load(self) -> None:
        self._shown = None
        self.sync()

    def sync(self) -> None:
        if self.consent is None:
            return
        plan, injector = self.consent.plan, self.consent.injector
        key = (repr(plan), repr(injector))
        if key != self._shown:  # rebuilt only when the plan itself changed
            self._shown = key
            self._build()

    def summary_text(self) -> str:
        """Everything the page says, in reading order (for tests and screen readers)."""
        return "\n".join(w.text() for w in self.content.findChildren(QLabel) if w.text())

    def _build(self) -> None:
        assert self.consent is not None
        self.content, layout = fresh_content(self.body_layout, self.content, 12)

        plan = self.consent.plan
        product = self.pack.product(plan.product_id)
        medicine = Card()
        medicine.layout_.addWidget(label("The medicine", "h2"))
        medicine.layout_.addWidget(label(
            f"{product.name} ({product.generic_name}), a botulinum toxin that relaxes the "
            "muscles that cause lines." if product else
            "Your injector has not chosen the medicine yet."))
        layout.addWidget(medicine)

        areas = Card()
        areas.layout_.addWidget(label("Where it will be injected", "h2"))
        if not plan.areas:
            areas.layout_.addWidget(label("Your injector has not chosen the areas yet."))
        off_label = {u.area_id: u.reason for u in self.consent.area_uses(self.pack)
                     if not u.approved}
        for planned in plan.areas:
            area = self.pack.area(planned.area_id)
            if area is None:
                continue
            areas.layout_.addWidget(label(area.plain_name, "h3"))
            details = [f"Medical name: {area.name}"]
            if units_text(planned.units):
                details.append(units_text(planned.units))
            areas.layout_.addWidget(label(" · ".join(details), "muted"))
            if area.id in off_label:
                areas.layout_.addWidget(Banner(OFF_LABEL_PLAIN.format(
                    reason=off_label[area.id]), "warning"))
        layout.addWidget(areas)

        injector = self.consent.injector
        who = Card()
        who.layout_.addWidget(label("Who treats you", "h2"))
        who.layout_.addWidget(label(
            f"{injector.display_name} ({injector.role})" if injector else
            "Your injector's name is not recorded yet."))
        layout.addWidget(who)
