"""What backup, restore and doctor ask of a records database beyond the checks in db.checks:
copying it whole with SQLite's backup API, checkpointing it, and when it was last backed up.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import cipher
from db.audit_chain import last_event
from db.checks import startup_problems as file_startup_problems
from db.cipher import Key

if TYPE_CHECKING:
    from db.store import Store

BACKUP_EVENT = "backup.made"


def copy_database(source: sqlite3.Connection, target: Path, key: Key, *,
                  self_contained: bool = False) -> None:
    """Copy the database behind ``source`` into the file ``target`` (SQLite's online backup,
    safe while others read and write), encrypted with ``key``, which must be the source's
    own (SQLCipher copies pages as they are). ``self_contained``: leave it in
    rollback-journal mode, one file with no -wal beside it to lose on the way. ``target``
    is made readable by this account only (0600) first: SQLite would create it 0644 under
    the usual umask, and gives its -wal and -journal the database's mode."""
    target.touch(mode=0o600, exist_ok=True)  # a fresh path: a backup's, or a restore's
    dest = cipher.open_file(target, key)
    try:
        source.backup(dest)
        if self_contained:
            dest.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        dest.close()


def back_up_store(store: Store, target: Path) -> None:
    """A self-contained copy of the open store in ``target``, encrypted with its key."""
    copy_database(store.database.conn, target, store.key, self_contained=True)


def checkpoint(database: Path, key: Key) -> None:
    """Fold the -wal file into the database file and empty it (a cipher.Error if it cannot)."""
    conn = cipher.open_file(database, key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()


def consent_count(store: Store) -> int:
    return int(store.database.execute("SELECT count(*) FROM consents").fetchone()[0])


def last_backup(source: Store | sqlite3.Connection) -> tuple[str, dict[str, Any]] | None:
    """When the newest backup was logged and its details (path, size …); None if never."""
    conn = source if isinstance(source, cipher.Connection) else source.database.conn
    return last_event(conn, BACKUP_EVENT)


def integrity_check(store: Store) -> str:
    """The first line ``PRAGMA integrity_check`` gives ("ok" when sound)."""
    return str(store.execute("PRAGMA integrity_check").fetchone()[0])


def startup_problems(store: Store, size: int) -> list[str]:
    """The check run at every start on the open store (db.checks.startup_problems); an
    encrypted store's pages are authenticated as they are read."""
    return file_startup_problems(store.database.conn, size,
                                 pages_authenticated=store.key is not None)
