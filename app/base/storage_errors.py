"""Why a write failed, in words clinic staff can act on (full disk, read-only, busy …)."""

from __future__ import annotations

import errno
from typing import Any

# re-exported: the window catches the storage layer's error without importing db
from db import cipher
from db.errors import StoreError as StoreError

# both drivers' error classes (sqlite3's and SQLCipher's), for the window to catch
DATABASE_ERRORS = cipher.Error

_FULL = "the disk is full"
_READ_ONLY = ("the folder or file is read-only for this account (or the drive is "
              "write-protected)")


def plain_reason(exc: BaseException) -> str:
    """The first cause in ``exc``'s chain that says something a person can fix."""
    seen: BaseException | None = exc
    while seen is not None:
        reason = _sqlite_reason(seen) if isinstance(seen, cipher.Error) else (
            _os_reason(seen) if isinstance(seen, OSError) else None)
        if reason:
            return reason
        seen = seen.__cause__ or seen.__context__
    return str(exc).rstrip(".")


def _sqlite_reason(exc: Any) -> str | None:
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL":
        return _FULL
    if name.startswith("SQLITE_READONLY"):
        return _READ_ONLY
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return ("the database is busy: another program kept it locked for longer than "
                "Glabella waits")
    if name.startswith("SQLITE_IOERR"):
        return ("the disk refused the write (it may be full, disconnected or failing)"
                f" [{name}]")
    if name.startswith("SQLITE_CANTOPEN"):
        return "the database file cannot be opened there (missing or read-only folder?)"
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return "the database file is damaged"
    return None


def _os_reason(exc: OSError) -> str | None:
    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return _FULL + where
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return _READ_ONLY + where
    if exc.errno == errno.ENOENT:
        return "the folder does not exist (is the drive connected?)" + where
    return (exc.strerror or str(exc)) + where
