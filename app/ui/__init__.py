"""Glabella's desktop window (PySide6). Every Qt import in the project lives in this package."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QTimer
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
    window = ConsultWindow(service)
    backups = BackupSchedule(service.paths)
    backups.failed.connect(window.backup_failed)
    window.show()
    if os.environ.get("GLABELLA_EXIT_WHEN_READY") == "1":
        # for bench/bench_startup.py: the first turn of the event loop after the window
        # (sign-in or consult) is shown is "ready"; no backup is started
        QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))
    else:
        backups.start()
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
