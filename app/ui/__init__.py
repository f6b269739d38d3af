"""Glabella's desktop window (PySide6). Every Qt import in the project lives in this package."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from app.ui.main_window import ConsultWindow

if TYPE_CHECKING:
    from app.runtime.first_screen import FirstScreen
    from app.runtime.service import Glabella

__all__ = ["ConsultWindow", "run_gui", "run_gui_first", "show_startup_error"]

EXIT_CANNOT_OPEN = 2  # as the command line's usage errors


def run_gui(service: Glabella, argv: list[str] | None = None) -> int:
    """Show the consult window for an opened ``service`` and run the event loop."""
    return _run(lambda: service, None, argv)


def run_gui_first(first_screen: FirstScreen, open_service: Callable[[], Glabella],
                  argv: list[str] | None = None) -> int:
    """Show the sign-in screen from ``first_screen`` at once, then ``open_service()`` once
    it is drawn (or when Sign in is pressed first); an OpenError is shown, and ends it."""
    return _run(open_service, first_screen, argv)


def _run(open_service: Callable[[], Glabella], first_screen: FirstScreen | None,
         argv: list[str] | None) -> int:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv if argv is None else argv)
        app.setApplicationName("Glabella")
        app.setApplicationDisplayName("Glabella")
    bench = os.environ.get("GLABELLA_EXIT_WHEN_READY") == "1"
    # the sign-in screen first; the records (when not open yet) and the consult's pages
    # once it is on screen
    if first_screen is None:
        window = ConsultWindow(open_service(), defer_consult=True)
    else:
        window = ConsultWindow(None, first_screen=first_screen)
    backups = None

    def attach() -> bool:
        """The records open and the window has them; False (and the app ends) if not."""
        nonlocal backups
        if backups is not None:
            return True
        if not window.attached:
            from app.runtime.service import OpenError

            try:
                window.attach(open_service())
            except Exception as exc:  # noqa: BLE001 - said, and the app ends: never hangs
                message = str(exc) if isinstance(exc, OpenError) else (
                    f"The clinic's records could not be opened: {exc}")
                print(f"glabella: {message}", file=sys.stderr)
                show_startup_error(message)
                app.exit(EXIT_CANNOT_OPEN)
                return False
        from app.ui.backup_schedule import BackupSchedule

        backups = BackupSchedule(window.service.paths)
        backups.failed.connect(window.backup_failed)
        if not bench:
            backups.start()
        return True

    def after_first_paint() -> None:
        if bench:  # for bench/bench_startup.py: drawn, records open, whole
            print("ready", flush=True)
        if not attach():
            return
        if bench:
            print("opened", flush=True)
        window.build_consult()
        if bench:
            print("built", flush=True)
            app.quit()

    window.service_needed.connect(attach)
    window.first_painted.connect(after_first_paint)
    window.show()
    try:
        return app.exec()
    finally:
        if backups is not None:
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
