"""Noticing that the consult window was left: another program's window was activated (Alt+Tab,
a click elsewhere, the desktop) or the window was minimised. Patient mode locks then."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

# Qt may have no active window for a moment while focus moves between two of its own
# windows (or while going full screen); only a window still left after this counts.
SETTLE_MS = 150

# a change of activation; a change of state (full screen at hand-over, say) only when it
# minimises: a window that was not active to begin with has not been left
WATCHED = (QEvent.Type.WindowDeactivate, QEvent.Type.ActivationChange)


def belongs_to(window: QWidget, other: QWidget | None) -> bool:
    """Whether ``other`` is ``window`` or one of its own dialogs (a message box, say)."""
    while other is not None:
        if other is window:
            return True
        other = other.parentWidget()
    return False


class FocusWatch(QObject):
    """Calls ``left()`` when ``window`` is minimised, or the active window is no longer it
    or one of its dialogs."""

    def __init__(self, window: QWidget, left: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._left = left
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._check)
        window.installEventFilter(self)

    def stop(self) -> None:
        """The window is shutting down: nothing more to watch."""
        self._window.removeEventFilter(self)
        self._settle.stop()

    def is_left(self) -> bool:
        if self._window.isMinimized():
            return True
        return not belongs_to(self._window, QApplication.activeWindow())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is not self._window:
            return False
        if event.type() == QEvent.Type.WindowStateChange and self._window.isMinimized():
            self._left()  # nothing to settle: lock before anything else is drawn
        elif event.type() in WATCHED:
            self._settle.start()
        return False

    def _check(self) -> None:
        if self._window.isVisible() and self.is_left():
            self._left()
