"""Qt's own warnings (and worse) go to the bug log, next to the tracebacks.

Qt's messages are its diagnostics (a layout set twice, a font not found, a failed
connection), not the text in its widgets, so they are logged as they are; debug and info
messages are not logged at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from app.runtime.bug_log import log_event

_LEVELS = {QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
           QtMsgType.QtFatalMsg: logging.CRITICAL}
MAX_TEXT = 500  # one Qt message, however long


def install_qt_log(logs_dir: Path) -> Callable[[], None]:
    """Log Qt's warnings and above to ``logs_dir``; returns the undo."""

    def handler(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
        level = _LEVELS.get(kind)
        if level is None:
            return
        where = {"category": context.category or "default"}
        log_event(logs_dir, level, "qt.message", text[:MAX_TEXT], ids=where)

    previous = qInstallMessageHandler(handler)

    def restore() -> None:
        qInstallMessageHandler(previous)

    return restore
