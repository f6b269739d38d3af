"""One way to run work off the window's thread: ``Background(parent).run(work, on_done,
on_error)``.

``work`` runs on a small thread pool of the runner's own (one thread by default, so jobs
run one after another, in order); its result or exception comes back by a queued signal,
so ``on_done`` and ``on_error`` always run on the window's thread, where widgets may be
touched. ``wait()`` lets the jobs in progress finish (before closing or finalizing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal

T = TypeVar("T")


class Background(QObject):
    """Runs callables on its own pool and delivers their outcome on the window's thread."""

    # emitted on the pool's thread; the slot (a bound method of this object, which lives
    # on the window's thread) is then called from that thread's event loop
    _delivered = Signal(object)

    def __init__(self, parent: QObject | None = None, *, threads: int = 1) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._running = 0
        self._delivered.connect(self._deliver)

    @property
    def busy(self) -> bool:
        """Whether a job is queued, running, or its outcome not yet delivered."""
        return self._running > 0

    def run(self, work: Callable[[], T], on_done: Callable[[T], object],
            on_error: Callable[[BaseException], object]) -> None:
        """Start ``work``; then ``on_done(result)`` or ``on_error(exception)``."""
        self._running += 1
        delivered = self._delivered

        def job() -> None:
            try:
                result = work()
            except Exception as exc:  # noqa: BLE001 - handed to on_error on the window's thread
                failure = exc  # ``exc`` itself is unbound when the except block ends
                delivered.emit(lambda: on_error(failure))
            else:
                delivered.emit(lambda: on_done(result))

        self._pool.start(job)

    def wait(self, ms: int = -1) -> bool:
        """Let the jobs finish (their outcomes are delivered by the event loop after);
        False if ``ms`` passed first."""
        return self._pool.waitForDone(ms)

    def _deliver(self, call: Callable[[], Any]) -> None:
        self._running -= 1
        call()
