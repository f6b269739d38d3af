"""The bug log: unexpected exceptions, with their tracebacks, in ``DATA/logs/glabella.log``.

A rotating file (1 MiB, five old files kept) that staff can send to IT. Known errors
(``KnownError``) are not bugs: their message is shown and nothing is logged.

What is written, and what never is. The log must never hold what a patient typed, so an
entry has the event name, the ids the caller passes, each exception's type and its stack
(file, line, function and that line of *our source code*) — no frame's local variables and
no exception *message*: a message may quote data (a ``ValueError`` naming a patient, a
``KeyError`` holding an answer), and the known errors whose messages we write ourselves are
not logged at all. Only codes that carry no personal data are kept in place of the message:
an ``OSError``'s errno and an ``sqlite3.Error``'s error name.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

from app.base.errors import KnownError
from app.base.private_files import make_folder, open_private

LOG_NAME = "glabella.log"
MAX_BYTES = 1 << 20
BACKUP_COUNT = 5
WITHHELD = "(message not logged: it may hold personal data)"

_loggers: dict[Path, logging.Logger] = {}
_lock = threading.Lock()


def log_path(logs_dir: Path) -> Path:
    return logs_dir / LOG_NAME


def _logger(logs_dir: Path) -> logging.Logger:
    """One logger per log file, never propagating to the root logger (or its handlers)."""
    path = log_path(logs_dir).resolve()
    with _lock:
        logger = _loggers.get(path)
        if logger is None:
            make_folder(path.parent)
            handler = _PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES,
                                                  backupCount=BACKUP_COUNT, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            logger = logging.Logger(f"glabella.bugs:{path}")  # not in logging's registry
            logger.addHandler(handler)
            _loggers[path] = logger
    return logger


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """Each log file, the new one after a rotation too, readable by this account only."""

    def _open(self) -> Any:
        return open_private(Path(self.baseFilename), self.mode, encoding=self.encoding,
                            errors=self.errors)


def close_logs() -> None:
    """Close every log file (tests, and a clean exit)."""
    with _lock:
        for logger in _loggers.values():
            for handler in list(logger.handlers):
                handler.close()
                logger.removeHandler(handler)
        _loggers.clear()


def _ids(ids: Mapping[str, object] | None) -> str:
    return "".join(f" {key}={value}" for key, value in (ids or {}).items())


def log_event(logs_dir: Path, level: int, event: str, text: str = "",
              ids: Mapping[str, object] | None = None) -> Path:
    """One line: ``event``, the ``ids`` and a ``text`` the caller vouches holds no personal
    data (Qt's own warnings, say). Returns the log file's path."""
    _logger(logs_dir).log(level, "%s%s%s", event, _ids(ids), f": {text}" if text else "")
    return log_path(logs_dir)


def log_bug(exc: BaseException, logs_dir: Path, event: str = "unexpected_error",
            ids: Mapping[str, object] | None = None) -> Path:
    """Write ``exc`` (type and traceback, no message) and return the log file's path."""
    _logger(logs_dir).error("%s%s\n%s", event, _ids(ids), describe(exc).rstrip("\n"))
    return log_path(logs_dir)


def describe(exc: BaseException) -> str:
    """``exc``'s traceback as Python prints it, causes first, with the messages withheld."""
    return "".join(_lines(exc, set()))


def _lines(exc: BaseException, seen: set[int]) -> list[str]:
    seen.add(id(exc))
    lines: list[str] = []
    cause, context = exc.__cause__, exc.__context__
    if cause is not None and id(cause) not in seen:
        lines += _lines(cause, seen)
        lines.append("\nThe above exception was the direct cause of the following "
                     "exception:\n\n")
    elif context is not None and not exc.__suppress_context__ and id(context) not in seen:
        lines += _lines(context, seen)
        lines.append("\nDuring handling of the above exception, another exception "
                     "occurred:\n\n")
    if exc.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        stack = traceback.StackSummary.extract(traceback.walk_tb(exc.__traceback__),
                                               capture_locals=False)
        lines += stack.format()
    kind = type(exc)
    lines.append(f"{kind.__module__}.{kind.__qualname__}: {_safe_detail(exc)}\n")
    return lines


def _safe_detail(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"errno {exc.errno} {WITHHELD}"
    # sqlite3's and sqlcipher3's errors alike carry the error's name (never patient data)
    name = getattr(exc, "sqlite_errorname", None)
    if isinstance(name, str) and name:
        return f"{name} {WITHHELD}"
    return WITHHELD


def explain(exc: BaseException, logs_dir: Path, what: str = "That") -> str:
    """What to tell the user about ``exc``: a known error's message as it is; for a bug,
    it is logged first and the text says ``what`` failed and where the details are."""
    if isinstance(exc, KnownError):
        return exc.message
    path = log_bug(exc, logs_dir)
    return (f"{what} failed unexpectedly (a fault in Glabella, not something you did). "
            f"The details are in {path}: please send that file to your IT contact.")


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def install_excepthook(handle: Callable[[BaseException], None]) -> Callable[[], None]:
    """Send every uncaught exception (in the main thread, or one escaping a Qt slot) to
    ``handle``; returns the function that puts the previous hook back."""
    previous: ExceptHook = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        try:
            handle(exc.with_traceback(tb))
        except Exception:  # noqa: BLE001 - the handler itself failed: Python's own report
            previous(kind, exc, tb)

    sys.excepthook = hook

    def restore() -> None:
        sys.excepthook = previous

    return restore
