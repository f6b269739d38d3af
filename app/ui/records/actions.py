"""What staff can do with a stored consent: open (in Glabella's viewer), print, save a copy,
the patient's copy (printed or saved, with the aftercare sheet), verify; and verify a file.

Each action reports a failure (full disk, read-only folder, no printer, a damaged file) in a
message box in plain words and returns None; nothing here lets an exception reach Qt.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from app.base.errors import KnownError
from app.base.storage_errors import plain_reason
from app.document.private_copy import PrivateFiles
from app.document.verify import NotAPdfError, VerifyReport, read_pdf
from app.records.view_model import short_id, verify_view
from app.runtime.service import Glabella
from app.ui.records.verify_dialog import VerifyDialog
from app.ui.widgets import copies_folder

if TYPE_CHECKING:
    from app.ui.pdf_window import PdfWindow

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
        self.viewers: dict[str, PdfWindow] = {}  # consent id -> its open viewer
        self.private = PrivateFiles()  # files other programs read; never in exports/

    # -- one stored consent -------------------------------------------------------------------

    def open_consent(self, consent_id: str) -> PdfWindow | None:
        """Show the stored PDF in Glabella's own viewer (no file is written for that)."""
        from app.ui.pdf_window import PdfWindow

        if consent_id in self.viewers:
            shown = self.viewers[consent_id]
            shown.raise_()
            shown.activateWindow()
            return shown
        pdf = self._attempt("PDF not opened", "The consent PDF could not be opened",
                            lambda: self.service.records.pdf(consent_id))
        if pdf is None:
            return None
        stored = self.service.records.consent(consent_id)
        viewer = PdfWindow(f"Consent {short_id(consent_id)} — {stored.patient_name}",
                           consent_id, pdf, self.service.paths.logs, self.window)
        viewer.print_button.clicked.connect(lambda: self.print_consent(consent_id))
        viewer.patient_print_button.clicked.connect(
            lambda: self.print_consent(consent_id, for_patient=True))
        viewer.patient_save_button.clicked.connect(lambda: self.save_for_patient(consent_id))
        viewer.system_button.clicked.connect(lambda: self.open_elsewhere(viewer))
        viewer.on_close = self._viewer_closed
        self.viewers[consent_id] = viewer
        viewer.show()
        self.service.log("consent.viewed", consent_id=consent_id, actor=self.actor(),
                         details={"viewer": "glabella"})
        self.done.emit(f"Opened consent {short_id(consent_id)}")
        return viewer

    def open_elsewhere(self, viewer: PdfWindow) -> Path | None:
        """The system's PDF viewer, from a file only this user can read, removed on close."""
        def run() -> Path:
            name = f"consent-{short_id(viewer.key)}.pdf"
            viewer.private_file = path = self.private.write(name, viewer.pdf)
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                QMessageBox.warning(self.window, "No PDF viewer",
                                    "No other PDF viewer could be opened on this computer. "
                                    "The document stays open here.")
                return path
            self.service.log("consent.viewed", consent_id=viewer.key, actor=self.actor(),
                             details={"viewer": "system"})
            return path
        return self._attempt("PDF not opened", "The consent PDF could not be opened", run)

    def close_viewers(self) -> None:
        """Close every viewer (the records window closes, the screen locks)."""
        for viewer in list(self.viewers.values()):
            viewer.close()

    def save_for_patient(self, consent_id: str) -> list[Path] | None:
        """The patient's copy (the consent as stored and the aftercare sheet) to a USB stick
        or any folder they choose."""
        from app.document.patient_copy import save_patient_copy

        folder = QFileDialog.getExistingDirectory(
            self.window, "Save the patient's copy to… (their USB stick, or a folder)",
            str(Path.home()))
        if not folder:
            return None

        def run() -> list[Path]:
            with busy():
                copy = self.service.records.patient_copy(consent_id, self.service.clinic)
                saved = save_patient_copy(copy, Path(folder))
            self.service.log("consent.exported", consent_id=consent_id, actor=self.actor(),
                             details={"path": str(saved[0]), "patient_copy": True,
                                      "pdf_sha256": hashlib.sha256(copy.consent_pdf).hexdigest(),
                                      "files": [p.name for p in saved]})
            names = " and ".join(p.name for p in saved)
            QMessageBox.information(self.window, "Saved for the patient",
                                    f"Saved {names} in {folder}.\n\nThe drive can now be "
                                    f"removed.")
            self.done.emit(f"Saved the patient's copy: {folder}")
            return saved
        return self._attempt("Copy not saved", "The copy could not be saved", run)

    def save_copy(self, consent_id: str) -> Path | None:
        folder = QFileDialog.getExistingDirectory(
            self.window, "Save a copy of the consent PDF to…", copies_folder())
        if not folder:
            return None

        def run() -> Path:
            path = self.service.export_pdf(consent_id, Path(folder))
            self.done.emit(f"Saved a copy: {path}")
            return path
        return self._attempt("Copy not saved", "The copy could not be saved", run)

    def print_consent(self, consent_id: str, *, for_patient: bool = False) -> int | None:
        """Qt's print dialog, then every chosen page; the number of pages printed. The
        patient's copy is the consent as stored, then the aftercare sheet."""
        from app.ui.records.printing import page_count, print_pdfs

        documents = self._attempt(
            "Not printed", "The consent PDF could not be read",
            lambda: self.service.records.patient_copy(consent_id, self.service.clinic
                                                      ).documents() if for_patient else
            [self.service.records.pdf(consent_id)])
        if documents is None:
            return None
        pages = self._attempt("Not printed", "The consent PDF could not be prepared",
                              lambda: page_count(*documents))
        if pages is None:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{'Patient copy' if for_patient else 'Consent'} "
                           f"{short_id(consent_id)}")
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle("Print the patient's copy" if for_patient else "Print consent")
        dialog.setMinMax(1, pages)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None

        def run() -> int:
            with busy():
                printed = print_pdfs(documents, printer)
            where = printer.printerName() or printer.outputFileName()
            details: dict[str, object] = {"pages": printed, "printer": where}
            if for_patient:
                details["patient_copy"] = True
            self.service.log("consent.printed", consent_id=consent_id, actor=self.actor(),
                             details=details)
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

    def _viewer_closed(self, viewer: PdfWindow) -> None:
        self.viewers.pop(viewer.key, None)
        if viewer.private_file is not None:
            self.private.remove(viewer.private_file)

    def _show(self, what: str, report: VerifyReport) -> None:
        if self.verify_dialog is not None:
            self.verify_dialog.close()
        self.verify_dialog = VerifyDialog(what, verify_view(report), self.window)
        self.verify_dialog.open()

    def _attempt(self, title: str, failed: str, action: Callable[[], T]) -> T | None:
        try:
            return action()
        except (NotAPdfError, KnownError) as exc:  # a message written for the user
            QMessageBox.warning(self.window, title, str(exc))
        except Exception as exc:  # noqa: BLE001 - every failure is told, none is a traceback
            QMessageBox.critical(self.window, title, f"{failed}: {plain_reason(exc)}.")
        return None
