"""What a restore would change, read from the live database and the backup side by side.

Both are opened read-only: the plan is made before anything changes, and a backup being
looked at must stay exactly as it was. Records are compared by their ids, never by names.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from db import cipher

# The records a restore can lose or bring back, by table; each is keyed by a text id.
COMPARED_TABLES = ("consents", "patients", "audit_events")
BACKUP_SCHEMA = "backup"
IDENTITY_EVENTS = ("signing.identity_created", "signing.identity_replaced")


def attach_read_only(conn: Any, path: Path, key: bytes | None,
                     schema: str = BACKUP_SCHEMA) -> None:
    """Attach the file ``path`` to ``conn`` (opened with ``uri=True``) as ``schema``,
    without the power to change it, with its own key (None: a plain file, which SQLCipher
    attaches with an empty key)."""
    conn.execute(f"ATTACH DATABASE ? AS {schema} KEY "
                 + (cipher.key_sql(key) if key is not None else "''"),
                 [f"{Path(path).resolve().as_uri()}?mode=ro"])


def missing_counts(conn: sqlite3.Connection, have: str, lack: str) -> dict[str, int]:
    """How many consents, patients and audit events the database ``have`` holds whose ids
    the database ``lack`` does not (both schemas of ``conn``: "main" or an attached one)."""
    counts = {}
    for table in COMPARED_TABLES:
        # both sides by their id index alone: the consents' rows, with their PDFs, are not read
        row = conn.execute(
            f"SELECT count(*) FROM {have}.{table} AS h"
            f" WHERE NOT EXISTS (SELECT 1 FROM {lack}.{table} AS l WHERE l.id = h.id)"
        ).fetchone()
        counts[table] = int(row[0])
    return counts


def all_counts(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    """How many consents, patients and audit events the database ``schema`` holds."""
    return {table: int(conn.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0])
            for table in COMPARED_TABLES}


def signing_fingerprints(conn: sqlite3.Connection, schema: str = "main") -> list[str]:
    """The SHA-256 fingerprints of every signing certificate the audit log of ``schema``
    says was made or imported to certify its consents, oldest first."""
    placeholders = ", ".join("?" for _ in IDENTITY_EVENTS)
    rows = conn.execute(
        f"SELECT json_extract(details_json, '$.fingerprint') FROM {schema}.audit_events"
        f" WHERE event IN ({placeholders}) ORDER BY seq", IDENTITY_EVENTS).fetchall()
    return list(dict.fromkeys(str(r[0]) for r in rows if r[0]))
