"""Noticing that nobody has touched the app for a while (mouse, keys, touch, pen)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress, QEvent.Type.TabletMove,
})


class IdleWatch(QObject):
    """Emits ``timed_out`` after ``interval`` ms without user input anywhere in the app.

    It watches the application's events (installed by its owner, removed with ``stop``);
    restarting the timer at most every quarter second keeps mouse moves cheap.
    """

    timed_out = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.timed_out.emit)
        self._last_poke = 0.0
        self._installed = False

    def start(self, minutes: float) -> None:
        self.set_interval_ms(int(minutes * 60_000))

    def set_interval_ms(self, ms: int) -> None:
        self.timer.setInterval(max(ms, 1))
        app = QApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False

    def is_running(self) -> bool:
        return self.timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            now = time.monotonic()
            if now - self._last_poke > 0.25:
                self._last_poke = now
                self.timer.start()
        return False
