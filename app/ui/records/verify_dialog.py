"""The result of verifying a consent PDF, in plain words with the full report below."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from app.records.view_model import VerifyView
from app.ui.style import set_role
from app.ui.widgets import Banner, label

# the verdict is never told by colour alone
SYMBOLS = {"success": "✓", "warning": "!", "danger": "✗"}


class VerifyDialog(QDialog):
    def __init__(self, what: str, view: VerifyView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Verify consent PDF")
        self.setObjectName("page")  # the window's background, from the shared stylesheet
        self.setMinimumWidth(900)
        self.view = view
        self.subject = label(what, "muted", selectable=True)
        self.banner = Banner(f"{SYMBOLS[view.tone]}  {view.headline}", view.tone)
        set_role(self.banner.text_label, "h3")  # bold; the banner gives the colour
        self.banner.setAccessibleName("Verification result")
        self.banner.setAccessibleDescription(view.headline)
        self.facts = label("\n".join(view.facts), selectable=True)
        self.facts.setAccessibleName("What was checked")
        # The same report `glabella verify` prints, for a technician or a complaint file
        self.details = QPlainTextEdit("\n".join(view.details))
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setAccessibleName("Full verification report")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.subject)
        layout.addWidget(self.banner)
        layout.addWidget(self.facts)
        layout.addWidget(label("Full report", "h3"))
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        # measured once in the dialog, where the stylesheet's font size applies; long lines
        # wrap once or twice
        self.details.ensurePolished()
        lines = len(view.details) + 3
        self.details.setFixedHeight(lines * self.details.fontMetrics().lineSpacing() + 16)
        buttons.button(QDialogButtonBox.StandardButton.Close).setFocus()
