"""Recorded reviews of a content pack by the clinic's medical director (table
``content_reviews``, made by ``m0012_content_reviews``).

Rows are immutable once written (triggers refuse UPDATE, DELETE and REPLACE). Each review
is stored together with its audit event, ``content.reviewed``, in one transaction. Nothing
here is about a patient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.store import Store

REVIEW_EVENT = "content.reviewed"
REVIEW_COLUMNS = ("id", "pack_id", "version", "content_hash", "reviewed_by", "reviewed_on",
                  "recorded_by", "recorded_at")


def add_content_review(store: Store, *, pack_id: str, version: str, content_hash: str,
                       reviewed_by: str, reviewed_on: str, recorded_by: str,
                       recorded_at: str) -> dict[str, Any]:
    """Store one review and its audit event at once; the stored row.

    ``reviewed_on`` is an ISO date, ``recorded_at`` an ISO timestamp (also the event's
    time), ``recorded_by`` the administrator as audit events name actors. On any failure
    (a CHECK constraint, a full disk) nothing is written and a StoreError or
    sqlite3.Error is raised.
    """
    row: dict[str, Any] = {"pack_id": pack_id, "version": version, "content_hash": content_hash,
                           "reviewed_by": reviewed_by, "reviewed_on": reviewed_on,
                           "recorded_by": recorded_by, "recorded_at": recorded_at}
    names = ", ".join(row)
    params = ", ".join(f":{name}" for name in row)
    with store.transaction():  # BEGIN IMMEDIATE, or a savepoint inside a wider one
        cursor = store.database.execute(
            f"INSERT INTO content_reviews ({names}) VALUES ({params})", row)
        row = {"id": cursor.lastrowid, **row}
        store.log_event(  # chained to the log inside the same transaction
            REVIEW_EVENT, actor=recorded_by, at=recorded_at,
            details={"review_id": row["id"], "pack_id": pack_id, "version": version,
                     "content_hash": content_hash, "reviewed_by": reviewed_by,
                     "reviewed_on": reviewed_on})
    return row


def content_review(store: Store, content_hash: str) -> dict[str, Any] | None:
    """The newest review recorded for exactly this pack hash, or None."""
    columns = ", ".join(REVIEW_COLUMNS)
    rows = list(store.database.query(
        f"SELECT {columns} FROM content_reviews WHERE content_hash = ? "
        "ORDER BY id DESC LIMIT 1", [content_hash]))
    return rows[0] if rows else None
