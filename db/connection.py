"""Open SQLite connections with the durability settings Glabella relies on: through
SQLCipher (db.cipher) with the clinic key, sqlite-utils on top."""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlite_utils

from db import cipher
from db.cipher import SQLITE_HEADER, Key
from db.errors import NotADatabaseError, PlainDatabaseError, StoreError, WrongKeyError

__all__ = ["MEMORY", "SQLITE_HEADER", "connect", "check_file"]

MEMORY = ":memory:"


def check_file(path: Path, key: Key) -> None:
    """Raise NotADatabaseError unless path is absent, empty or a database this key can be
    tried on: a plain SQLite file when key is None, else an encrypted one (a plain file
    given a key is PlainDatabaseError)."""
    if path.is_dir():
        raise NotADatabaseError(path, "it is a folder")
    if not path.exists():
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise NotADatabaseError(path, f"it could not be read: {exc.strerror}") from exc
    # SQLite treats a zero-byte file as a brand-new empty database.
    if not header:
        return
    if header == SQLITE_HEADER:
        if key is not None:
            raise PlainDatabaseError(path)
        return
    if key is None or not cipher.could_be_encrypted(path):
        raise NotADatabaseError(path, "it is not an SQLite file" + (
            ", or it is encrypted and no key was given" if key is None else ""))


def connect(path: str | Path, key: Key = None) -> sqlite_utils.Database:
    """Open (creating if needed) the database at path with Glabella's PRAGMAs, encrypted
    with ``key`` (the raw 32-byte clinic key; None only for a plain file).

    Pass ":memory:" for a throwaway in-memory database.
    """
    if str(path) == MEMORY:
        database = sqlite_utils.Database(memory=True, execute_plugins=False)
    else:
        path = Path(path)
        # Check before SQLite opens the file: never write to a foreign file.
        check_file(path, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Plugins are skipped so third-party code cannot alter our connection.
            database = sqlite_utils.Database(cipher.open_file(path, key),
                                             execute_plugins=False)
        except cipher.Error as exc:
            raise StoreError(f"The records database '{path}' could not be opened ({exc}).") from exc
    try:
        _configure(database)
    except cipher.OperationalError as exc:
        database.close()
        name = getattr(exc, "sqlite_errorname", "")
        if name.startswith("SQLITE_CANTOPEN"):
            # WAL mode needs its -shm and -wal files beside the database
            raise StoreError(f"The records database '{path}' could not be opened ({exc}): "
                             f"its folder may be read-only for this account.") from exc
        if name.startswith(("SQLITE_IOERR", "SQLITE_FULL")):
            # opening writes the -wal and -shm files: a full disk fails here, not later
            raise StoreError(f"The records database '{path}' could not be opened ({exc}): "
                             f"{_space_note(Path(path).parent)} Nothing in it has been changed; "
                             f"free some space on that drive, then start again.") from exc
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            raise StoreError(f"The records database '{path}' is kept busy by another "
                             f"program ({exc}); try again in a moment.") from exc
        raise NotADatabaseError(path, str(exc)) from exc
    except cipher.DatabaseError as exc:
        database.close()
        # Catches what the header check cannot: a corrupt file, or one the key does not open
        if key is not None and getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise WrongKeyError(path) from exc
        raise NotADatabaseError(path, str(exc)) from exc
    return database


def _space_note(folder: Path) -> str:
    """Plain words on the free space where the database lives, the usual cause of an I/O
    error at open."""
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return "the drive holding it may be full, failing or disconnected."
    if free < 1024 * 1024:
        return f"the drive holding it is full ({free // 1024} KB free)."
    return f"the drive holding it may be failing or disconnected ({free // 2**20:,} MB free)."


def _configure(database: sqlite_utils.Database) -> None:
    conn = database.conn
    # Touch the schema first so a corrupt file fails before we change anything.
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    # Wait for other writers instead of failing at once with "database is locked".
    conn.execute("PRAGMA busy_timeout=5000")
    # Off by default in SQLite; our REFERENCES clauses mean nothing without it.
    conn.execute("PRAGMA foreign_keys=ON")
    # journal_mode cannot change inside a transaction, hence autocommit.
    with database.ensure_autocommit_on():
        conn.execute("PRAGMA journal_mode=WAL").fetchone()
    # FULL fsyncs on every commit: a signed consent must survive a power cut.
    conn.execute("PRAGMA synchronous=FULL")
