"""Done: the stored record's id and PDF fingerprint, and getting the PDF out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from app.document.finalize import FinalizedConsent
from app.runtime.service import Glabella
from app.ui.steps.base import StepPage
from app.ui.style import set_role
from app.ui.widgets import Banner, Card, label, row

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
        self._opened: Path | None = None
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
        self.saved = label("", "ok", selectable=True)
        self.saved.setVisible(False)
        self.record.layout_.addWidget(self.saved)
        self.record.setVisible(False)
        self.body_layout.addWidget(self.record)
        self.body_layout.addStretch(1)

        self.open_button.clicked.connect(self.open_pdf)
        self.save_button.clicked.connect(self.save_pdf_to_folder)
        self.new_button.clicked.connect(self.new_consult_requested.emit)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only  # nothing here edits the consent

    def load(self) -> None:
        self.show_result(None)

    def show_result(self, result: FinalizedConsent | None) -> None:
        self.result = result
        self._opened = None
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

    def open_pdf(self) -> Path | None:
        """Write the PDF to the exports folder (once) and open it in the PDF viewer."""
        path = self._opened if self._opened and self._opened.exists() else None
        path = path or self.export(self.service.paths.exports)
        if path is None:
            return None
        self._opened = path
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self.saved.setText(f"No PDF viewer could be opened. The PDF is at: {path}")
            self.saved.setVisible(True)
        return path

    def save_pdf_to_folder(self) -> Path | None:
        folder = QFileDialog.getExistingDirectory(self, "Save the consent PDF to…",
                                                  str(self.service.paths.exports))
        return self.export(Path(folder)) if folder else None
