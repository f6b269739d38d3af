"""The clinic's identity: one random id (uuid4) per clinic, made once by m0016 and carried
by every backup (a backup is a copy of the database).

A restore compares it to tell this clinic's backups from another clinic's. It never changes
by accident: triggers refuse deleting or replacing the row, and an update is let through
only when the audit event just appended records that very change (``clinic.moved``, when
this computer moves to another clinic, or ``clinic.id_kept``, when a backup made before ids
existed is restored and takes the id this computer already had).
"""

from __future__ import annotations

import sqlite3
import uuid
from typing import TYPE_CHECKING

import sqlite_utils

from db import cipher
from db.errors import IMMUTABLE_MARKER
from db.migration_set import refusing_trigger
from db.migration_set import register as _migration

if TYPE_CHECKING:
    from db.store import Store

CLINIC_NAME_SETTING = "clinic.name"
CHANGE_EVENTS = ("clinic.moved", "clinic.id_kept")
IDENTITY_MESSAGE = (f"{IMMUTABLE_MARKER} the clinic id cannot be changed or deleted, except "
                    f"by a restore that records the change in the audit log.")

CLINIC_IDENTITY_SQL = """
CREATE TABLE clinic_identity (
    one INTEGER PRIMARY KEY NOT NULL CHECK (one = 1),   -- a single row
    clinic_id TEXT NOT NULL CHECK (length(clinic_id) = 36),
    created_at TEXT NOT NULL
)"""

# The newest audit event must name the old and the new id: the change and its record are
# written in one transaction, the event first.
_UPDATE_TRIGGER_SQL = f"""
CREATE TRIGGER clinic_identity_no_update
BEFORE UPDATE ON clinic_identity
WHEN NEW.one IS NOT OLD.one OR NOT EXISTS (
    SELECT 1 FROM audit_events
    WHERE seq = (SELECT max(seq) FROM audit_events)
      AND event IN {CHANGE_EVENTS!r}
      AND json_extract(details_json, '$.old_clinic_id') IS OLD.clinic_id
      AND json_extract(details_json, '$.new_clinic_id') IS NEW.clinic_id)
BEGIN
    SELECT RAISE(ABORT, '{IDENTITY_MESSAGE}');
END"""


def _refusing_trigger(name: str, timing: str, condition: str = "") -> str:
    return refusing_trigger("clinic_identity", name, timing, IDENTITY_MESSAGE, condition)


@_migration
def m0016_clinic_identity(database: sqlite_utils.Database) -> None:
    """The clinic's id, made here once: a restore refuses another clinic's backup by it."""
    database.execute(CLINIC_IDENTITY_SQL)
    database.execute("INSERT INTO clinic_identity (one, clinic_id, created_at)"
                     " VALUES (1, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                     [str(uuid.uuid4())])
    for statement in (
        _UPDATE_TRIGGER_SQL,
        _refusing_trigger("no_delete", "BEFORE DELETE"),
        # INSERT OR REPLACE would delete the row without the DELETE trigger firing
        _refusing_trigger("no_replace", "BEFORE INSERT",
                          "WHEN EXISTS (SELECT 1 FROM clinic_identity)"),
    ):
        database.execute(statement)


def clinic_id(conn: sqlite3.Connection, schema: str = "main") -> str | None:
    """The clinic's id in the database ``schema`` names; None before m0016 (no id yet)."""
    try:
        row = conn.execute(f"SELECT clinic_id FROM {schema}.clinic_identity").fetchone()
    except cipher.OperationalError:  # no such table: a database from before ids existed
        return None
    return str(row[0]) if row else None


def clinic_name(conn: sqlite3.Connection, schema: str = "main") -> str | None:
    """The clinic's name setting; None when it was never set."""
    row = conn.execute(f"SELECT value FROM {schema}.settings WHERE key = ?",
                       [CLINIC_NAME_SETTING]).fetchone()
    return str(row[0]) if row and str(row[0]).strip() else None


def change_clinic_id(store: Store, new_id: str, event: str, details: dict[str, object]
                     ) -> None:
    """Give the open database the id ``new_id``, recorded by ``event`` (one of
    CHANGE_EVENTS) with ``details``; both in one transaction."""
    with store.transaction():
        old_id = clinic_id(store.database.conn)
        store.log_event(event, details={**details, "old_clinic_id": old_id,
                                        "new_clinic_id": new_id})
        store.execute("UPDATE clinic_identity SET clinic_id = ?", [new_id])
