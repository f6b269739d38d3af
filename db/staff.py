"""The staff table, and the few plain reads the sign-in screen makes before the rest loads.

Plain DB-API (sqlcipher3) only, never sqlite-utils: the window's first screen reads the
staff list with a read-only connection of its own (``open_query_only``) before the store is
opened, and must stay fast. The writes take an open ``db.Store`` and run inside its
transaction, so a change and its audit event (logged by the caller) commit together.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db import cipher
from db.cipher import Key

if TYPE_CHECKING:
    from db.store import Store

# a member as the core builds it, in this order
MEMBER_COLUMNS = ("id", "full_name", "credentials", "role", "is_admin", "active", "created_at")
_MEMBER_SELECT = f"SELECT {', '.join(MEMBER_COLUMNS)} FROM staff"
PinRow = tuple[str, str, bytes, bytes]  # pin_kdf, pin_params (JSON), pin_salt, pin_hash


def open_query_only(database: Path, key: Key) -> sqlite3.Connection:
    """A read-only, query-only connection with the clinic key: a look that can never change
    the file."""
    conn = cipher.open_file(database, key, read_only=True, timeout=2)
    try:
        conn.execute("PRAGMA query_only = 1")
    except BaseException:
        conn.close()
        raise
    return conn


def member_rows(conn: sqlite3.Connection, *, include_inactive: bool = False
                ) -> list[tuple[Any, ...]]:
    """Staff rows (MEMBER_COLUMNS) active first, then by name; only active unless asked."""
    where = "" if include_inactive else " WHERE active = 1"
    return conn.execute(f"{_MEMBER_SELECT}{where} "
                        "ORDER BY active DESC, full_name COLLATE NOCASE, created_at").fetchall()


def member_row(conn: sqlite3.Connection, staff_id: str) -> tuple[Any, ...] | None:
    return conn.execute(f"{_MEMBER_SELECT} WHERE id = ?", [staff_id]).fetchone()


def pin_row(conn: sqlite3.Connection, staff_id: str) -> PinRow | None:
    """How one member's PIN is stored; None when there is no such member."""
    return conn.execute("SELECT pin_kdf, pin_params, pin_salt, pin_hash FROM staff "
                        "WHERE id = ?", [staff_id]).fetchone()


def is_active(conn: sqlite3.Connection, staff_id: str) -> bool:
    row = conn.execute("SELECT active FROM staff WHERE id = ?", [staff_id]).fetchone()
    return bool(row and row[0])


def setting(conn: sqlite3.Connection, key: str) -> str | None:
    """One setting read with a plain connection (``Store.get_setting`` once it is open)."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def staff_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM staff").fetchone()[0])


def active_admin_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute(
        "SELECT count(*) FROM staff WHERE active = 1 AND is_admin = 1").fetchone()[0])


def insert_member(store: Store, member: dict[str, Any], pin: PinRow, at: str) -> None:
    """Add an active member (MEMBER_COLUMNS but active) with the PIN as stored."""
    store.execute(
        "INSERT INTO staff (id, full_name, credentials, role, is_admin, active, "
        "created_at, pin_kdf, pin_params, pin_salt, pin_hash, pin_changed_at) "
        "VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)",
        [member["id"], member["full_name"], member["credentials"], member["role"],
         int(member["is_admin"]), at, *pin, at])


def set_active(store: Store, staff_id: str, active: bool) -> None:
    store.execute("UPDATE staff SET active = ? WHERE id = ?", [int(active), staff_id])


def set_pin(store: Store, staff_id: str, pin: PinRow, at: str) -> None:
    store.execute("UPDATE staff SET pin_kdf = ?, pin_params = ?, pin_salt = ?, pin_hash = ?, "
                  "pin_changed_at = ? WHERE id = ?", [*pin, at, staff_id])


def set_pin_hash(store: Store, staff_id: str, pin: PinRow) -> None:
    """The same PIN hashed again (at a higher cost): when it was chosen stays as it was."""
    store.execute("UPDATE staff SET pin_kdf = ?, pin_params = ?, pin_salt = ?, pin_hash = ? "
                  "WHERE id = ?", [*pin, staff_id])


def connection(store: Store) -> sqlite3.Connection:
    """The store's own plain connection, for the reads above."""
    return store.database.conn
