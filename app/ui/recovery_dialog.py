"""The new clinic's recovery code, shown once: print it or write it down, then confirm.

A thin view: the code comes from the service (``Glabella.new_recovery_code``), which makes
it only when it made the key. Nothing here stores it; closing the dialog loses it for good,
so the close button waits for the confirmation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

INTRO = ("Glabella has made this clinic's key: every record on this computer is encrypted "
         "with it. If this computer is lost or replaced, the records (and their backups) can "
         "be opened again only with the recovery code below. Print it or write it down now "
         "and keep it somewhere safe, away from this computer. It is shown only this once.")
CONFIRM = "I have printed or written down the recovery code and will keep it safe"


class RecoveryCodeDialog(QDialog):
    """Shows ``code``; ``confirmed`` once staff tick the box and press Done."""

    confirmed = Signal()

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("The clinic's recovery code")
        self.setModal(True)
        self.code = code
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.code_label = QLabel(two_rows(code))
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(16)
        self.code_label.setFont(font)
        self.code_label.setWordWrap(True)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check = QCheckBox(CONFIRM)
        self.print_button = QPushButton("Print…")
        self.done_button = QPushButton("Done")
        self.done_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.code_label)
        layout.addWidget(self.check)
        layout.addLayout(buttons)
        self.check.toggled.connect(self.done_button.setEnabled)
        self.print_button.clicked.connect(self.print_code)
        self.done_button.clicked.connect(self._done)

    def page_text(self) -> str:
        """What the printed page says: the code and what it is for, no patient data."""
        return (f"<h2>Glabella: the clinic's recovery code</h2><p>{INTRO}</p>"
                f"<p style='font-family: monospace; font-size: 16pt'>{self.code}</p>"
                "<p>To use it: <code>glabella key recover</code> on the new computer, or "
                "<code>glabella restore FILE --code-file CODE.txt</code>.</p>")

    def print_code(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            document = QTextDocument()
            document.setHtml(self.page_text())
            document.print_(printer)

    def _done(self) -> None:
        if self.check.isChecked():
            self.confirmed.emit()
            self.accept()

    def reject(self) -> None:
        """Escape and the close button do nothing until the code is confirmed kept."""
        if self.check.isChecked():
            super().reject()


def two_rows(code: str) -> str:
    """The code's groups in two rows of about half each: easier to copy than one row that
    wraps wherever the dialog happens to be narrow."""
    groups = code.replace("-", " ").split()
    half = (len(groups) + 1) // 2
    return " ".join(groups[:half]) + "\n" + " ".join(groups[half:])
