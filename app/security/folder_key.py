"""The clinic key of one data folder: its non-secret id file, and finding or making the key.

The data folder holds only ``glabella.keyid`` (JSON: the key's id and which kind of store
holds it); the key itself is never beside the database (app.security.key_store).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from app.base.errors import KnownError
from app.security.clinic_key import ClinicKey
from app.security.key_store import KeyStore, store_for

KEYID_NAME = "glabella.keyid"


class KeyMissingError(KnownError):
    """The data folder names a key this computer does not hold (a copied folder, a new PC)."""


@dataclass(frozen=True)
class FolderKey:
    """The key, where it is kept, and whether it was made just now (a new clinic)."""

    key: ClinicKey
    key_id: str
    store: KeyStore
    created: bool = False


def keyid_path(root: Path) -> Path:
    return Path(root) / KEYID_NAME


def read_keyid(root: Path) -> tuple[str, str] | None:
    """The key id and store kind the data folder names; None when it names none."""
    try:
        data = json.loads(keyid_path(root).read_text(encoding="utf-8"))
        return str(data["key_id"]), str(data["store"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KnownError(f"The key id file {keyid_path(root)} is damaged ({exc}). Enter the "
                         "clinic's recovery code with 'glabella key recover'.") from exc


def load_key(root: Path, env: Mapping[str, str] | None = None) -> FolderKey | None:
    """The data folder's key; None when the folder names no key yet; KeyMissingError when
    it names one this computer does not hold."""
    named = read_keyid(root)
    if named is None:
        return None
    key_id, kind = named
    store = store_for(kind, env)
    raw = store.get(key_id)
    if raw is None:
        raise KeyMissingError(
            f"The records in {root} are encrypted with a clinic key that is not on this "
            f"computer (looked in {store.where()}). Enter the clinic's recovery code with "
            f"'glabella key recover --data-dir \"{root}\"'.")
    return FolderKey(ClinicKey(raw), key_id, store)


def save_key(root: Path, key: ClinicKey, env: Mapping[str, str] | None = None, *,
             created: bool = False) -> FolderKey:
    """Keep ``key`` for this data folder (a new id each time), then write the id file:
    the key is stored before the folder names it, so a crash never names a lost key."""
    key_id = f"glabella-{secrets.token_hex(8)}"
    store = store_for(None, env)
    store.put(key_id, key.raw)
    path = keyid_path(root)
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"key_id": key_id, "store": store.kind}, handle)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    return FolderKey(key, key_id, store, created)


def create_key(root: Path, env: Mapping[str, str] | None = None) -> FolderKey:
    """A new random key for a new clinic, stored and named in the data folder."""
    return save_key(root, ClinicKey.generate(), env, created=True)


def key_for_open(root: Path, database: Path, env: Mapping[str, str] | None = None
                 ) -> FolderKey:
    """The key the service opens ``database`` with: the folder's own; a new one for a new
    clinic or for a plain database about to be encrypted; KeyMissingError for an
    encrypted database whose folder names no key (its key file was lost or not copied)."""
    found = load_key(root, env)
    if found is not None:
        return found
    from db.cipher import could_be_encrypted, is_plain
    from db.errors import NotADatabaseError

    if database.is_file() and database.stat().st_size > 0 and not is_plain(database):
        if not could_be_encrypted(database):
            raise NotADatabaseError(database, "it is not an SQLite file")
        raise KeyMissingError(
            f"The records in {root} are encrypted, but the data folder does not say which "
            f"key opens them ({KEYID_NAME} is missing). Enter the clinic's recovery code with "
            f"'glabella key recover --data-dir \"{root}\"'.")
    return create_key(root, env)
