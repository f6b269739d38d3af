"""Backups of the records database, and the check a restore makes of one.

A backup is made with SQLite's online backup API, never by copying the file: a copy of a
live database can catch it half-written (and misses what still sits in its -wal file).
Each backup is one self-contained file named for its UTC time,
``glabella-20261123T130500Z.db``, in the backup folder (setting ``backup.folder``, e.g. an
external drive; default ``DATA/backups``); the newest ``backup.keep`` (default 14) are kept.

``check_backup`` proves a backup sound (integrity_check, a schema this version can open,
every stored PDF re-hashed) before app.upkeep.restore restores it.

Backups are encrypted with the clinic key, like the database (the backup API copies the
encrypted pages as they are). One made on another computer opens with the clinic's recovery
code (``backup_key``); an old plain backup is still read, and restored encrypted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app.base.errors import KnownError
from app.base.paths import DataPaths
from app.base.private_files import make_folder, private_folder
from app.base.storage_errors import plain_reason
from db import Store, StoreError, cipher
from db.checks import (
    applied_migrations,
    integrity_problems,
    open_read_only,
    pdf_hash_report,
    unknown_migrations,
)
from db.errors import NotADatabaseError, WrongKeyError
from db.upkeep import back_up_store, consent_count, last_backup

if TYPE_CHECKING:
    from app.runtime.service import Glabella

FOLDER_SETTING, KEEP_SETTING = "backup.folder", "backup.keep"
DEFAULT_KEEP = 14
DUE_AFTER = timedelta(days=1)
_NAME = re.compile(r"^glabella-(\d{8}T\d{6}Z)(?:-\d+)?\.db$")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class BackupError(KnownError):
    """A backup or restore that could not be done; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    consents: int
    removed: list[Path] = field(default_factory=list)  # older backups rotated out


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    problems: list[str]
    consents: int = 0
    schema: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def backup_folder(store: Store, paths: DataPaths) -> Path:
    folder = store.get_setting(FOLDER_SETTING)
    return Path(folder).expanduser() if folder else paths.backups


def keep_count(store: Store) -> int:
    value = store.get_setting(KEEP_SETTING)
    try:
        return max(1, int(value)) if value else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def backups_in(folder: Path) -> list[Path]:
    """Glabella's backups in ``folder``, oldest first (their names sort by time)."""
    if not folder.is_dir():
        return []
    found = [(match[1], p) for p in folder.iterdir() if (match := _NAME.match(p.name))]
    return [p for _when, p in sorted(found, key=lambda f: (f[0], len(f[1].name), f[1].name))]


def make_backup(store: Store, paths: DataPaths, folder: Path | None = None,
                clock: Clock = utc_now) -> BackupResult:
    """Back the open database up into ``folder`` (default: the configured one), rotate the
    old backups there, and log it."""
    folder = folder or backup_folder(store, paths)
    now = clock()
    try:
        # the data folder's own backups folder is Glabella's; a chosen one keeps its mode
        (private_folder if folder == paths.backups else make_folder)(folder)
        target = folder / f"glabella-{stamp(now)}.db"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"glabella-{stamp(now)}-{n}.db"
        _backup_to(store, target)
    except (OSError, *cipher.Error) as exc:
        raise BackupError(f"The backup could not be written to {folder}: {plain_reason(exc)}. "
                          f"The records themselves are unchanged.") from exc
    size = target.stat().st_size
    removed = _rotate(folder, keep_count(store), target)
    consents = consent_count(store)
    store.log_event("backup.made", details={"path": str(target), "size": size,
                                            "consents": consents,
                                            "removed": [p.name for p in removed]},
                    at=now.isoformat(timespec="seconds"))
    return BackupResult(target, size, consents, removed)


def _backup_to(store: Store, target: Path) -> None:
    """Online backup into ``target``, via a partial file renamed only once complete."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        back_up_store(store, partial)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rotate(folder: Path, keep: int, newest: Path) -> list[Path]:
    """Remove all but the ``keep`` newest; never the one just made (a clock set back could
    give it the oldest name)."""
    old = [p for p in backups_in(folder) if p != newest][:-keep + 1 or None]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def last_backup_at(store: Store) -> datetime | None:
    last = last_backup(store)
    return datetime.fromisoformat(last[0]) if last else None


def backup_if_due(service: Glabella, clock: Clock = utc_now) -> BackupResult | None:
    """Back up when the last backup is more than a day old; None when none was due.
    Raises BackupError when one was due but failed."""
    return _backup_if_due(service.store, service.paths, clock)


def backup_if_due_at(paths: DataPaths, key: bytes, clock: Clock = utc_now
                     ) -> BackupResult | None:
    """``backup_if_due`` for a worker thread: opens its own connection to the database in
    ``paths`` (SQLite connections stay on the thread that opened them) and closes it.

    The window runs this off its main thread at start and hourly, because a large database
    takes a while (about a minute for 13 GB). The running window already holds the data
    folder's instance lock, so this opens the store directly, not through ``open_service``.
    """
    if not paths.database.is_file():  # never make a new, empty database to back up
        raise BackupError(f"The records database is missing: {paths.database} could not be "
                          "opened for a backup.")
    try:
        store = Store.open(paths.database, key)
    except (StoreError, *cipher.Error, OSError) as exc:
        raise BackupError(f"The records could not be opened for a backup: "
                          f"{plain_reason(exc)}. The records themselves are unchanged.") from exc
    try:
        from db.audit_chain import Origin

        store.origin = Origin.here("window")  # only the window's schedule runs this
        return _backup_if_due(store, paths, clock)
    finally:
        store.close()


def _backup_if_due(store: Store, paths: DataPaths, clock: Clock) -> BackupResult | None:
    last = last_backup_at(store)
    if last is not None and clock() - last < DUE_AFTER:
        return None
    return make_backup(store, paths, clock=clock)


def backup_key(path: Path, *keys: bytes | None) -> bytes | None:
    """The first of ``keys`` that opens the backup at ``path``: None for a plain one (an
    old backup); WrongKeyError when none does."""
    if cipher.is_plain(path):
        return None
    for key in keys:
        if key is not None and cipher.opens_with(path, key):
            return key
    raise WrongKeyError(path)


def check_backup(path: Path, *keys: bytes | None) -> BackupCheck:
    """Is ``path`` a sound Glabella backup that this version can restore, opened with one
    of ``keys`` (the clinic key, a recovered one) or plain?"""
    try:
        conn = open_read_only(path, backup_key(path, *keys) if path.is_file() else None)
    except NotADatabaseError as exc:
        return BackupCheck(path, [f"it is not a Glabella backup ({exc.message.rstrip('.')})"])
    except cipher.Error as exc:
        return BackupCheck(path, [f"it cannot be opened ({exc})"])
    try:
        damage = integrity_problems(conn)
        if damage:
            return BackupCheck(path, ["it is damaged: " + "; ".join(damage)])
        schema = applied_migrations(conn)
        if schema is None:
            return BackupCheck(path, ["it is an SQLite file but not a Glabella database"])
        newer = unknown_migrations(schema)
        if newer:
            return BackupCheck(path, [f"it was made by a newer version of Glabella (schema "
                                      f"changes {', '.join(newer)}); update Glabella first"],
                               schema=schema)
        pdfs = pdf_hash_report(conn)
        return BackupCheck(path, [f"stored PDFs do not match their hashes: {p}"
                                  for p in pdfs.problems], pdfs.checked, schema)
    except cipher.READ_ERRORS as exc:
        return BackupCheck(path, [f"it is damaged ({exc or 'a page fails its check'})"])
    finally:
        conn.close()
