"""What the window does with an exception nobody caught (one escaping a Qt slot, say).

A known error (``KnownError``) is shown with its message; nothing is logged. Anything else
is a bug: it goes to the bug log (``DATA/logs/glabella.log``, without what was typed), the
consult in progress is kept as a draft, and staff are told where the log is. In patient mode
the patient only sees a short neutral message: no log path, nothing about the consult.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.base.errors import KnownError
from app.runtime.bug_log import install_excepthook, log_bug

TITLE = "Glabella"
PATIENT_MESSAGE = "Something went wrong on this screen. Please ask a member of staff."


class BugReport:
    """Shows known errors and reports bugs for one window; ``handle`` is the entry."""

    def __init__(self, parent: QWidget | None, logs_dir: Callable[[], Path | None],
                 keep_draft: Callable[[], str], patient_mode: Callable[[], bool]) -> None:
        self.parent = parent
        self.logs_dir = logs_dir  # None until the records are open (nowhere to write yet)
        self.keep_draft = keep_draft
        self.patient_mode = patient_mode
        self.reported: list[Path] = []  # the log files bugs went to, for tests and exit

    def handle(self, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            self._show(exc.message)
            return
        logs = self.logs_dir()
        where = ""
        if logs is not None:
            path = log_bug(exc, logs)
            self.reported.append(path)
            where = f" The details are in {path}: please send that file to your IT contact."
        kept = self._keep()
        self._show("Something unexpected went wrong: a fault in Glabella, not something you "
                   f"did. {kept}{where}")

    def install(self) -> Callable[[], None]:
        """Make this the handler of every uncaught exception; returns the undo."""
        return install_excepthook(self.handle)

    def _keep(self) -> str:
        try:
            kept = self.keep_draft()
        except Exception:  # noqa: BLE001 - the report must still be shown
            kept = "not saved"
        if not kept:
            return "There was no consult in progress to keep."
        if kept.startswith("not saved"):
            return ("The consult in progress is still open but could not be saved as a "
                    "draft: finish or print it before closing.")
        return "The consult in progress was kept as a draft."

    def _show(self, staff_text: str) -> None:
        if self.patient_mode():
            QMessageBox.warning(self.parent, TITLE, PATIENT_MESSAGE)
        else:
            QMessageBox.warning(self.parent, TITLE, staff_text)
