"""Record a patient's withdrawal of a signed consent: the reason and two signatures.

The withdrawal is its own certified record, linked to the consent it withdraws; the
consent itself is never changed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.consult.amendments import AmendmentError, clean_reason
from app.consult.consent import WITHDRAWAL_ROLES
from app.consult.patient import Injector, clean_text
from app.consult.signature_image import has_enough_ink, strokes_to_png
from app.document.finalize import FinalizedConsent, IncompleteConsentError
from app.records.view_model import ConsentRow
from app.runtime.service import Glabella, SaveFailed
from app.ui import style
from app.ui.signature_pad import SignaturePad
from app.ui.widgets import label

NOT_ENOUGH_INK = "needs a signature: more than a dot or a tick."


class SignerBox(QWidget):
    """One signer: their statement, printed name and signing pad."""

    def __init__(self, role_id: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = next(r for r in WITHDRAWAL_ROLES if r.id == role_id)
        self.name = QLineEdit(name)
        self.name.setMaxLength(200)
        self.name.setAccessibleName(f"{self.role.label}'s printed name")
        self.pad = SignaturePad(f"{self.role.label} signature pad")
        clear = QPushButton("Clear")
        clear.setAccessibleName(f"Clear the {self.role.label} signature pad")
        clear.clicked.connect(self.pad.clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label(self.role.label, "h3"))
        layout.addWidget(label(f"“{self.role.intent}”", "guidance"))
        layout.addWidget(self.name)
        layout.addWidget(self.pad)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(clear)
        layout.addLayout(row)

    def problem(self) -> str:
        if not clean_text(self.name.text()):
            return f"Type the {self.role.label.lower()}'s printed name."
        if not has_enough_ink(self.pad.strokes()):
            return f"The {self.role.label.lower()} {NOT_ENOUGH_INK}"
        return ""


class WithdrawalDialog(QDialog):
    """Reason, the patient's and a staff witness's signatures, then finalize."""

    recorded = Signal(object)  # the FinalizedConsent of the withdrawal

    def __init__(self, service: Glabella, row: ConsentRow, injector: Injector | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.row, self.injector = service, row, injector
        self.result_: FinalizedConsent | None = None
        stored = service.records.consent(row.id)
        self.setWindowTitle("Record withdrawal of consent")
        style.apply(self)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason for the withdrawal")
        self.reason.setPlaceholderText("Why the patient withdraws consent, in their words")
        self.reason.setFixedHeight(70)
        self.patient = SignerBox("patient", stored.patient_name)
        staff = injector.display_name if injector else stored.injector_name
        self.witness = SignerBox("witness", staff)
        self.error = label("", "error")
        self.error.setVisible(False)
        self.record_button = QPushButton("Record withdrawal")
        self.record_button.setAccessibleName("Record the withdrawal and certify it")
        style.set_role(self.record_button, "primary")
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        self.record_button.clicked.connect(self.record)

        layout = QVBoxLayout(self)
        layout.addWidget(label("Withdrawal of consent", "h2"))
        layout.addWidget(label(f"The patient withdraws consent {row.caption}, before the "
                               f"treatment is given. The consent stays stored unchanged; the "
                               f"withdrawal is a new certified record linked to it.", "muted"))
        layout.addWidget(label("Reason", "h3"))
        layout.addWidget(self.reason)
        layout.addWidget(self.patient)
        layout.addWidget(self.witness)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.record_button)
        layout.addLayout(buttons)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def record(self) -> FinalizedConsent | None:
        """Check, sign, finalize; on success emit ``recorded`` and close."""
        try:
            reason = clean_reason(self.reason.toPlainText(), "withdrawal")
        except AmendmentError as exc:
            self.show_error(exc.message)
            return None
        problems = [p for p in (self.patient.problem(), self.witness.problem()) if p]
        if problems:
            self.show_error(" ".join(problems))
            return None
        try:
            withdrawal = self.service.start_withdrawal(self.row.id, reason, self.injector)
            for box in (self.patient, self.witness):
                strokes = box.pad.strokes()
                withdrawal.sign(self.service.pack, box.role.id, clean_text(box.name.text()),
                                strokes_to_png(strokes), strokes, self.service.clock)
            result = self.service.finalize(withdrawal)
        except (AmendmentError, SaveFailed) as exc:
            self.show_error(exc.message)
            return None
        except IncompleteConsentError as exc:
            self.show_error(" ".join(m.message for m in exc.missing))
            return None
        except Exception as exc:  # noqa: BLE001 - rendering or signing: told, never a traceback
            self.show_error(f"The withdrawal could not be recorded: {exc}")
            return None
        self.result_ = result
        self.recorded.emit(result)
        self.accept()
        return result
