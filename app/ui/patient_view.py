"""Patient mode: the screen turned to the patient, showing their own consult and nothing else.

Large type, no menus, no records, no settings, no other patient. The patient first confirms
their date of birth, then reads the plan in plain words, the FAQ, each risk and expectation
(ticked one by one, with "I have a question about this"), the document, and signs: only
once they ticked every item themselves and each question they raised has its answer (a
question sends them back to staff first). Leaving asks for a staff PIN; the window does the
asking (``leave_requested``).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.consult.consent import Consent
from app.consult.progress import patient_marks
from app.runtime.service import Glabella
from app.ui import style
from app.ui.document_view import DocumentPreview
from app.ui.sign_in import CentredScreen
from app.ui.step_view import StepView
from app.ui.steps import FaqStep, PlanSummaryStep, ReviewStep, RisksStep, SignatureStep
from app.ui.steps.base import StepPage
from app.ui.widgets import FormField, OptionalDateEdit, label, row


class DobGate(CentredScreen):
    """At hand-over the patient confirms their date of birth before seeing anything."""

    answered = Signal(object)  # the date typed

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(width_em=26, parent=parent)
        self.dob = OptionalDateEdit("Type or pick your date of birth",
                                    maximum=QDate(today.year, today.month, today.day),
                                    typing_start=QDate(today.year - 30, 1, 1))
        self.dob.setMinimumWidth(320)
        self.continue_button = QPushButton("Continue")
        self.continue_button.setAccessibleName("Continue: confirm my date of birth")
        style.set_role(self.continue_button, "primary")
        self.greeting = label("Welcome", "h1")
        self.card.layout_.addWidget(self.greeting)
        self.card.layout_.addWidget(label(
            "Your injector has handed you the screen so you can read your consent in your "
            "own time. First, please confirm your date of birth.", "intro"))
        self.card.layout_.addWidget(FormField("Your date of birth", self.dob,
                                              "Year-month-day, e.g. 1988-04-17."))
        self.card.layout_.addLayout(row(self.continue_button))
        self.continue_button.clicked.connect(lambda: self.answered.emit(self.dob.value()))
        self.dob.lineEdit().returnPressed.connect(self.continue_button.click)

    def reset(self, first_name: str) -> None:
        self.greeting.setText(f"Welcome, {first_name}" if first_name else "Welcome")
        self.dob.set_value(None)
        self.dob.setFocus()


class PatientView(QWidget):
    """Everything the patient can reach, and only that."""

    leave_requested = Signal()
    dob_answered = Signal(object)  # date | None

    def __init__(self, service: Glabella, preview: DocumentPreview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientView")
        self.service = service
        self.consent: Consent | None = None
        self.large_text = False

        self.title = label("Your consent", "h2", wrap=False)
        self.larger = QPushButton("Larger text")
        self.larger.setCheckable(True)
        self.larger.setAccessibleName("Larger text")
        self.leave = QPushButton("Return to staff")
        self.leave.setAccessibleName("Return to staff (a staff PIN is needed)")
        self.leave.setToolTip("Hand the screen back: a member of staff enters their PIN.")
        top = QFrame()
        top.setObjectName("patientTop")
        top.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # never squeezed
        # spacing -1: the style's own, as for any new layout
        top_layout = row(self.title, self.larger, self.leave, grow=self.title, stretch=False,
                         spacing=-1)
        top_layout.setContentsMargins(24, 10, 24, 10)
        top.setLayout(top_layout)

        self.gate = DobGate(service.clock().date())
        self.plan_page = PlanSummaryStep(service)
        self.faq_page = FaqStep(service, for_patient=True)
        self.risks_page = RisksStep(service, for_patient=True)
        self.review_page = ReviewStep(service, for_patient=True, preview=preview)
        self.signature_page = SignatureStep(service, for_patient=True)
        pages: list[StepPage] = [self.plan_page, self.faq_page, self.risks_page,
                                 self.review_page, self.signature_page]
        # the Back/Next shortcuts work anywhere in patient mode, the top bar included
        self.reading = StepView([(p.step_id, p.nav_name()) for p in pages], pages,
                                shortcuts_on=self)
        self.pages = self.reading.pages
        self.steps = self.reading.steps
        self.steps.setAccessibleName("Parts of your consent")
        self.back_button, self.next_button = self.reading.back_button, self.reading.next_button

        self.screens = QStackedWidget()
        self.screens.addWidget(self.gate)
        self.screens.addWidget(self.reading)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(top)
        layout.addWidget(self.screens, 1)
        self.apply_style()

        self.larger.toggled.connect(self.set_large_text)
        self.leave.clicked.connect(self.leave_requested.emit)
        self.gate.answered.connect(self.dob_answered.emit)
        self.review_page.sign_requested.connect(lambda: self.go_to("signatures", focus=True))
        self.signature_page.go_to_item.connect(self.go_to_item)
        self.signature_page.hand_back.connect(self.leave_requested.emit)

    # -- the hand-over ------------------------------------------------------------------------

    def start(self, consent: Consent) -> None:
        """A fresh hand-over: this consult only, the date-of-birth check first."""
        self.consent = consent
        for page in self.pages:
            page.bind(consent)
        patient = consent.patient
        first = patient.full_name.split()[0] if patient else ""
        self.title.setText(f"Consent review for {patient.full_name}" if patient else
                           "Your consent")
        self.screens.setCurrentWidget(self.gate)
        self.gate.reset(first)
        self.refresh()

    def show_consult(self) -> None:
        """The date of birth matched: the patient reads from the start, or, when their
        injector has answered their questions since, from the first answer."""
        self.screens.setCurrentWidget(self.reading)
        answered = [i for i, q in self.consent.questions.items() if q.injector_note] \
            if self.consent is not None and "patient" not in self.consent.signatures else []
        if answered:
            self.go_to_item("risks", answered[0])
            return
        self.go_to_index(0)
        self.steps.setFocus()

    def go_to_item(self, step_id: str, item_id: str) -> None:
        self.go_to(step_id)
        self.reading.current_page().focus_item(item_id)

    def in_gate(self) -> bool:
        return self.screens.currentWidget() is self.gate

    # -- navigation ---------------------------------------------------------------------------

    def current_page(self) -> StepPage:
        return self.reading.current_page()

    def go_to_index(self, index: int, *, focus: bool = False) -> None:
        self.reading.go_to_index(index, focus=focus)

    def go_to(self, step_id: str, *, focus: bool = False) -> None:
        self.reading.go_to(step_id, focus=focus)

    # -- progress -----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self.consent is None:
            return
        for page in self.pages:
            page.sync()
        self.reading.set_marks(patient_marks(self.consent, self.service.pack,
                                             reviewed=self.review_page.is_reviewed()))

    # -- reading comfort ----------------------------------------------------------------------

    def body_pt(self) -> int:
        return style.PATIENT_LARGE_BODY_PT if self.large_text else style.PATIENT_BODY_PT

    def apply_style(self) -> None:
        style.apply(self, self.body_pt())
        self.steps.fit_text(self.body_pt())

    def set_large_text(self, on: bool) -> None:
        self.large_text = on
        self.apply_style()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            event.accept()  # Escape never leaves patient mode; "Return to staff" does
            return
        super().keyPressEvent(event)
