"""A stored consent in Glabella's own viewer: read-only, with print, the patient's copy,
and another PDF viewer for whoever wants one.

Opening writes no file: the pages come from the stored bytes. Only "Open in another
viewer" needs a file, and that one is private (0600 in a 0700 folder) and removed when
this window closes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

from app.ui import style
from app.ui.pdf_viewer import PdfViewer
from app.ui.widgets import label, row


class PdfWindow(QDialog):
    """One stored PDF, shown until closed; its private file (if any) goes with it."""

    def __init__(self, title: str, key: str, pdf: bytes, logs: Path | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{title} (read-only)")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.key, self.pdf = key, pdf
        self.private_file: Path | None = None  # the copy another viewer was given
        self.on_close: Callable[[PdfWindow], None] = lambda _w: None
        style.apply(self)
        self.viewer = PdfViewer(logs=logs)
        self.print_button = QPushButton("Print…")
        self.patient_print_button = QPushButton("Print for the patient…")
        self.patient_save_button = QPushButton("Save for the patient…")
        self.system_button = QPushButton("Open in another viewer")
        self.close_button = QPushButton("Close")
        for button, name in (
                (self.print_button, "Print the consent"),
                (self.patient_print_button,
                 "Print the patient's copy: the consent and the aftercare sheet"),
                (self.patient_save_button,
                 "Save the patient's copy to a USB stick or folder, with the aftercare sheet"),
                (self.system_button, "Open the PDF in this computer's own PDF viewer"),
                (self.close_button, "Close the document")):
            button.setAccessibleName(name)
            button.setToolTip(name)
        style.set_role(self.patient_print_button, "primary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.viewer, 1)
        layout.addLayout(row(self.print_button, self.system_button,
                             label("Copy for the patient:", "muted", wrap=False),
                             self.patient_print_button, self.patient_save_button,
                             self.close_button, stretch=False))
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Close, self).activated.connect(self.close)
        self.resize(1100, 760)
        self.viewer.show_pdf(key, pdf)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        super().showEvent(event)
        self.viewer.view.setFocus()  # PgUp/PgDn and Ctrl+plus/minus work at once

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.viewer.wait(5000)  # a render in progress must not outlive the window
        self.on_close(self)
        super().closeEvent(event)
