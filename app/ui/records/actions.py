"""What staff can do with a stored consent: open, print, save a copy, verify; and verify a file.

Each action reports a failure (full disk, read-only folder, no printer, a damaged file) in a
message box in plain words and returns None; nothing here lets an exception reach Qt.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from app.base.storage_errors import plain_reason
from app.document.verify import NotAPdfError, VerifyReport, read_pdf
from app.records.view_model import short_id, verify_view
from app.runtime.service import Glabella
from app.ui.records.verify_dialog import VerifyDialog

T = TypeVar("T")


@contextmanager
def busy() -> Iterator[None]:
    """A wait cursor while pyHanko or PDFium works (the first check loads them)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class ConsentActions(QObject):
    """The actions, with ``parent`` owning their dialogs; ``done`` says what happened."""

    done = Signal(str)  # one line for the status bar, e.g. "Saved a copy: /path/…pdf"

    def __init__(self, service: Glabella, parent: QWidget,
                 actor: Callable[[], str | None] = lambda: None) -> None:
        super().__init__(parent)
        self.service = service
        self.window = parent
        self.actor = actor  # asked at each event: the staff signed in may change
        self.verify_dialog: VerifyDialog | None = None
        self._opened: dict[str, Path] = {}  # consent id -> its copy in the exports folder

    # -- one stored consent -------------------------------------------------------------------

    def open_consent(self, consent_id: str) -> Path | None:
        """Show the PDF in the system's viewer, from a copy in the exports folder."""
        def run() -> Path:
            path = self._exported_copy(consent_id)
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                QMessageBox.warning(self.window, "No PDF viewer",
                                    f"No PDF viewer could be opened on this computer. The "
                                    f"PDF was saved at:\n{path}")
                return path
            # logged once a viewer has it: a PDF nobody could open was not viewed
            self.service.log("consent.viewed", consent_id=consent_id, actor=self.actor(),
                             details={"path": str(path)})
            self.done.emit(f"Opened {path.name}")
            return path
        return self._attempt("PDF not opened", "The consent PDF could not be opened", run)

    def save_copy(self, consent_id: str) -> Path | None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Save a copy of the consent PDF to…", str(self.service.paths.exports))
        if not folder:
            return None

        def run() -> Path:
            path = self.service.export_pdf(consent_id, Path(folder))
            self.done.emit(f"Saved a copy: {path}")
            return path
        return self._attempt("Copy not saved", "The copy could not be saved", run)

    def print_consent(self, consent_id: str) -> int | None:
        """Qt's print dialog, then every chosen page; the number of pages printed."""
        from app.ui.records.printing import page_count, print_pdf

        pdf = self._attempt("Not printed", "The consent PDF could not be read",
                            lambda: self.service.records.pdf(consent_id))
        if pdf is None:
            return None
        pages = self._attempt("Not printed", "The consent PDF could not be prepared",
                              lambda: page_count(pdf))
        if pages is None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"Consent {short_id(consent_id)}")
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle("Print consent")
        dialog.setMinMax(1, pages)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None

        def run() -> int:
            with busy():
                printed = print_pdf(pdf, printer)
            where = printer.printerName() or printer.outputFileName()
            self.service.log("consent.printed", consent_id=consent_id, actor=self.actor(),
                             details={"pages": printed, "printer": where})
            self.done.emit(f"Sent {printed} page{'s' if printed != 1 else ''} to the printer.")
            return printed
        return self._attempt("Not printed", "The consent could not be printed", run)

    def verify_consent(self, consent_id: str) -> VerifyReport | None:
        """Check the stored PDF itself: certification, certifier, and the record's hash."""
        def run() -> VerifyReport:
            with busy():
                return self.service.verify_pdf(self.service.records.pdf(consent_id),
                                               f"stored record {short_id(consent_id)}")
        report = self._attempt("Not verified", "The consent could not be verified", run)
        if report is not None:
            self._show(f"Stored PDF of record {consent_id}", report)
        return report

    # -- any file -----------------------------------------------------------------------------

    def verify_file(self) -> VerifyReport | None:
        """Check a PDF from disk (an e-mailed or printed-to-file copy) against the records."""
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, "Verify a consent PDF", str(self.service.paths.exports),
            "PDF files (*.pdf);;All files (*)")
        if not chosen:
            return None
        path = Path(chosen)

        def run() -> VerifyReport:
            data = read_pdf(path)
            with busy():
                return self.service.verify_pdf(data, path.name)
        report = self._attempt("Not verified", "The file could not be verified", run)
        if report is not None:
            self._show(str(path), report)
        return report

    # -- helpers ------------------------------------------------------------------------------

    def _exported_copy(self, consent_id: str) -> Path:
        """The copy made by an earlier Open while it is still byte-identical, else a new one."""
        path = self._opened.get(consent_id)
        expected = self.service.records.consent(consent_id).pdf_sha256
        if path is None or not path.is_file() or \
                hashlib.sha256(path.read_bytes()).hexdigest() != expected:
            path = self.service.export_pdf(consent_id, self.service.paths.exports)
            self._opened[consent_id] = path
        return path

    def _show(self, what: str, report: VerifyReport) -> None:
        if self.verify_dialog is not None:
            self.verify_dialog.close()
        self.verify_dialog = VerifyDialog(what, verify_view(report), self.window)
        self.verify_dialog.open()

    def _attempt(self, title: str, failed: str, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except NotAPdfError as exc:
            QMessageBox.warning(self.window, title, str(exc))
        except Exception as exc:  # noqa: BLE001 - every failure is told, none is a traceback
            QMessageBox.critical(self.window, title, f"{failed}: {plain_reason(exc)}.")
        return None
