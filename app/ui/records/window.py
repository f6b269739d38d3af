"""The records window: find a patient, see their consents or the whole register, and open,
print, save or verify a consent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.base.storage_errors import StoreError, plain_reason
from app.base.titles import window_title
from app.consult.amendments import AmendmentError, clean_reason
from app.consult.patient import Injector
from app.document.finalize import FinalizedConsent
from app.records.search import RecordsQueryError
from app.records.view_model import (
    ConsentRow,
    PatientRow,
    consents_heading,
    no_consent_message,
)
from app.runtime.service import Glabella
from app.ui import style
from app.ui.records.actions import ConsentActions
from app.ui.records.consent_list import ConsentList
from app.ui.records.filters import ConsentFilters
from app.ui.records.patient_search import PatientSearch
from app.ui.records.withdrawal_dialog import WithdrawalDialog
from app.ui.widgets import copies_folder, label

T = TypeVar("T")
NOTHING_CHOSEN = "Choose a consent in the list to open, print, save or verify it."


class RecordsWindow(QMainWindow):
    """Every stored consent, for staff: search, history, register, and the PDF's actions."""

    closed = Signal()
    amend_requested = Signal(str, str)  # the consent to amend, and why

    def __init__(self, service: Glabella, parent: QWidget | None = None, *,
                 actor: Callable[[], str | None] = lambda: None,
                 injector: Callable[[], Injector | None] = lambda: None) -> None:
        """``actor`` names the staff member signed in, for the audit log's viewed and
        printed events; ``injector`` is that member as the one recording a withdrawal."""
        super().__init__(parent)
        self.service = service
        self.injector = injector
        self.withdrawal_dialog: WithdrawalDialog | None = None
        self.patient: PatientRow | None = None
        self.setWindowTitle(window_title(service.clinic.name, "Records"))
        style.apply(self)
        self.setMinimumSize(*style.MIN_WINDOW)
        style.fit_to_screen(self)

        self.search = PatientSearch(service.records)
        self.filters = ConsentFilters(service.records, today=lambda: service.clock().date())
        self.consents = ConsentList()
        self.consent_actions = ConsentActions(service, self, actor)
        self.heading = label("", "h2")
        self.register_button = QPushButton("Show all consents")
        self.register_button.setAccessibleName("Show the register of all consents")
        keep_place = self.register_button.sizePolicy()
        keep_place.setRetainSizeWhenHidden(True)  # the heading does not jump when it hides
        self.register_button.setSizePolicy(keep_place)
        self.filter_error = label("", "error")
        self.filter_error.setVisible(False)
        self.selected = label(NOTHING_CHOSEN, "muted")
        self.selected.setAccessibleName("Chosen consent")
        self.open_button = QPushButton("Open")
        style.set_role(self.open_button, "primary")
        self.print_button = QPushButton("Print…")
        self.save_button = QPushButton("Save a copy…")
        self.verify_button = QPushButton("Verify")
        self.verify_file_button = QPushButton("Verify a file…")
        self.export_button = QPushButton("Export register (CSV)…")
        self.export_button.setAccessibleName("Export the register of all consents as CSV")
        self.export_button.setToolTip("Every consent, one row each, for a spreadsheet (no PDFs)")
        self.amend_button = QPushButton("Amend…")
        self.withdraw_button = QPushButton("Record withdrawal…")
        for button, name in ((self.open_button, "Open the consent PDF"),
                             (self.print_button, "Print the consent"),
                             (self.save_button, "Save a copy of the consent PDF"),
                             (self.verify_button, "Verify the stored consent PDF"),
                             (self.verify_file_button, "Verify a PDF file from disk"),
                             (self.amend_button, "Amend the consent"),
                             (self.withdraw_button, "Record the patient's withdrawal")):
            button.setAccessibleName(name)
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.setToolTip("Print the chosen consent (Ctrl+P)")
        self.verify_file_button.setToolTip(
            "Check any consent PDF (an e-mailed or saved copy) against this clinic's records")
        self._build_layout()
        self._set_tab_order()

        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.focus_search)
        self.search.chosen.connect(self._patient_chosen)
        self.search.confirmed.connect(self.consents.tree.setFocus)
        self.filters.changed.connect(self.reload)
        self.consents.chosen.connect(self._consent_chosen)
        self.consents.activated.connect(self.consent_actions.open_consent)
        self.register_button.clicked.connect(self.show_register)
        for button, action in ((self.open_button, self.consent_actions.open_consent),
                               (self.print_button, self.consent_actions.print_consent),
                               (self.save_button, self.consent_actions.save_copy),
                               (self.verify_button, self.consent_actions.verify_consent)):
            button.clicked.connect(lambda _=False, act=action: self.on_selected(act))
        self.verify_file_button.clicked.connect(self.consent_actions.verify_file)
        self.export_button.clicked.connect(self.export_register)
        self.amend_button.clicked.connect(self.amend)
        self.withdraw_button.clicked.connect(self.record_withdrawal)
        self.consent_actions.done.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self._consent_chosen(None)
        self.reload()

    # -- building -----------------------------------------------------------------------------

    def _build_layout(self) -> None:
        title = label("Records", "h1", wrap=False)
        clinic = label(self.service.clinic.name, "muted", wrap=False)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(title)
        top.addWidget(clinic, 0, Qt.AlignmentFlag.AlignBaseline)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.verify_file_button)

        heading = QHBoxLayout()
        heading.addWidget(self.heading, 1)
        heading.addWidget(self.register_button)
        actions = QHBoxLayout()
        actions.setSpacing(10)
        actions.addWidget(self.selected, 1)
        for button in (self.open_button, self.print_button, self.save_button,
                       self.verify_button, self.amend_button, self.withdraw_button):
            actions.addWidget(button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(16, 0, 0, 0)
        right_layout.setSpacing(10)
        right_layout.addLayout(heading)
        right_layout.addWidget(self.filters)
        right_layout.addWidget(self.filter_error)
        right_layout.addWidget(self.consents, 1)
        right_layout.addLayout(actions)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        self.search.setMinimumWidth(280)
        splitter.addWidget(self.search)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 1010])
        splitter.setHandleWidth(1)

        page = QWidget()
        page.setObjectName("page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(20, 14, 20, 10)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(page)

    def _set_tab_order(self) -> None:
        f = self.filters
        chain = [self.search.box, self.search.results, self.register_button, f.date_from,
                 f.date_to, f.product, f.injector, f.clear_button, self.consents.tree,
                 self.open_button, self.print_button, self.save_button, self.verify_button,
                 self.amend_button, self.withdraw_button, self.export_button,
                 self.verify_file_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # -- what is listed -----------------------------------------------------------------------

    def reload(self) -> None:
        """List the chosen patient's consents, or the register, through the filters."""
        where = self.filters.consent_filter(self.patient.id if self.patient else None)
        try:
            rows = [ConsentRow.of(c) for c in self.service.records.list_consents(where)]
            error = ""
        except RecordsQueryError as exc:
            rows, error = [], exc.message
        self.filter_error.setText(error)
        self.filter_error.setVisible(bool(error))
        self.heading.setText(consents_heading(self.patient, len(rows), where.limit))
        self.register_button.setVisible(self.patient is not None)
        self.consents.show_rows(
            rows, with_patient=self.patient is None,
            empty=error or no_consent_message(self.patient, self.filters.is_set()))

    def refresh(self) -> None:
        """Read everything again: connect the consult window's ``finalized`` signal here."""
        self.filters.reload_choices()
        self.search.refresh()
        self.reload()

    def show_register(self) -> None:
        self.search.choose(None)

    def focus_search(self) -> None:
        self.search.box.setFocus()
        self.search.box.selectAll()

    def _patient_chosen(self, patient: PatientRow | None) -> None:
        self.patient = patient
        self.reload()

    def _consent_chosen(self, row: ConsentRow | None) -> None:
        self.selected.setText(row.caption if row else NOTHING_CHOSEN)
        for button in (self.open_button, self.print_button, self.save_button,
                       self.verify_button):
            button.setEnabled(row is not None)
        # only the newest record of a chain that is not withdrawn can be amended or withdrawn
        why = "" if row is None or row.can_amend else (
            "A withdrawal cannot be amended or withdrawn." if row.kind == "Withdrawal"
            else f"This consent is {row.status.lower()}: choose the newest record of its "
                 f"chain.")
        for button in (self.amend_button, self.withdraw_button):
            button.setEnabled(row is not None and row.can_amend)
            button.setToolTip(why)

    # -- the chosen consent -------------------------------------------------------------------

    def selected_id(self) -> str | None:
        row = self.consents.current()
        return row.id if row else None

    def on_selected(self, action: Callable[[str], T]) -> T | None:
        """Run one of ``consent_actions`` on the chosen consent, if there is one."""
        consent_id = self.selected_id()
        return action(consent_id) if consent_id else None

    def export_register(self) -> Path | None:
        """The register as CSV, where staff choose; what went wrong said in plain words."""
        default = Path(copies_folder()) / f"register-{self.service.clock():%Y-%m-%d}.csv"
        chosen, _ = QFileDialog.getSaveFileName(self, "Export the register (CSV)", str(default),
                                                "CSV files (*.csv)")
        if not chosen:
            return None
        path = Path(chosen) if chosen.lower().endswith(".csv") else Path(chosen + ".csv")
        try:
            rows = self.service.records.export_register(path)
        except (OSError, StoreError) as exc:
            QMessageBox.critical(self, "Register not exported",
                                 f"The register could not be saved to {path}: "
                                 f"{plain_reason(exc)}. Nothing was written there; choose "
                                 f"another folder or drive.")
            return None
        self.statusBar().showMessage(
            f"Exported {rows:,} consent{'' if rows == 1 else 's'} to {path}.", 15000)
        return path

    # -- amendments and withdrawals -------------------------------------------------------------

    def amend(self) -> bool:
        """Ask why, then hand the chosen consent to the consult window to amend."""
        row = self.consents.current()
        if row is None:
            return False
        text, ok = QInputDialog.getMultiLineText(
            self, "Amend consent", f"{row.caption}\n\nWhy is this consent amended? (The "
            f"original stays stored unchanged; the amendment is signed again.)")
        if not ok:
            return False
        try:
            reason = clean_reason(text)
            self.service.records.check_amendable(row.id)
        except AmendmentError as exc:
            QMessageBox.warning(self, "Not amended", exc.message)
            return False
        self.amend_requested.emit(row.id, reason)
        return True

    def record_withdrawal(self) -> WithdrawalDialog | None:
        """The withdrawal dialog for the chosen consent (reason, two signatures)."""
        row = self.consents.current()
        if row is None or not row.can_amend:
            return None
        if self.withdrawal_dialog is not None:
            self.withdrawal_dialog.close()
        self.withdrawal_dialog = WithdrawalDialog(self.service, row, self.injector(), self)
        self.withdrawal_dialog.recorded.connect(self._withdrawal_recorded)
        self.withdrawal_dialog.open()
        return self.withdrawal_dialog

    def _withdrawal_recorded(self, result: FinalizedConsent) -> None:
        self.refresh()
        self.consents.select(result.consent_id)
        self.statusBar().showMessage(
            f"Withdrawal recorded and certified as record {result.consent_id[:8]}.", 15000)

    # -- window -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not event.spontaneous():  # opened again from the main window, not un-minimised
            self.refresh()
            self.focus_search()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.consent_actions.close_viewers()  # no record stays open behind a lock
        super().closeEvent(event)
        self.closed.emit()
