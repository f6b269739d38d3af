"""Automatic backups while the window is open: shortly after start, then every hour a
check that makes one when the last is more than a day old.

The backup itself runs on a worker thread with its own database connection, so a large
clinic's minute-long backup never freezes a consult. Results come back as signals, which Qt
delivers on the window's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.base.paths import DataPaths
from app.upkeep.backup import BackupError, BackupResult, backup_if_due_at

FIRST_CHECK_MS = 10_000  # after the window is up, so the backup never slows the start
CHECK_EVERY_MS = 60 * 60 * 1000


class BackupSchedule(QObject):
    """Runs ``backup_if_due_at`` for one data folder, one backup at a time."""

    made = Signal(object)  # BackupResult
    failed = Signal(str)  # a plain-words reason

    def __init__(self, paths: DataPaths, parent: QObject | None = None, *,
                 first_check_ms: int = FIRST_CHECK_MS, every_ms: int = CHECK_EVERY_MS,
                 run: Callable[[DataPaths], BackupResult | None] = backup_if_due_at) -> None:
        super().__init__(parent)
        self._paths = paths
        self._run = run
        self._first_check_ms = first_check_ms
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self.check)
        self._worker: threading.Thread | None = None
        self._stopped = False

    def start(self) -> None:
        QTimer.singleShot(self._first_check_ms, self, self.check)
        self._timer.start()

    def busy(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def check(self) -> None:
        """Start a backup on a worker thread if one is due and none is running."""
        if self._stopped or self.busy():
            return
        self._worker = threading.Thread(target=self._work, name="glabella-backup")
        self._worker.start()

    def _work(self) -> None:
        try:
            result = self._run(self._paths)
        except BackupError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:  # noqa: BLE001 - a failed backup must be seen, not crash
            self.failed.emit(f"The automatic backup failed unexpectedly: {exc}")
        else:
            if result is not None:
                self.made.emit(result)

    def stop(self) -> None:
        """No more checks; wait for a backup in progress, so no partial file is left."""
        self._stopped = True
        self._timer.stop()
        if self._worker is not None:
            self._worker.join()
