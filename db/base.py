"""What every part of the store shares: the connection, the one write transaction, the
audit log's append, and small read helpers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import sqlite_utils

from db.audit_chain import Origin, append_event
from db.errors import RecordNotFoundError, translating_errors

Row = dict[str, Any]


class StoreBase:
    """One open records database. Not thread-safe: use one Store per thread."""

    def __init__(self, database: sqlite_utils.Database) -> None:
        self._db = database
        # recorded with every audit event this store appends; the entry that opened it
        # says how it came (window / command) and who signed in (app.clinic.operator)
        self.origin = Origin.here()

    @property
    def database(self) -> sqlite_utils.Database:
        """The underlying connection, for storage code under db/ that needs raw access."""
        return self._db

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all.

        The outermost level begins IMMEDIATE, taking SQLite's write lock at its start: no
        other connection can append an audit event between this one reading the chain's
        last hash and appending after it, and a check made inside ("is this the last
        administrator?") cannot be overtaken by another writer. Nested use is a savepoint.
        Immutability trigger failures come out as ImmutableRecordError.
        """
        conn = self._db.conn
        with translating_errors():
            if conn.in_transaction:
                with self._db.atomic():
                    yield
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                conn.rollback()
                raise
            try:
                conn.execute("COMMIT")
            except BaseException:
                conn.rollback()
                raise

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        """Run raw SQL, turning immutability trigger failures into ImmutableRecordError."""
        with translating_errors():
            return self._db.execute(sql, params)

    def log_event(
        self,
        event: str,
        *,
        consent_id: str | None = None,
        actor: str | None = None,
        details: Mapping[str, Any] | None = None,
        at: str | None = None,
    ) -> str:
        """Append an audit event, chained to the last one, and return its id; inside a
        wider transaction it is written (or rolled back) with it."""
        with self.transaction():
            return append_event(self._db.conn, event, consent_id=consent_id, actor=actor,
                                details=details, at=at, origin=self.origin)

    def _rows(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        return list(self._db.query(sql, params))

    def _one(self, kind: str, record_id: str, sql: str) -> Row:
        rows = self._rows(sql, [record_id])
        if not rows:
            raise RecordNotFoundError(kind, record_id)
        return rows[0]
