"""Open SQLite connections with the durability settings Glabella relies on."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import sqlite_utils

from db.errors import NotADatabaseError, StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
MEMORY = ":memory:"


def _check_is_sqlite_file(path: Path) -> None:
    """Raise NotADatabaseError unless path is absent, empty or an SQLite file."""
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
    if header and header != SQLITE_HEADER:
        raise NotADatabaseError(path, "it is not an SQLite file")


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at path with Glabella's PRAGMAs.

    Pass ":memory:" for a throwaway in-memory database.
    """
    if str(path) == MEMORY:
        database = sqlite_utils.Database(memory=True, execute_plugins=False)
    else:
        path = Path(path)
        # Check before SQLite opens the file: never write to a foreign file.
        _check_is_sqlite_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Plugins are skipped so third-party code cannot alter our connection.
            database = sqlite_utils.Database(path, execute_plugins=False)
        except sqlite3.Error as exc:
            raise StoreError(f"The records database '{path}' could not be opened ({exc}).") from exc
    try:
        _configure(database)
    except sqlite3.OperationalError as exc:
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
    except sqlite3.DatabaseError as exc:
        database.close()
        # Catches what the header check cannot, e.g. a corrupt or encrypted file.
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
