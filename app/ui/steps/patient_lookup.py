"""The Patient step's helpers for returning patients: the short list of patients on record
under the name field, and the question asked before a namesake is created as new."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from app.consult.returning import SUGGESTIONS
from app.records.search import PatientMatch
from app.ui.widgets import Banner, row

ROW_HEIGHT_LINES = 1.9  # a row of text and its padding, in lines of the list's font


def match_text(match: PatientMatch) -> str:
    """One row: who, born when, and how often seen (namesakes told apart at a glance)."""
    visits = ("no consent yet" if not match.consents else
              f"{match.consents} consent{'s' if match.consents != 1 else ''}, last "
              f"{(match.last_consent_at or '')[:10]}")
    return f"{match.full_name} · born {match.date_of_birth} · {visits}"


class Suggestions(QListWidget):
    """Patients on record matching the name typed so far; Down (from the name field) and
    Enter, or a click, picks one."""

    picked = Signal(object)  # PatientMatch

    def __init__(self, field: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.matches: list[PatientMatch] = []
        self.setAccessibleName("Patients on record matching the name")
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # a long row ends in "…" (its whole text is the tooltip), never a scroll bar
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVisible(False)
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)
        field.installEventFilter(self)

    def show_matches(self, matches: list[PatientMatch]) -> None:
        self.matches = matches
        self.clear()
        for match in matches:
            item = QListWidgetItem(match_text(match))
            item.setToolTip(match_text(match))
            item.setData(Qt.ItemDataRole.UserRole, match.id)
            self.addItem(item)
        # as tall as its rows: never a list to scroll inside
        rows = min(len(matches), SUGGESTIONS)
        self.setFixedHeight(round(rows * self.fontMetrics().height() * ROW_HEIGHT_LINES) + 6)
        self.setVisible(bool(matches))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down in the name field goes to the list, the first match chosen."""
        if watched is self.field and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down \
                and self.isVisible() and self.count():
            self.setFocus()
            self.setCurrentRow(0)
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self._activated(self.currentItem())
            return
        if event.key() == Qt.Key.Key_Up and self.currentRow() == 0 \
                or event.key() == Qt.Key.Key_Escape:
            self.field.setFocus()  # back to typing
            return
        super().keyPressEvent(event)

    def _activated(self, item: QListWidgetItem) -> None:
        row = self.row(item)
        if 0 <= row < len(self.matches):
            self.setVisible(False)
            self.picked.emit(self.matches[row])


class NamesakeBanner(Banner):
    """A new patient typed with the name and date of birth of one on record: ask which."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(kind="warning", parent=parent)
        self.match: PatientMatch | None = None
        self.use_existing = QPushButton("Use the existing record")
        self.create_new = QPushButton("A different person: create new")
        # under the text, not beside it: the question is read whole at any text size
        self.layout_.addLayout(row(self.use_existing, self.create_new))
        self.setVisible(False)

    def ask(self, match: PatientMatch | None) -> None:
        self.match = match
        self.setVisible(match is not None)
        if match is not None:
            self.set_text(f"Already on record with this name and date of birth: "
                          f"{match_text(match)}. Is this the same person?")
