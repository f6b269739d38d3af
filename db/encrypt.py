"""Encrypting a plain records database: SQLCipher's ``sqlcipher_export`` into a new file.

Only the SQL lives here; app.security.upgrade verifies the copy and swaps the files.
"""

from __future__ import annotations

import os
from pathlib import Path

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

