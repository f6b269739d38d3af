"""Where a command may write what it makes: never over the records, never over a file unasked.

Every command with an output path (``--out``, ``backup --to``, ``selftest --keep``) asks
here first. Protected, even with ``--force``: the database and its -wal, -shm and -journal
(and any ``glabella.db*`` beside it, such as the copy a restore sets aside), the data
folder's lock and key id files, the signing folder and everything in it, and every file in
a backups folder. Any other existing file is replaced only with ``--force``.
Paths are compared after resolving ``~``, relative parts and symbolic links (a link to
``glabella.db`` is the database), and by file identity too, so a hard link is caught as well.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.base.errors import KnownError
from app.base.paths import DataPaths

_SIDE_FILES = ("-wal", "-shm", "-journal")
_FOLD_CASE = sys.platform in ("win32", "darwin")  # their usual file systems ignore case


class OutputRefused(KnownError):
    """An output path that would overwrite records or a file nobody said to replace."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class _Protected:
    files: dict[Path, str]  # path -> what it is, in words
    folders: dict[Path, str]  # a folder whose every file is protected -> what it is
    database: Path  # and every glabella.db* beside it: a set-aside copy holds records too


def _resolve(path: Path) -> Path:
    return Path(os.path.abspath(Path(path).expanduser())).resolve()


def _key(path: Path) -> str:
    text = os.path.normcase(str(path))
    return text.casefold() if _FOLD_CASE else text


def _protected(paths: DataPaths, backups: Iterable[Path] | None) -> _Protected:
    """What is never written over; ``backups`` None: backup folders are not protected
    (``backup --to`` adds new files there, which is what they are for)."""
    database = _resolve(paths.database)
    files = {database: "the clinic's records database"}
    for side in _SIDE_FILES:
        files[database.with_name(database.name + side)] = "part of the clinic's records database"
    files[_resolve(paths.lock)] = "the data folder's lock file"
    files[_resolve(paths.key_id)] = "the data folder's key id file"
    folders = {_resolve(paths.signing): "the clinic's signing folder"}
    if backups is not None:
        for folder in (paths.backups, *backups):
            folders[_resolve(folder)] = "a backups folder"
    return _Protected(files, folders, database)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # either is missing: not the same existing file
        return False


def _what(target: Path, protected: _Protected) -> str | None:
    """What protected thing ``target`` (resolved) is or lies in; None if none."""
    for path, what in protected.files.items():
        if _key(path) == _key(target) or _same_file(path, target):
            return what
    database = protected.database
    if (_key(target.parent) == _key(database.parent)
            and _key(target).startswith(_key(database))):
        return "a copy of the clinic's records database (set aside by a restore)"
    for folder, what in protected.folders.items():
        if _key(folder) == _key(target):
            return what
        if any(_key(folder) == _key(parent) for parent in target.parents):
            return f"inside {what}"
    if _linked_count(target) > 1:  # a hard link elsewhere to a key or a backup
        for folder, what in protected.folders.items():
            if folder.is_dir() and any(_same_file(p, target) for p in folder.rglob("*")):
                return f"a link to a file inside {what}"
    return None


def _linked_count(path: Path) -> int:
    try:
        return path.stat().st_nlink
    except OSError:
        return 0


def _refuse_protected(out: Path, target: Path, protected: _Protected) -> None:
    what = _what(target, protected)
    if what is not None:
        raise OutputRefused(f"{out} is {what}: Glabella never writes over it, not even with "
                            f"--force. Choose a place outside the clinic's records.")


def check_output(out: Path, paths: DataPaths, *, force: bool = False,
                 backups: Iterable[Path] = ()) -> Path:
    """The resolved path a command may write the file ``out`` to, or OutputRefused.
    ``backups``: backup folders besides ``DATA/backups`` (the configured one)."""
    target = _resolve(out)
    _refuse_protected(out, target, _protected(paths, backups))
    if target.is_dir():
        raise OutputRefused(f"{out} is a folder: give the name of a file to write.")
    if target.exists() and not force:
        raise OutputRefused(f"{out} already exists. Choose another name, or add --force to "
                            f"replace it.")
    return target


def check_backup_folder(folder: Path, paths: DataPaths) -> Path:
    """The resolved folder ``backup --to`` may add a backup to (it never replaces a file,
    so an existing folder is fine): never the signing folder or one of the records' files."""
    target = _resolve(folder)
    _refuse_protected(folder, target, _protected(paths, None))
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"{folder} is a file, not a folder: give the folder to write the "
                            f"backup in.")
    return target


def check_new_data_folder(folder: Path, paths: DataPaths, *, force: bool = False) -> Path:
    """The resolved folder ``selftest --keep`` may fill with a demo clinic: never the data
    folder in use (``paths``) or its protected parts; one that is not empty only with
    ``force`` (it may be another clinic's)."""
    target = _resolve(folder)
    if _key(target) == _key(_resolve(paths.root)):
        raise OutputRefused(f"{folder} is the clinic's data folder: a self-test never runs "
                            f"in it, not even with --force. Choose a new folder.")
    _refuse_protected(folder, target, _protected(paths, ()))
    if not force and target.is_dir() and any(target.iterdir()):
        raise OutputRefused(f"{folder} is not empty. Choose a new folder, or add --force to "
                            f"use it anyway.")
    return target
