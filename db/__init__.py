"""Glabella's SQLite storage layer: schema, migrations and the consent records store."""

from db.connection import connect
from db.errors import (
    ImmutableRecordError,
    NewerDatabaseError,
    NotADatabaseError,
    RecordNotFoundError,
    StoreError,
)
from db.migrations import migrate, schema_version
from db.records import FinalizeRecord
from db.store import Store

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
