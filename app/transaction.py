"""One write transaction around several writes to the records database (Qt-free)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from db.errors import translating_errors

if TYPE_CHECKING:
    from db import Store


@contextmanager
def transaction(store: Store) -> Iterator[None]:
    """All writes inside commit together or not at all.

    It begins IMMEDIATE, as the store's own writes do, so a check made inside ("is this
    the last administrator?") cannot be overtaken by another writer before the change;
    the store's own writes inside (``set_setting``, ``log_event``) nest as savepoints.
    """
    database = store.database
    conn = database.conn
    with translating_errors():
        if conn.in_transaction:
            with database.atomic():
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
