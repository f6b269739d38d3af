"""Glabella's desktop window (PySide6). Every Qt import in the project lives in this package.

``WindowStartup`` holds the window's start-up steps, one method each; the entry module
(``app.cli.main``) runs them in the order its docstring lists.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.ui.main_window import ConsultWindow

if TYPE_CHECKING:
    from app.runtime.first_screen import FirstScreen
    from app.runtime.service import Glabella
    from app.ui.backup_schedule import BackupSchedule
    from app.ui.bug_report import BugReport

__all__ = ["ConsultWindow", "WindowStartup", "show_startup_error"]

EXIT_CANNOT_OPEN = 2  # as the command line's usage errors


class WindowStartup:
    """The window's start-up, step by step, for records opened by ``open_service()``:
    at once (``first_screen`` None) or once the sign-in screen is drawn."""

    def __init__(self, open_service: Callable[[], Glabella], first_screen: FirstScreen | None,
                 argv: list[str] | None = None) -> None:
        self.open_service = open_service
        self.first_screen = first_screen
        self.argv = argv
        self.bench = os.environ.get("GLABELLA_EXIT_WHEN_READY") == "1"  # bench_startup.py
        self.app: QApplication = None  # type: ignore[assignment]  # made by make_application
        self.window: ConsultWindow = None  # type: ignore[assignment]  # made by show_sign_in
        self.backups: BackupSchedule | None = None
        self.bug_report: BugReport | None = None
        self.recovery_dialog: QDialog | None = None  # a new clinic's recovery code
        self._preloading = False
        self._undo: list[Callable[[], None]] = []  # the hooks installed, to take off
        self._qt_logged = False

    def make_application(self) -> None:
        app = QApplication.instance()
        if app is None:
            app = QApplication(sys.argv if self.argv is None else self.argv)
            app.setApplicationName("Glabella")
            app.setApplicationDisplayName("Glabella")
        self.app = app  # type: ignore[assignment]

    def show_sign_in(self) -> None:
        """The sign-in screen, from the first screen's three queries (or the open records)."""
        if self.first_screen is None:
            self.window = ConsultWindow(self.open_service(), defer_consult=True)
        else:
            self.window = ConsultWindow(None, first_screen=self.first_screen)
        self.window.service_needed.connect(self.attach_records)  # Sign in before the paint
        self.window.showMaximized()  # the whole screen, whatever its size

    def report_bugs(self) -> None:
        """An exception escaping a slot: logged (once the records say where), the consult
        kept as a draft, staff told; Qt's own warnings go to the same log."""
        from app.ui.bug_report import BugReport

        window = self.window
        self.bug_report = BugReport(
            window, lambda: window.service.paths.logs if window.attached else None,
            lambda: window.keep_draft() if window.attached else "",
            lambda: window.mode == "patient")
        self._undo.append(self.bug_report.install())

    def attach_records(self) -> bool:
        """Open the records and attach them; False (and the app ends) if they cannot open."""
        window = self.window
        if not window.attached:
            from app.runtime.service import OpenError

            try:
                window.attach(self.open_service())
            except Exception as exc:  # noqa: BLE001 - said, and the app ends: never hangs
                message = str(exc) if isinstance(exc, OpenError) else (
                    f"The clinic's records could not be opened: {exc}")
                print(f"glabella: {message}", file=sys.stderr)
                show_startup_error(message)
                self.app.exit(EXIT_CANNOT_OPEN)
                return False
        code = window.service.new_recovery_code
        if code is not None and self.recovery_dialog is None and not self.bench:
            # a new clinic: its recovery code, shown this once
            from app.ui.recovery_dialog import RecoveryCodeDialog

            self.recovery_dialog = RecoveryCodeDialog(code, window)
            self.recovery_dialog.open()  # window-modal, without blocking the start
        if not self._qt_logged:  # here: the log is in the data folder the records name
            from app.ui.qt_log import install_qt_log

            self._undo.append(install_qt_log(window.service.paths.logs))
            self._qt_logged = True
        if self.bench:
            print("opened", flush=True)
        return True

    def start_backups(self) -> bool:
        """The automatic backups' schedule (its first check a few seconds later)."""
        if self.backups is None:
            from app.ui.backup_schedule import BackupSchedule

            service = self.window.service
            self.backups = BackupSchedule(service.paths, service.database_key)
            self.backups.failed.connect(self.window.backup_failed)
            if not self.bench:
                self.backups.start()
        return True

    def build_consult(self) -> bool:
        self.window.build_consult()
        if self.bench:
            print("built", flush=True)
            self.app.quit()
        return True

    def preload(self) -> bool:
        """Load the finalize's libraries in the background, so the first finalize of the day
        is as quick as the others. On the review render's runner: reportlab's font registry
        is not thread-safe, and that runner does one job at a time, so a render (or the
        finalize, which waits for it) never overlaps the preload."""
        if not self.bench and not self._preloading:
            from app.document.preload import preload_finalize
            from app.runtime.bug_log import log_bug

            logs = self.window.service.paths.logs
            self.window.preview.background.run(  # a failure comes back at finalize: logged
                preload_finalize, lambda _none: None, lambda exc: log_bug(exc, logs, "preload"))
            self._preloading = True
        return True

    def run(self, after_first_paint: Sequence[Callable[[], bool]]) -> int:
        """The event loop; once the window is drawn, ``after_first_paint`` in order (until
        one returns False). The window is torn down before returning."""

        def first_painted() -> None:
            if self.bench:
                print("ready", flush=True)
            for step in after_first_paint:
                if not step():
                    return

        self.window.first_painted.connect(first_painted)
        try:
            return self.app.exec()
        finally:
            self.close()

    def close(self) -> None:
        if self.backups is not None:
            self.backups.stop()
        window = self.window
        # Delete the window while Qt is still whole: left to interpreter shutdown, its
        # signal connections and popups are torn down in random order and Qt can crash.
        if window.isVisible():
            window.close()
        window.shutdown()  # also when patient mode kept the window from closing
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        for undo in reversed(self._undo):
            undo()
        self._undo.clear()


def show_startup_error(message: str, argv: list[str] | None = None) -> None:
    """Tell a user who started the app from an icon (no terminal) why it cannot open."""
    if QApplication.instance() is None:
        QApplication(sys.argv[:1] if argv is None else argv)
    QMessageBox.critical(None, "Glabella cannot start", message)
