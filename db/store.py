"""The records store: one object for opening a database, settings and the audit log, with
finalizing (db.finalize) and the record reads (db.reads) mixed in.

Mixins rather than parts held by the store: callers (and tests) hold one ``Store`` and call
``store.finalize``, ``store.get_consent`` and ``store.log_event`` on it as before, and every
part needs the same connection and the same one transaction, which a shared base
(``db.base.StoreBase``) gives without wiring parts to each other.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Self

from db import content_reviews
from db.audit_chain import ChainReport, chain_report, read_events
from db.base import Row
from db.cipher import Key
from db.clock import now_iso
from db.connection import connect
from db.finalize import FinalizeWrites
from db.migrations import migrate
from db.reads import ConsentReads


class Store(FinalizeWrites, ConsentReads):
    """One open records database. Not thread-safe: use one Store per thread."""

    # the key it was opened with: a backup of it is encrypted with the same one
    key: Key = None

    @classmethod
    def open(cls, path: str | Path, key: Key = None) -> Self:
        """Open (creating if needed) and migrate the database at path, encrypted with
        ``key`` (the clinic key's 32 bytes; None only for ":memory:" or a plain file)."""
        database = connect(path, key)
        try:
            migrate(database)
        except BaseException:
            database.close()
            raise
        store = cls(database)
        store.key = key
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- content reviews ----------------------------------------------------

    def add_content_review(self, **review: str) -> Row:
        """A medical director's review of a pack, with its audit event (db.content_reviews)."""
        return content_reviews.add_content_review(self, **review)

    def content_review(self, content_hash: str) -> Row | None:
        """The newest review of exactly this pack hash, or None."""
        return content_reviews.content_review(self, content_hash)

    # -- settings -----------------------------------------------------------

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._rows("SELECT value FROM settings WHERE key = ?", [key])
        return rows[0]["value"] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        """Store a setting; a changed value is recorded in the audit log."""
        if not isinstance(value, str):
            raise TypeError(f"setting {key!r} must be a str, not {type(value).__name__}")
        with self.transaction():
            old = self.get_setting(key)
            if old == value:
                return
            now = now_iso()
            self._db.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                [key, value, now],
            )
            self.log_event(
                "settings.changed", details={"key": key, "old": old, "new": value}, at=now
            )

    def all_settings(self) -> dict[str, str]:
        return {row["key"]: row["value"] for row in self._rows("SELECT * FROM settings")}

    # -- audit --------------------------------------------------------------

    def audit_chain(self) -> ChainReport:
        """Walk the audit log's hash chain; the report names the first broken event."""
        return chain_report(self._db.conn)

    def audit_events(self, consent_id: str | None = None) -> list[Row]:
        """Audit events oldest first; details_json is also parsed into details."""
        return read_events(self._db.conn, consent_id)
