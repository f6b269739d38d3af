"""The consult window: steps on the left, the current step on the right, progress below."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.consent import Consent, TreatmentPlan
from app.finalize import FinalizedConsent, IncompleteConsentError
from app.service import Glabella
from app.ui import style
from app.ui.step_list import StepList
from app.ui.steps import (
    STEP_PAGES,
    ChecklistStep,
    DoneStep,
    FaqStep,
    PatientStep,
    PlanStep,
    ScreeningStep,
    SignatureStep,
    StepPage,
)
from app.ui.steps.patient_step import remember_injector
from app.ui.still_needed import StillNeeded
from app.ui.widgets import label


def has_input(consent: Consent) -> bool:
    """Whether anything was entered that a new consult would throw away."""
    return bool(consent.patient or consent.screening or consent.plan != TreatmentPlan()
                or consent.acknowledgements or consent.faq_views or consent.signatures
                or consent.minor_override_reason)


class ConsultWindow(QMainWindow):
    """One consult at a time, from patient details to a finalized, stored consent."""

    finalized = Signal(str)  # the stored consent's id

    def __init__(self, service: Glabella, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.pack = service.pack
        self.consent: Consent = service.new_consent()
        self.result: FinalizedConsent | None = None
        self.setWindowTitle(f"Glabella — {service.clinic.name}")
        style.apply(self)
        self.setMinimumSize(1000, 640)
        self.resize(1366, 768)

        self.pages: list[StepPage] = [page_class(service) for page_class in STEP_PAGES]
        by_type = {type(p): p for p in self.pages}
        self.patient_page: PatientStep = by_type[PatientStep]  # type: ignore[assignment]
        self.screening_page: ScreeningStep = by_type[ScreeningStep]  # type: ignore[assignment]
        self.plan_page: PlanStep = by_type[PlanStep]  # type: ignore[assignment]
        self.faq_page: FaqStep = by_type[FaqStep]  # type: ignore[assignment]
        self.checklist_page: ChecklistStep = by_type[ChecklistStep]  # type: ignore[assignment]
        self.signature_page: SignatureStep = by_type[SignatureStep]  # type: ignore[assignment]
        self.done_page: DoneStep = by_type[DoneStep]  # type: ignore[assignment]

        self._build_actions()
        self._build_layout()
        for page in self.pages:
            page.changed.connect(self.refresh)
        self.done_page.new_consult_requested.connect(self.new_consult)
        self.steps.currentRowChanged.connect(self._step_chosen)
        self.still_needed.item_chosen.connect(self.go_to_item)
        self.back_button.clicked.connect(lambda: self.go_to_index(self.current_index() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_index(self.current_index() + 1))
        self.finalize_button.clicked.connect(self.finalize)
        self.start(self.consent)

    # -- building -----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        toolbar = QToolBar("Consult")
        toolbar.setMovable(False)
        toolbar.setAccessibleName("Consult actions")
        self.addToolBar(toolbar)
        self.new_action = QAction("New consult", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setToolTip("Start a new consult (Ctrl+N)")
        self.new_action.triggered.connect(self.new_consult)
        self.large_text_action = QAction("Larger text", self)
        self.large_text_action.setCheckable(True)
        self.large_text_action.setToolTip("Larger text for reading together with the patient")
        self.large_text_action.toggled.connect(self.set_large_text)
        toolbar.addAction(self.new_action)
        toolbar.addAction(self.large_text_action)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding,
                             spacer.sizePolicy().Policy.Preferred)
        toolbar.addWidget(spacer)
        self.clinic_label = label(self.service.clinic.name, "muted", wrap=False)
        toolbar.addWidget(self.clinic_label)

    def _build_layout(self) -> None:
        self.steps = StepList([(p.step_id, p.step_name()) for p in self.pages])
        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)

        self.still_needed = StillNeeded()
        self.back_button = QPushButton("← Back")
        self.back_button.setShortcut(QKeySequence("Alt+Left"))
        self.next_button = QPushButton("Next →")
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        self.finalize_button = QPushButton("Finalize")
        self.finalize_button.setAccessibleName("Finalize the consent")
        style.set_role(self.finalize_button, "primary")
        self.finalize_reason = label("", "small")
        self.finalize_reason.setFixedWidth(400)
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.finalize_button):
            buttons.addWidget(button)
        controls = QVBoxLayout()
        controls.setSpacing(6)
        controls.addLayout(buttons)
        controls.addWidget(self.finalize_reason)
        controls.addStretch(1)

        bottom = QFrame()
        bottom.setObjectName("bottomBar")
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(20, 10, 20, 10)
        bottom_layout.setSpacing(24)
        bottom_layout.addWidget(self.still_needed, 1)
        bottom_layout.addLayout(controls)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self.stack, 1)
        right_layout.addWidget(bottom)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.steps)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)

    # -- consult lifecycle ----------------------------------------------------------------------

    def start(self, consent: Consent) -> None:
        """Show ``consent`` on every page, from the first step."""
        self.consent = consent
        self.result = None
        for page in self.pages:
            page.bind(consent)
        self.done_page.show_result(None)
        self.go_to_index(0)
        self.refresh()
        self.patient_page.name.setFocus()

    def new_consult(self) -> bool:
        """Start again; an unfinished consult is first saved as a draft (after asking)."""
        if self.consent.finalized_at is None and has_input(self.consent):
            path = self.service.draft_path(self.consent)
            answer = QMessageBox.question(
                self, "Start a new consult?",
                "This consult is not finalized. It will be kept as a draft at:\n"
                f"{path}\n\nStart a new consult?")
            if answer != QMessageBox.StandardButton.Yes:
                return False
            if not self._save_draft():
                return False
        self.start(self.service.new_consent())
        return True

    def _save_draft(self) -> str | None:
        """Save the draft; the path, or None after telling the user why it failed."""
        try:
            return str(self.service.save_draft(self.consent))
        except Exception as exc:  # noqa: BLE001 - reported to the user
            QMessageBox.critical(self, "Draft not saved", f"The draft could not be saved:\n{exc}")
            return None

    def finalize(self) -> bool:
        """Store the consent and its PDF; on any failure keep the consult and say why."""
        try:
            result = self.service.finalize(self.consent)
        except IncompleteConsentError as exc:
            lines = "\n".join(f"• {m.message}" for m in exc.missing)
            QMessageBox.warning(self, "Not finalized yet",
                                f"The consent cannot be finalized yet:\n\n{lines}")
            self.refresh()
            return False
        except Exception as exc:  # noqa: BLE001 - storage, rendering or content problems
            where = self._save_draft()
            kept = (f"\n\nNothing was lost: the consult is still open and was saved as a "
                    f"draft at:\n{where}") if where else "\n\nThe consult is still open."
            QMessageBox.critical(self, "The consent was not finalized",
                                 f"The consent could not be finalized:\n{exc}{kept}")
            self.refresh()
            return False
        self.result = result
        if self.consent.injector is not None:
            remember_injector(self.service.store, self.consent.injector)
        for page in self.pages:
            page.set_read_only(True)
        self.done_page.show_result(result)
        self.refresh()
        self.go_to("done")
        self.finalized.emit(result.consent_id)
        return True

    # -- navigation -----------------------------------------------------------------------------

    def current_index(self) -> int:
        return self.stack.currentIndex()

    def current_page(self) -> StepPage:
        return self.pages[self.current_index()]

    def page(self, step_id: str) -> StepPage:
        return next(p for p in self.pages if p.step_id == step_id)

    def go_to_index(self, index: int) -> None:
        if 0 <= index < len(self.pages):
            self.steps.setCurrentRow(index)

    def go_to(self, step_id: str) -> None:
        self.go_to_index(self.pages.index(self.page(step_id)))

    def go_to_item(self, step_id: str, item_id: str) -> None:
        self.go_to(step_id)
        self.page(step_id).focus_item(item_id)

    def _step_chosen(self, index: int) -> None:
        if index < 0:
            return
        previous = self.stack.currentIndex()
        if previous != index:
            self.pages[previous].leave()
        self.stack.setCurrentIndex(index)
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.pages) - 1)
        if index < len(self.pages) - 1:
            name = self.pages[index + 1].step_name().replace("&", "&&")
            self.next_button.setText(f"Next: {name} →")
        else:
            self.next_button.setText("Next →")

    # -- progress -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """After any change: let pages update, then marks, "Still needed" and Finalize."""
        for page in self.pages:
            page.sync()
        finalized = self.consent.finalized_at is not None
        missing = [] if finalized else self.consent.missing(self.pack)
        self.still_needed.show_missing(missing, finalized)
        steps_missing = {m.step for m in missing}
        for page in self.pages:
            if page.step_id == "faq":
                state = "complete" if self.consent.faq_views else "optional"
            elif page.step_id == "done":
                state = "complete" if finalized else "optional"
            else:
                state = "missing" if page.step_id in steps_missing else "complete"
            self.steps.set_mark(page.step_id, state)
        self.finalize_button.setEnabled(not finalized and not missing)
        if finalized:
            reason = "Finalized. Use “New consult” to start another."
        elif missing:
            reason = (f"Finalize becomes available when nothing is still needed "
                      f"({len(missing)} item{'s' if len(missing) != 1 else ''} left).")
        else:
            reason = "Everything needed is in place."
        self.finalize_reason.setText(reason)
        self.finalize_button.setToolTip(reason)

    def set_large_text(self, on: bool) -> None:
        body_pt = style.LARGE_BODY_PT if on else style.BODY_PT
        style.apply(self, body_pt)
        self.steps.fit_text(body_pt)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing mid-consult keeps the work as a draft."""
        if self.consent.finalized_at is None and has_input(self.consent):
            try:
                self.service.save_draft(self.consent)
            except Exception as exc:  # noqa: BLE001 - the user decides what happens next
                answer = QMessageBox.question(
                    self, "Draft not saved",
                    f"This consult could not be saved as a draft:\n{exc}\n\nClose anyway and "
                    "lose it?")
                if answer != QMessageBox.StandardButton.Yes:
                    event.ignore()
                    return
        super().closeEvent(event)
