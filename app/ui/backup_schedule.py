"""Automatic backups while the window is open: shortly after start, then every hour a
check that makes one when the last is more than a day old.

The backup itself runs on a ``Background`` runner's thread with its own database connection,
so a large clinic's minute-long backup never freezes a consult; its outcome comes back on the
window's thread and is passed on as a signal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.base.paths import DataPaths
from app.runtime.bug_log import explain
from app.ui.background import Background
from app.upkeep.backup import BackupResult, backup_if_due_at

FIRST_CHECK_MS = 10_000  # after the window is up, so the backup never slows the start
CHECK_EVERY_MS = 60 * 60 * 1000


class BackupSchedule(QObject):
    """Runs ``backup_if_due_at`` for one data folder, one backup at a time."""

    made = Signal(object)  # BackupResult
    failed = Signal(str)  # a plain-words reason

    def __init__(self, paths: DataPaths, key: bytes, parent: QObject | None = None, *,
                 first_check_ms: int = FIRST_CHECK_MS, every_ms: int = CHECK_EVERY_MS,
                 run: Callable[[DataPaths, bytes], BackupResult | None] = backup_if_due_at
                 ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._key = key  # the clinic key: the worker opens its own encrypted connection
        self._run = run
        self._first_check_ms = first_check_ms
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self.check)
        self._background = Background(self)
        self._stopped = False

    def start(self) -> None:
        QTimer.singleShot(self._first_check_ms, self, self.check)
        self._timer.start()

    def busy(self) -> bool:
        return self._background.busy

    def check(self) -> None:
        """Start a backup off the window's thread if one is due and none is running."""
        if self._stopped or self.busy():
            return
        paths, key = self._paths, self._key
        self._background.run(lambda: self._run(paths, key), self._done, self._failed)

    def _done(self, result: BackupResult | None) -> None:
        if result is not None:
            self.made.emit(result)

    def _failed(self, exc: BaseException) -> None:
        """A failed backup must be seen: a known error's reason, else where the bug log is."""
        self.failed.emit(explain(exc, self._paths.logs, "The backup"))

    def stop(self) -> None:
        """No more checks; wait for a backup in progress, so no partial file is left."""
        self._stopped = True
        self._timer.stop()
        self._background.wait()
