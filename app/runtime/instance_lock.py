"""One running Glabella per data folder, by an operating-system lock on ``glabella.lock``.

The operating system drops the lock when the process ends, however it ends (a crash, a
kill, a power cut), so a stale lock file never keeps anyone out: only a live copy does.
SQLite would keep two copies from corrupting the database, but not from two windows
finalizing the same consult or a restore replacing the database under a running window.
"""

from __future__ import annotations

import errno
import getpass
import os
import sys
from pathlib import Path
from types import TracebackType
from typing import Self

from app.base.errors import KnownError
from app.base.private_files import FILE_MODE

ALREADY_OPEN = "Glabella is already open for this data folder (another window or another user)."


class AlreadyOpenError(KnownError):
    """Another running Glabella holds this data folder."""

    def __init__(self, path: Path, holder: str = "") -> None:
        self.path = path
        self.holder = holder
        self.message = (ALREADY_OPEN + (f" It was opened by {holder}." if holder else "")
                        + " Use that window, or close it first.")
        super().__init__(self.message)


class InstanceLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> Self:
        """Take the lock at once or raise AlreadyOpenError; OSError if the file is unusable."""
        if self._fd is not None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            if sys.platform != "win32":
                os.fchmod(fd, FILE_MODE)  # one made 0644 by an older version
            _lock(fd)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise AlreadyOpenError(self.path, holder) from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        _write_holder(fd)
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> Self:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


# Who holds the lock is written after byte 0, the byte Windows locks, so it stays readable.
_HOLDER_AT = 1


def _write_holder(fd: int) -> None:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this account (a container, say)
        user = "?"
    text = f"{user} on {_host_name()} (process {os.getpid()})"
    try:
        os.ftruncate(fd, _HOLDER_AT)
        os.lseek(fd, _HOLDER_AT, os.SEEK_SET)
        os.write(fd, text.encode("utf-8"))
    except OSError:  # only a courtesy for the next person's message
        pass


def _host_name() -> str:
    # the lock is taken before the first window is drawn: os.uname is free, while
    # importing socket costs a few milliseconds; Windows has no os.uname
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, _HOLDER_AT, os.SEEK_SET)
        return os.read(fd, 300).decode("utf-8", "replace").strip()
    except OSError:
        return ""


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:  # Windows reports a held lock as EACCES or EDEADLOCK
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                raise BlockingIOError(str(exc)) from exc
            raise

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
