"""Opening a records database file directly in a test (to tamper with it or look inside),
with the clinic key its data folder names: the files are encrypted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.security.folder_key import load_key
from db import cipher


def key_of(database: Path) -> bytes | None:
    """The key of the data folder holding ``database``; None for a plain file (a fixture)."""
    database = Path(database)
    if database.is_file() and cipher.is_plain(database):
        return None
    found = load_key(database.parent)
    return found.key.raw if found else None


def connect(database: Path | str, key: bytes | None = None, **options: Any) -> Any:
    """Like ``sqlite3.connect(database)``, keyed with its folder's key (or ``key``)."""
    path = Path(database)
    return cipher.open_file(path, key if key is not None else key_of(path), **options)
