"""Encrypting a plain records database: SQLCipher's ``sqlcipher_export`` into a new file.

Only the SQL lives here; app.security.upgrade verifies the copy and swaps the files.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from db import cipher
from db.cipher import Key


def export_encrypted(source: Path, target: Path, key: bytes, source_key: Key = None) -> None:
    """Write every table, index, trigger and the schema version of the database at
    ``source`` (plain, or encrypted with ``source_key``) into the new file ``target``,
    encrypted with ``key``, and fsync it."""
    target.unlink(missing_ok=True)
    conn = cipher.open_file(source, source_key)
    try:
        # fold the -wal in first: the plain file is then whole before it is copied and wiped
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY {cipher.key_sql(key)}",
                     [str(target)])
        conn.execute("SELECT sqlcipher_export('encrypted')").fetchall()
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)



def content_digest(conn: Any) -> str:
    """SHA-256 over every row of every table, in order: equal for a faithful copy."""
    digest = hashlib.sha256()
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        " ORDER BY name")]
    for table in tables:
        digest.update(table.encode() + b"\0")
        quoted = '"' + table.replace('"', '""') + '"'
        try:
            rows = conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid")
        except cipher.OperationalError:  # a WITHOUT ROWID table: its key orders it
            rows = conn.execute(f"SELECT * FROM {quoted}")
        for row in rows:
            digest.update(repr(tuple(row)).encode() + b"\n")
    return digest.hexdigest()
