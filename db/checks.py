"""Health checks on a records database, read-only: shared by doctor, restore and start-up.

Each check answers in plain words, and only reads: a damaged file must not be made worse by
looking at it, and a backup being checked must stay exactly as it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from db import cipher
from db.cipher import Key
from db.connection import check_file
from db.errors import NotADatabaseError, WrongKeyError
from db.migrations import KNOWN_MIGRATIONS, MIGRATION_SET

_MAX_LISTED = 20  # problems named one by one; the rest are counted


def open_read_only(path: Path, key: Key) -> sqlite3.Connection:
    """Open ``path`` without the power to change it, with the clinic key (None: a plain
    file); NotADatabaseError if it is no SQLite file at all, WrongKeyError (one of them)
    when the key does not open it, PlainDatabaseError for a plain file given a key."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise NotADatabaseError(path, "there is no such file")
    check_file(path, key)
    conn = cipher.open_file(path, key, read_only=True)
    try:
        conn.execute(cipher.FIRST_PAGE_READ).fetchone()
    except cipher.DatabaseError as exc:
        conn.close()
        if key is not None and getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
            raise WrongKeyError(path) from exc
        # damage past the header shows in the checks, which say so in their own words
        return cipher.open_file(path, key, read_only=True)
    return conn


def integrity_problems(conn: sqlite3.Connection, quick: bool = False) -> list[str]:
    """What ``PRAGMA integrity_check`` (or the faster ``quick_check``) finds; [] when ok."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}({_MAX_LISTED})").fetchall()]
    except cipher.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else _lines(rows)


def _lines(rows: list[str], shown: int = 3) -> list[str]:
    # SQLite may pack several findings into one row, under a "*** in database main ***"
    lines = [line for row in rows for line in str(row).splitlines()
             if line.strip() and not line.startswith("***")]
    return lines[:shown] + ([f"and {len(lines) - shown} more"] if len(lines) > shown else [])


# Up to this size the whole file is quick_checked at start (about half a second); a larger
# one would take a minute per 20 GB, nearly all of it walking the pages of stored PDFs.
FULL_START_CHECK_MAX_BYTES = 256 << 20
_PDF_TABLE = "consents"


def startup_problems(conn: sqlite3.Connection, size: int, *,
                     pages_authenticated: bool = False) -> list[str]:
    """The check Glabella runs at every start: ``quick_check`` of the whole file when it is
    small; when large, of every table but the consents, whose indexes are walked instead.

    What the large-file check leaves out, the chains of pages that hold each stored PDF,
    ``glabella doctor`` and every restore check in full. An encrypted file
    (``pages_authenticated``) takes the quick path whatever its size: SQLCipher checks each
    page's HMAC whenever it is read, so a damaged PDF page fails the moment it is used,
    and decrypting every PDF page at each start made opening six times slower.
    """
    if size <= FULL_START_CHECK_MAX_BYTES and not pages_authenticated:
        return integrity_problems(conn, quick=True)
    problems: list[str] = []
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")]
    try:
        for table in tables:
            if table != _PDF_TABLE:
                problems += integrity_problems_of(conn, table)
        counts = {conn.execute(f'SELECT count(*) FROM "{_PDF_TABLE}" INDEXED BY "{index}"'
                               ).fetchone()[0]
                  for (index,) in conn.execute(
                      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                      " AND sql IS NOT NULL", [_PDF_TABLE])}
    except cipher.DatabaseError as exc:
        return problems + [str(exc)]
    if len(counts) > 1:
        problems.append(f"the indexes of {_PDF_TABLE} disagree on how many rows it has")
    return problems


def integrity_problems_of(conn: sqlite3.Connection, table: str) -> list[str]:
    """``quick_check`` of one table and its indexes."""
    rows = [r[0] for r in conn.execute(f"PRAGMA quick_check('{table}')").fetchall()]
    return [] if rows == ["ok"] else _lines(rows)


def foreign_key_problems(conn: sqlite3.Connection) -> list[str]:
    """Rows pointing at a patient, consent or content pack that does not exist."""
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    return [f"{table} row {rowid} refers to a missing {parent} row"
            for table, rowid, parent, _fk in rows[:_MAX_LISTED]] + _more(len(rows))


@dataclass(frozen=True)
class PdfHashReport:
    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def pdf_hash_report(conn: sqlite3.Connection) -> PdfHashReport:
    """Re-hash every stored PDF and compare it with the SHA-256 and size kept at signing."""
    checked, bad = 0, []
    # one PDF in memory at a time, in storage order
    for consent_id, expected, size, pdf in conn.execute(
            "SELECT id, pdf_sha256, pdf_size, pdf FROM consents ORDER BY rowid"):
        checked += 1
        data = bytes(pdf) if pdf is not None else b""
        if hashlib.sha256(data).hexdigest() != expected or len(data) != size:
            bad.append(f"record {consent_id}: the stored PDF does not match the SHA-256 "
                       f"kept when it was signed")
    return PdfHashReport(checked, bad[:_MAX_LISTED] + _more(len(bad)))


def applied_migrations(conn: sqlite3.Connection) -> list[str] | None:
    """Glabella's schema changes applied to this file; None when it is not a Glabella
    database at all."""
    try:
        rows = conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?"
                            " ORDER BY rowid", [MIGRATION_SET]).fetchall()
    except cipher.OperationalError:
        return None
    return [r[0] for r in rows] or None


def unknown_migrations(applied: list[str]) -> list[str]:
    """Schema changes this version of Glabella does not know: the file is from a newer one."""
    return [name for name in applied if name not in KNOWN_MIGRATIONS]


def _more(count: int) -> list[str]:
    return [f"… and {count - _MAX_LISTED} more"] if count > _MAX_LISTED else []
