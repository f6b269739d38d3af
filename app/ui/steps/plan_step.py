"""Treatment plan: product, areas (approved or off-label for that product), units and lot;
for a returning patient, what is as last time is marked so."""

from __future__ import annotations

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QLineEdit,
    QWidget,
)

from app.consult.consent import PlannedArea, TreatmentPlan
from app.consult.content import Area, Product
from app.consult.content.approvals import AreaUse, area_use, plan_uses
from app.consult.patient import MAX_NOTE, clean_text
from app.consult.returning import LastVisit
from app.runtime.service import Glabella
from app.ui.steps.base import StepPage, off_label_lines
from app.ui.style import FIELD_HEIGHT, set_role
from app.ui.widgets import (
    Banner,
    Card,
    ComboBox,
    FormField,
    OptionalDateEdit,
    label,
    quietly,
    text_area,
)

AS_LAST_TIME = "✓ as last time"


class AreaRow(QObject):
    """One treatment area's widgets in a shared grid: tick box, plain name, status, units."""

    edited = Signal()

    def __init__(self, area: Area, grid: QGridLayout, row: int, parent: QObject) -> None:
        super().__init__(parent)
        self.area = area
        self.check = QCheckBox(area.name)
        self.check.setAccessibleName(f"Treat {area.name}")
        self.plain = label(area.plain_name, "muted")
        self.status = label("", "badge-none", wrap=False)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.units = QDoubleSpinBox()
        self.units.setRange(0.0, 500.0)
        self.units.setDecimals(1)
        self.units.setSingleStep(1.0)
        self.units.setSuffix(" units")
        self.units.setSpecialValueText("units not given")
        self.units.setAccessibleName(f"Units for {area.name} (0 means not given)")
        self.units.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.units.setMinimumWidth(170)
        self.units.setMinimumHeight(FIELD_HEIGHT)
        self.units.setEnabled(False)
        self.as_last_time = label(AS_LAST_TIME, "small", wrap=False)
        self.as_last_time.setVisible(False)
        grid.addWidget(self.check, row, 0)
        grid.addWidget(self.plain, row, 1)
        grid.addWidget(self.status, row, 2)
        grid.addWidget(self.units, row, 3)
        grid.addWidget(self.as_last_time, row, 4)
        self.check.toggled.connect(self._toggled)
        self.units.valueChanged.connect(lambda _v: self.edited.emit())

    def _toggled(self, on: bool) -> None:
        self.units.setEnabled(on)
        self.edited.emit()

    def show_status(self, use: AreaUse | None) -> None:
        """The area's use of the chosen product, as it would be with this area ticked."""
        if use is None:
            text, role, tip = "choose a product", "badge-none", ""
        elif use.approved:
            text, role = "approved", "badge-approved"
            tip = f"Approved {use.condition}" if use.condition else "Approved on the label"
        else:
            text, role, tip = "off-label", "badge-off-label", use.reason
        self.status.setText(text)
        set_role(self.status, role)
        self.status.setToolTip(tip)
        self.status.setAccessibleName(f"{self.area.name}: {text}. {tip}".strip())

    def planned(self) -> PlannedArea | None:
        if not self.check.isChecked():
            return None
        return PlannedArea(self.area.id, self.units.value() or None)

    def show_last_time(self, visit: LastVisit | None) -> None:
        """Marked while ticked with the units of the last visit."""
        planned = self.planned()
        same = visit is not None and planned is not None and visit.same_area(planned)
        self.as_last_time.setVisible(same)
        self.check.setAccessibleDescription(AS_LAST_TIME if same else "")

    def show_planned(self, planned: PlannedArea | None) -> None:
        with quietly(self.check, self.units):
            self.check.setChecked(planned is not None)
            self.units.setValue(planned.units or 0.0 if planned else 0.0)
        self.units.setEnabled(planned is not None)


class PlanStep(StepPage):
    step_id = "plan"
    title = "Treatment plan"
    intro = ("Choose the product and the areas. Each area shows whether it is approved on the "
             "product's label for this patient (age, and areas treated together) or "
             "off-label.")

    def __init__(self, service: Glabella, parent: QWidget | None = None) -> None:
        super().__init__(service, parent)
        self.product = ComboBox()
        self.product.setMinimumHeight(FIELD_HEIGHT)
        self.product.setPlaceholderText("Choose a product…")
        for p in self.pack.products:
            self.product.addItem(f"{p.name} ({p.generic_name})", p.id)
        self.product.setCurrentIndex(-1)
        self.product_note = label("", "small")
        self.visits = service.records.returning()
        self._shown: TreatmentPlan | None = None
        self.last_visit = Banner(kind="info")
        self.last_visit.setVisible(False)
        self.product_last_time = label(AS_LAST_TIME, "small", wrap=False)
        self.product_last_time.setVisible(False)
        self.lot = QLineEdit()
        self.lot.setMaxLength(60)
        self.lot.setPlaceholderText("As printed on the vial")
        self.expiry = OptionalDateEdit("Not recorded", sentinel=QDate(2000, 1, 1),
                                       typing_start=QDate(service.clock().year, 1, 1))
        self.expiry_field = FormField("Expiry date", self.expiry)
        # the vial beside its product, above the areas: typed without scrolling down
        product_card = Card()
        product_card.layout_.addWidget(label("Product and vial", "h2"))
        product_card.layout_.addWidget(self.last_visit)
        product_grid = QGridLayout()
        product_grid.setHorizontalSpacing(24)
        top = Qt.AlignmentFlag.AlignTop
        product_grid.addWidget(FormField("Product *", self.product), 0, 0, top)
        product_grid.addWidget(FormField("Lot number", self.lot), 0, 1, top)
        product_grid.addWidget(self.expiry_field, 0, 2, top)
        product_grid.setColumnStretch(0, 2)
        product_grid.setColumnStretch(1, 1)
        product_grid.setColumnStretch(2, 1)
        product_card.layout_.addLayout(product_grid)
        product_card.layout_.addWidget(self.product_last_time)
        product_card.layout_.addWidget(self.product_note)

        area_card = Card()
        area_card.layout_.addWidget(label("Treatment areas", "h2"))
        area_card.layout_.addWidget(label("Tick every area to be treated. Units are optional.",
                                          "small"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        self.areas = [AreaRow(a, grid, i, self) for i, a in enumerate(self.pack.areas)]
        area_card.layout_.addLayout(grid)
        self.off_label = Banner(kind="warning")
        self.off_label.setVisible(False)
        area_card.layout_.addWidget(self.off_label)

        self.notes = text_area("Optional notes about the plan", lines=3)
        details = Card()
        details.layout_.addWidget(FormField("Notes", self.notes))

        for card in (product_card, area_card, details):
            self.body_layout.addWidget(card)
        self.body_layout.addStretch(1)

        self.product.currentIndexChanged.connect(self._edited)
        for area in self.areas:
            area.edited.connect(self._edited)
        self.lot.textChanged.connect(self._edited)
        self.expiry.dateChanged.connect(self._edited)
        self.notes.textChanged.connect(self._edited)

    def first_focus(self) -> QWidget | None:
        return self.product

    def _chosen_product(self) -> Product | None:
        return self.pack.product(self.product.currentData() or "")

    def load(self) -> None:
        assert self.consent is not None
        self.visits.forget()
        plan = self._shown = self.consent.plan
        with quietly(self.product, self.lot, self.expiry, self.notes):
            self.product.setCurrentIndex(self.product.findData(plan.product_id))
            self.lot.setText(plan.lot_number)
            self.expiry.set_value(plan.expiry)
            self.notes.setPlainText(plan.notes)
        planned = {a.area_id: a for a in plan.areas}
        for area in self.areas:
            area.show_planned(planned.get(area.area.id))
        self._show_derived()

    def sync(self) -> None:
        """A plan set elsewhere (from a returning patient's last visit) is shown."""
        # the very plan shown or last applied here, not an equal one: no reload mid-typing
        if self.consent is not None and self.consent.plan is not self._shown:
            self.load()
        else:
            self._show_last_time()

    def plan(self) -> TreatmentPlan:
        """The plan as the widgets show it."""
        product = self._chosen_product()
        return TreatmentPlan(
            product_id=product.id if product else "",
            areas=[p for a in self.areas if (p := a.planned()) is not None],
            lot_number=clean_text(self.lot.text()),
            expiry=self.expiry.value(),
            notes=clean_text(self.notes.toPlainText(), multiline=True)[:MAX_NOTE],
        )

    def _edited(self) -> None:
        if self.consent is None or self.read_only:
            return
        plan = self.plan()
        if plan != self.consent.plan:
            self._shown = plan
            self.apply(lambda c: c.set_plan(plan))
        self._show_derived()

    def _show_derived(self) -> None:
        product = self._chosen_product()
        self.product_note.setText(product.note if product else "")
        self.product_note.setVisible(bool(product and product.note))
        planned = [a.area.id for a in self.areas if a.check.isChecked()]
        age = self.consent.age_at_consult() if self.consent else None
        for area in self.areas:
            area.show_status(area_use(self.pack, product, area.area.id, planned, age)
                             if product else None)
        off = [u.reason for u in (plan_uses(self.pack, product.id, planned, age)
                                  if product else []) if not u.approved]
        self.off_label.setVisible(bool(off))
        if off:
            self.off_label.set_text(
                off_label_lines(off) + "\nThe off-label disclosure has been added to "
                "“Risks & expectations” for the patient to acknowledge.")
        expiry = self.expiry.value()
        today = self.consent.created_at.date() if self.consent else None
        self.expiry_field.set_error("This date has passed: check the vial."
                                    if expiry and today and expiry < today else "")
        self._show_last_time()

    def _show_last_time(self) -> None:
        """Mark what is as it was at the patient's last visit, for the injector to check."""
        visit = self.visits.last_visit(self.consent.patient if self.consent else None)
        product = self._chosen_product()
        same_product = visit is not None and product is not None \
            and visit.plan.product_id == product.id
        self.product_last_time.setVisible(same_product)
        for area in self.areas:
            area.show_last_time(visit)
        self.last_visit.setVisible(visit is not None)
        if visit is not None:
            self.last_visit.set_text(
                f"Last visit: {visit.day}. What is the same as then is marked “as last time”. "
                f"Check each with the patient and change what differs today. The lot and "
                f"expiry are this vial's.")
