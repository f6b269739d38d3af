"""Done: the stored record's id and PDF fingerprint, getting the PDF out, and the patient's
copy to take away (printed, or saved to their USB stick, with the aftercare sheet)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from app.document.finalize import FinalizedConsent
from app.runtime.service import Glabella
from app.ui.pdf_window import PdfWindow
from app.ui.records.actions import ConsentActions
from app.ui.steps.base import StepPage
from app.ui.style import set_role
from app.ui.widgets import Banner, Card, copies_folder, label, row

NOT_YET = ("This consult is not finalized yet. When “Still needed” below is empty, press "
           "Finalize: the consent is then stored with its PDF and can no longer be changed.")


class DoneStep(StepPage):
    step_id = "done"
    title = "Done"
    intro = "The finalized consent, stored with its PDF."

    new_consult_requested = Signal()

    def __init__(self, service: Glabella, parent: QWidget | None = None) -> None:
        super().__init__(service, parent)
        self.result: FinalizedConsent | None = None
        # the injector of this consult is the one signed in when it is finalized
        self.consent_actions = ConsentActions(service, self, lambda: (
            self.consent.injector.display_name if self.consent and self.consent.injector
            else None))
        self.banner = Banner(NOT_YET, "info")
        self.body_layout.addWidget(self.banner)

        self.record = Card()
        self.record.layout_.addWidget(label("Record", "h2"))
        self.record.layout_.addWidget(label("Record id", "h3"))
        self.record_id = label("", "mono", selectable=True)
        self.record_id.setAccessibleName("Record id")
        self.record.layout_.addWidget(self.record_id)
        self.record.layout_.addWidget(label("PDF fingerprint (SHA-256)", "h3"))
        self.sha = label("", "mono", selectable=True)
        self.sha.setAccessibleName("PDF SHA-256")
        self.record.layout_.addWidget(self.sha)
        self.record.layout_.addWidget(label(
            "The fingerprint identifies this exact PDF: any later change to the file would "
            "change it.", "small"))
        self.open_button = QPushButton("Open PDF")
        set_role(self.open_button, "primary")
        self.save_button = QPushButton("Save PDF to folder…")
        self.new_button = QPushButton("Start a new consult")
        self.record.layout_.addLayout(row(self.open_button, self.save_button, self.new_button))
        self.record.layout_.addWidget(label("A copy for the patient", "h2"))
        self.record.layout_.addWidget(label(
            "The signed consent exactly as stored, and a page of aftercare advice (what to "
            "do, and when to get help) they can keep.", "small"))
        self.patient_print_button = QPushButton("Print for the patient…")
        self.patient_save_button = QPushButton("Save for the patient…")
        self.patient_print_button.setAccessibleName(
            "Print the patient's copy: the consent and the aftercare sheet")
        self.patient_save_button.setAccessibleName(
            "Save the patient's copy to their USB stick or a folder, with the aftercare sheet")
        self.record.layout_.addLayout(row(self.patient_print_button,
                                          self.patient_save_button))
        self.saved = label("", "ok", selectable=True)
        self.saved.setVisible(False)
        self.record.layout_.addWidget(self.saved)
        self.record.setVisible(False)
        self.body_layout.addWidget(self.record)
        self.body_layout.addStretch(1)

        self.open_button.clicked.connect(self.open_pdf)
        self.patient_print_button.clicked.connect(
            lambda: self.result and self.consent_actions.print_consent(self.result.consent_id,
                                                               for_patient=True))
        self.patient_save_button.clicked.connect(
            lambda: self.result and self.consent_actions.save_for_patient(self.result.consent_id))
        self.save_button.clicked.connect(self.save_pdf_to_folder)
        self.new_button.clicked.connect(self.new_consult_requested.emit)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only  # nothing here edits the consent

    def load(self) -> None:
        self.show_result(None)

    def show_result(self, result: FinalizedConsent | None) -> None:
        self.result = result
        self.consent_actions.close_viewers()  # a new consult: the last one's document closes
        self.record.setVisible(result is not None)
        self.saved.setVisible(False)
        if result is None:
            self.banner.set_kind("info")
            self.banner.set_text(NOT_YET)
            return
        self.banner.set_kind("success")
        self.banner.set_text("✓  Consent finalized and stored. It can no longer be changed.")
        self.record_id.setText(result.consent_id)
        self.sha.setText(result.pdf_sha256)

    def export(self, folder: Path) -> Path | None:
        """Write the PDF into ``folder``; None (after telling the user) when that fails."""
        if self.result is None:
            return None
        try:
            path = self.service.export_pdf(self.result.consent_id, folder)
        except Exception as exc:  # noqa: BLE001 - any failure is reported, never swallowed
            QMessageBox.warning(self, "PDF not saved", f"The PDF could not be saved:\n{exc}")
            return None
        self.saved.setText(f"Saved: {path}")
        self.saved.setVisible(True)
        return path

    def open_pdf(self) -> PdfWindow | None:
        """The stored PDF in Glabella's own viewer: no file is written to look at it."""
        return self.consent_actions.open_consent(self.result.consent_id) if self.result else None

    def save_pdf_to_folder(self) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, "Save the consent PDF to…",
                                                  copies_folder())
        return self.export(Path(folder)) if folder else None
