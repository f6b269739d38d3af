"""The search box and the patients it finds, updated as the user types."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from app.records.search import RecordsQueryError
from app.records.shelf import Records
from app.records.view_model import PatientRow, no_patient_message, plural, search_hint
from app.ui.style import FIELD_HEIGHT, set_role
from app.ui.widgets import label, quietly

DEBOUNCE_MS = 150  # one search after a pause in typing, not one per key


class PatientSearch(QWidget):
    """Finds patients by name or date of birth; the chosen one drives the consent list."""

    chosen = Signal(object)  # PatientRow, or None when no patient is chosen
    confirmed = Signal()  # Enter on a patient: the user wants their consents

    def __init__(self, records: Records, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.rows: list[PatientRow] = []
        self.box = QLineEdit()
        self.box.setPlaceholderText("Name or date of birth")
        self.box.setClearButtonEnabled(True)
        self.box.setMinimumHeight(FIELD_HEIGHT)
        self.box.setAccessibleName("Search patients")
        self.box.setAccessibleDescription(search_hint())
        self.box.installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)

        self.results = QTreeWidget()
        # one column of two-line entries: a narrow panel still shows whole names
        self.results.setHeaderHidden(True)
        self.results.setRootIsDecorated(False)
        self.results.setWordWrap(True)
        self.results.setAccessibleName("Matching patients")
        self.status = label("", "muted")
        self.status.setAccessibleName("Search result")

        caption = label("Find a patient", "h2")
        caption.setBuddy(self.box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(caption)
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)

        self.box.textChanged.connect(self.timer.start)
        self.box.returnPressed.connect(self._enter)
        self.timer.timeout.connect(self.search_now)
        self.results.currentItemChanged.connect(self._current_changed)
        self.results.itemActivated.connect(lambda *_: self.confirmed.emit())
        self._show([], search_hint(), "muted")

    def search_now(self) -> None:
        """Run the search for the box's text at once (the timer calls this after a pause)."""
        self.timer.stop()
        text = self.box.text().strip()
        previous = self.current()
        try:
            matches = self.records.search_patients(text) if text else []
        except RecordsQueryError as exc:
            self._show([], exc.message, "error")
        else:
            if not text:
                self._show([], search_hint(), "muted")
            elif not matches:
                self._show([], no_patient_message(text), "error")
            else:
                self._show([PatientRow.of(m) for m in matches],
                           f"{plural(len(matches), 'patient')} found", "muted")
        # Keep the chosen patient while they still match; one match is chosen outright,
        # so a date of birth typed in full shows that patient's consents at once.
        ids = [r.id for r in self.rows]
        keep = previous.id if previous and previous.id in ids else (
            ids[0] if len(ids) == 1 else None)
        self._select(keep, previous)

    def current(self) -> PatientRow | None:
        item = self.results.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def choose(self, patient_id: str | None) -> None:
        """Make ``patient_id`` (one of the results, or None) the chosen patient."""
        self._select(patient_id, self.current())

    def _select(self, patient_id: str | None, before: PatientRow | None) -> None:
        index = next((i for i, r in enumerate(self.rows) if r.id == patient_id), -1)
        with quietly(self.results):
            # None clears the current item, which PySide6's stubs leave out
            self.results.setCurrentItem(self.results.topLevelItem(index) if index >= 0  # type: ignore[arg-type]
                                        else None)
        after = self.current()
        if after != before:
            self.chosen.emit(after)

    def refresh(self) -> None:
        """Search again: consents may have been finalized since (their counts change)."""
        if self.box.text().strip():
            self.search_now()

    def _show(self, rows: list[PatientRow], status: str, role: str) -> None:
        with quietly(self.results):
            self.results.clear()
            for r in rows:
                item = QTreeWidgetItem([f"{r.name}\n{r.details}"])
                item.setData(0, Qt.ItemDataRole.UserRole, r)
                item.setToolTip(0, f"{r.name}, {r.details}, {r.last}")
                self.results.addTopLevelItem(item)
        self.rows = rows
        self.status.setText(status)
        set_role(self.status, role)

    def _current_changed(self, *_: object) -> None:
        self.chosen.emit(self.current())

    def _enter(self) -> None:
        self.search_now()  # Enter before the pause is over searches what was typed
        if self.rows:
            if self.current() is None:
                self.choose(self.rows[0].id)
            self.confirmed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Down from the box walks into the results, as in any search field
        if watched is self.box and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down \
                and self.rows:
            self.results.setFocus()
            if self.current() is None:
                self.choose(self.rows[0].id)
            return True
        return super().eventFilter(watched, event)
