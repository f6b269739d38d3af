"""SQLCipher underneath every connection: the one place that opens a database file, applies
the clinic key, and names the exception classes of both drivers.

sqlcipher3's exceptions are its own classes, not sqlite3's, so code that catches a database
error catches one of the tuples below (``Error``, ``DatabaseError`` …), never the bare
sqlite3 class. The key is the raw 32-byte clinic key (random, so SQLCipher's PBKDF2 is
skipped with the ``x'…'`` form); ``None`` opens a plain file, which only the upgrade and
the reading of an old plain backup do.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlcipher3

SQLITE_HEADER = b"SQLite format 3\x00"

Error = (sqlite3.Error, sqlcipher3.Error)
DatabaseError = (sqlite3.DatabaseError, sqlcipher3.DatabaseError)
OperationalError = (sqlite3.OperationalError, sqlcipher3.OperationalError)
IntegrityError = (sqlite3.IntegrityError, sqlcipher3.IntegrityError)
Connection = (sqlite3.Connection, sqlcipher3.Connection)
# reading a damaged encrypted file: SQLCipher reports some pages that fail their HMAC as
# SQLITE_NOMEM, which the driver raises as MemoryError. Only checks that read a file known
# to be suspect catch it.
READ_ERRORS = (*Error, MemoryError)

Key = bytes | None
_SMALLEST_PAGE = 512
# reads the header on page 1 alone: a wrong key fails it, damage on later pages does not
FIRST_PAGE_READ = "PRAGMA schema_version"


def key_sql(key: bytes) -> str:
    """The raw-key form of SQLCipher's key: no passphrase derivation, the key is random."""
    if len(key) != 32:
        raise ValueError(f"a database key is 32 bytes, not {len(key)}")  # a bug, not a user's
    return f"\"x'{key.hex()}'\""


def open_file(path: str | Path, key: Key, *, read_only: bool = False,
              timeout: float = 5.0, check_same_thread: bool = True) -> Any:
    """An sqlcipher3 connection to ``path``, keyed when ``key`` is given. Nothing is read
    yet: a wrong key shows at the first query (SQLITE_NOTADB)."""
    if read_only:
        conn = sqlcipher3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                                  timeout=timeout, check_same_thread=check_same_thread)
    else:
        conn = sqlcipher3.connect(str(path), timeout=timeout,
                                  check_same_thread=check_same_thread)
    try:
        # SQLCipher writes its own error lines to stderr: ours say it in plain words instead
        conn.execute("PRAGMA cipher_log_level = NONE").fetchall()
        if key is not None:
            conn.execute(f"PRAGMA key = {key_sql(key)}").fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


def is_plain(path: Path) -> bool:
    """True when ``path`` starts with the plain SQLite header (an unencrypted database)."""
    try:
        with Path(path).open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def could_be_encrypted(path: Path) -> bool:
    """An SQLCipher file is whole pages (512 bytes the smallest) with no plain header; a
    file that is not cannot be one, whatever the key."""
    try:
        size = Path(path).stat().st_size
    except OSError:
        return False
    return size >= _SMALLEST_PAGE and size % _SMALLEST_PAGE == 0 and not is_plain(path)


def opens_with(path: Path, key: Key) -> bool:
    """Whether ``key`` (None: no key) opens the file at ``path``: its first page decrypts.
    Damage further in is the checks' to find and report (with the right key)."""
    try:
        conn = open_file(path, key, read_only=True)
    except Error:
        return False
    try:
        conn.execute(FIRST_PAGE_READ).fetchone()
        return True
    except Error:
        return False
    finally:
        conn.close()
