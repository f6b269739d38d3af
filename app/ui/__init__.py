"""Glabella's desktop window (PySide6). Every Qt import in the project lives in this package."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.service import Glabella
from app.ui.backup_schedule import BackupSchedule
from app.ui.main_window import ConsultWindow

__all__ = ["ConsultWindow", "run_gui", "show_startup_error"]


def run_gui(service: Glabella, argv: list[str] | None = None) -> int:
    """Show the consult window for ``service`` and run the event loop; the exit code."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv if argv is None else argv)
        app.setApplicationName("Glabella")
        app.setApplicationDisplayName("Glabella")
    # the sign-in screen first; the consult's pages once it is on screen
    window = ConsultWindow(service, defer_consult=True)
    backups = BackupSchedule(service.paths)
    backups.failed.connect(window.backup_failed)
    bench = os.environ.get("GLABELLA_EXIT_WHEN_READY") == "1"
    if bench:  # for bench/bench_startup.py: "ready" when first drawn, "built" when whole
        window.first_painted.connect(lambda: print("ready", flush=True))
    window.first_painted.connect(window.build_consult)
    if bench:
        window.first_painted.connect(lambda: (print("built", flush=True), app.quit()))
    else:
        backups.start()
    window.show()
    try:
        return app.exec()
    finally:
        backups.stop()
        # Delete the window while Qt is still whole: left to interpreter shutdown, its
        # signal connections and popups are torn down in random order and Qt can crash.
        if window.isVisible():
            window.close()
        window.shutdown()  # also when patient mode kept the window from closing
        window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def show_startup_error(message: str, argv: list[str] | None = None) -> None:
    """Tell a user who started the app from an icon (no terminal) why it cannot open."""
    if QApplication.instance() is None:
        QApplication(sys.argv[:1] if argv is None else argv)
    QMessageBox.critical(None, "Glabella cannot start", message)
