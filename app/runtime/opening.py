"""The steps of opening a data folder before the service exists: a writable folder, the
clinic key, a plain database encrypted, a sound file."""

from __future__ import annotations

import errno
import os
from typing import TYPE_CHECKING, Any

from app.base.paths import DataPaths
from app.runtime.open_errors import DamagedDatabaseError, ReadOnlyError
from db import Store
from db.upkeep import startup_problems

if TYPE_CHECKING:
    from app.security.folder_key import FolderKey


RESTORE_HINT = ("Run `glabella doctor` to see what is wrong, then restore the latest backup "
                 "with `glabella restore FILE`.")


def check_writable(paths: DataPaths) -> None:
    """Refuse a read-only folder or database at start, not after a twenty-minute consult."""
    probes = []
    if paths.root.is_dir():
        probes.append((paths.root, f"The data folder {paths.root}"))
    if paths.database.is_file():
        probes.append((paths.database, f"The clinic database {paths.database}"))
    for path, what in probes:
        try:
            if path.is_dir():
                probe = path / f".glabella-write-test-{os.getpid()}"
                probe.open("wb").close()
                probe.unlink()
            else:
                path.open("r+b").close()
        except PermissionError as exc:
            raise ReadOnlyError(_read_only_message(what)) from exc
        except OSError as exc:
            if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise
            raise ReadOnlyError(_read_only_message(what)) from exc


def _read_only_message(what: str) -> str:
    return (f"{what} is read-only for this account, so no consent could be saved: Glabella "
            f"did not start. Ask the clinic's administrator to give this account permission "
            f"to change it (or to make the drive writable).")


def clinic_key(paths: DataPaths) -> FolderKey:
    from app.security.folder_key import key_for_open

    return key_for_open(paths.root, paths.database)


def encrypt_if_plain(paths: DataPaths, key: FolderKey) -> Any:
    """Encrypt a plain database in place (app.security.upgrade); None when already done."""
    from app.security.upgrade import encrypt_backups, encrypt_in_place, is_plain_database

    if not is_plain_database(paths.database):
        return None
    # an old schema is brought up to date first, as before: the checks read today's tables
    Store.open(paths.database).close()
    encrypted = encrypt_in_place(paths.database, key.key.raw)
    # the old backups beside it hold the same records in plain: encrypted too
    backups = encrypt_backups(paths.backups, key.key.raw)
    return encrypted, backups


def check_sound(store: Store, paths: DataPaths) -> None:
    """PRAGMA quick_check: a damaged database is reported at start, before any work (see
    db.checks.startup_problems for how a large one is checked quickly)."""
    problems = startup_problems(store, paths.database.stat().st_size)
    if problems:
        raise DamagedDatabaseError(
            f"The clinic database {paths.database} is damaged ({problems[0]}). Nothing has "
            f"been changed. {RESTORE_HINT}")
