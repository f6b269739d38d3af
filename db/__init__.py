"""Glabella's SQLite storage layer: schema, migrations and the consent records store.

The store and migrations load sqlite-utils; they are imported on first use (PEP 562), so
code that only needs the errors or ``db.clock`` — the window's first screen — does not pay
for it at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from db.errors import (
    ImmutableRecordError,
    NewerDatabaseError,
    NotADatabaseError,
    RecordNotFoundError,
    StoreError,
)

if TYPE_CHECKING:
    from db.connection import connect
    from db.finalize import FinalizeRecord
    from db.migrations import migrate, schema_version
    from db.store import Store

_LAZY = {"connect": "db.connection", "migrate": "db.migrations",
         "schema_version": "db.migrations", "FinalizeRecord": "db.finalize",
         "Store": "db.store"}

__all__ = [
    "FinalizeRecord",
    "ImmutableRecordError",
    "NewerDatabaseError",
    "NotADatabaseError",
    "RecordNotFoundError",
    "Store",
    "StoreError",
    "connect",
    "migrate",
    "schema_version",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'db' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value
