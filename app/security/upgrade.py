"""Encrypting an existing plain clinic database in place, verified before the plain file goes.

1. ``sqlcipher_export`` into ``glabella.db.encrypting`` beside it, fsynced;
2. verify the copy: quick_check, every consent's PDF against its stored SHA-256, and the
   audit chain intact with the same events and head hash as the plain file's;
3. swap: the plain file is kept under a second name (a hard link), the encrypted copy
   replaces the database atomically, the folder is fsynced;
4. the plain file and any -wal/-shm are overwritten with zeros, fsynced and removed.

A failure before 3 leaves the plain database as it was (and says why); a crash between 3
and 4 leaves the plain copy, which the next start wipes.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from app.base.errors import KnownError
from db import cipher
from db.audit_chain import chain_report
from db.checks import integrity_problems, open_read_only, pdf_hash_report
from db.encrypt import export_encrypted

_WIPE_CHUNK = 1 << 20


class UpgradeError(KnownError):
    """The encrypted copy did not match the plain database; the plain one is untouched."""


@dataclass(frozen=True)
class Encrypted:
    """What the upgrade verified, for the ``storage.encrypted`` audit event."""

    consents: int
    events: int
    head: str


def _side_files(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm",
                                                                      "-journal")]


def leftover_plain(database: Path) -> Path:
    return database.with_name(database.name + ".plain-old")


def wipe(path: Path) -> None:
    """Overwrite a file with zeros, fsync and remove it: deleting alone leaves the records
    readable on the disk. (An SSD may still keep old blocks: the whole disk's encryption
    covers those.)"""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with path.open("r+b") as handle:
        left = size
        while left > 0:
            step = min(left, _WIPE_CHUNK)
            handle.write(b"\0" * step)
            left -= step
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a folder for fsync; its renames are journaled
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _facts(path: Path, key: bytes | None) -> tuple[int, int, str, list[str]]:
    conn = open_read_only(path, key)
    try:
        problems = integrity_problems(conn, quick=True)
        pdfs = pdf_hash_report(conn)
        chain = chain_report(conn)
    finally:
        conn.close()
    problems += pdfs.problems
    if chain.problem is not None:
        problems.append(chain.problem.message)
    return pdfs.checked, chain.events, chain.head, problems


def encrypt_in_place(database: Path, key: bytes) -> Encrypted:
    """Encrypt the plain database at ``database`` with ``key`` (see the module)."""
    wipe(leftover_plain(database))  # a crash after an earlier swap left it
    consents, events, head, problems = _facts(database, None)
    if problems:
        raise UpgradeError(f"The clinic database {database} was not encrypted: it has "
                           f"problems to fix first ({problems[0]}). Run 'glabella doctor'.")
    target = database.with_name(database.name + ".encrypting")
    try:
        export_encrypted(database, target, key)
        copied = _facts(target, key)
        if copied != (consents, events, head, []):
            raise UpgradeError(f"The clinic database {database} was not encrypted: the "
                               "encrypted copy did not match it (nothing was changed).")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    old = leftover_plain(database)
    try:
        os.link(database, old)
    except OSError:  # a file system without hard links
        shutil.copy2(database, old)
    os.replace(target, database)
    _fsync_folder(database.parent)
    for path in [old, *_side_files(database)]:
        wipe(path)
    return Encrypted(consents, events, head)


def is_plain_database(database: Path) -> bool:
    return database.is_file() and database.stat().st_size > 0 and cipher.is_plain(database)
