"""Opening a records database file directly in a test (to tamper with it or look inside),
with the clinic key its data folder names: the files are encrypted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.security.folder_key import load_key
from db import cipher


def key_of(database: Path) -> bytes | None:
    """The key of the data folder holding ``database`` (or, for a backup in DATA/backups,
    the folder above); None for a plain file (a fixture) or a folder with no key."""
    database = Path(database)
    if database.is_file() and cipher.is_plain(database):
        return None
    for folder in (database.parent, database.parent.parent):
        found = load_key(folder)
        if found is not None:
            return found.key.raw
    return None


def connect(database: Path | str, key: bytes | None = None, **options: Any) -> Any:
    """Like ``sqlite3.connect(database)``, keyed with its folder's key (or ``key``)."""
    path = Path(database)
    return cipher.open_file(path, key if key is not None else key_of(path), **options)


def open_store(database: Path | str) -> Any:
    """``Store.open`` with the key of the data folder holding ``database``."""
    from db import Store

    return Store.open(database, key_of(Path(database)))


def sealed_draft(consent: Any, data_dir: Path, folder: Path) -> Path:
    """The consult as a draft the window writes, sealed with ``data_dir``'s clinic key (the
    clinic is made if new), written into ``folder``: what ``glabella finalize`` accepts."""
    from app.runtime.service import Glabella

    service = Glabella.open(Path(data_dir))
    try:
        return service.drafts.save(consent, Path(folder))
    finally:
        service.close()


def read_draft(path: Path, data_dir: Path) -> Any:
    """The consult in a sealed draft of ``data_dir``'s clinic."""
    from app.runtime.drafts import DraftFiles

    found = load_key(Path(data_dir))
    assert found is not None
    return DraftFiles(Path(data_dir) / "drafts", found.key.for_purpose("drafts")).load(path)
