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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.base.errors import KnownError
from db import cipher
from db.audit_chain import chain_report
from db.checks import integrity_problems, open_read_only, pdf_hash_report
from db.encrypt import content_digest, export_encrypted

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


def _facts(path: Path, key: bytes | None) -> tuple[int, int, str, str, list[str]]:
    conn = open_read_only(path, key)
    try:
        problems = integrity_problems(conn, quick=True)
        pdfs = pdf_hash_report(conn)
        chain = chain_report(conn)
        digest = content_digest(conn)
    finally:
        conn.close()
    problems += pdfs.problems
    if chain.problem is not None:
        problems.append(chain.problem.message)
    return pdfs.checked, chain.events, chain.head, digest, problems


def encrypt_in_place(database: Path, key: bytes) -> Encrypted:
    """Encrypt the plain database at ``database`` with ``key`` (see the module)."""
    wipe(leftover_plain(database))  # a crash after an earlier swap left it
    consents, events, head, digest, problems = _facts(database, None)
    if problems:
        raise UpgradeError(f"The clinic database {database} was not encrypted: it has "
                           f"problems to fix first ({problems[0]}). Run 'glabella doctor'.")
    _replace_verified(database, key,
                      lambda copy: _facts(copy, key) == (consents, events, head, digest, []),
                      f"The clinic database {database} was not encrypted: the encrypted copy "
                      "did not match it (nothing was changed).")
    return Encrypted(consents, events, head)


def _replace_verified(plain: Path, key: bytes, matches: Callable[[Path], bool],
                      refusal: str) -> None:
    """Export ``plain`` encrypted beside it, and swap the copy in only if ``matches`` says
    it holds the same records; else remove the copy and raise UpgradeError(refusal)."""
    target = plain.with_name(plain.name + ".encrypting")
    try:
        export_encrypted(plain, target, key)
        if not matches(target):
            raise UpgradeError(refusal)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    _swap(plain, target)


def _swap(database: Path, target: Path) -> None:
    """The encrypted copy in the plain file's place, atomically; then the plain one wiped."""
    old = leftover_plain(database)
    try:
        os.link(database, old)
    except OSError:  # a file system without hard links
        shutil.copy2(database, old)
    os.replace(target, database)
    _fsync_folder(database.parent)
    for path in [old, *_side_files(database)]:
        wipe(path)


def encrypt_backup(backup: Path, key: bytes) -> None:
    """Encrypt one plain backup in place, verified row for row (an old backup's schema may
    predate today's checks, so its content is compared, not its audit chain)."""
    wipe(leftover_plain(backup))
    conn = open_read_only(backup, None)
    try:
        digest = content_digest(conn)
    finally:
        conn.close()

    def matches(copy: Path) -> bool:
        conn = open_read_only(copy, key)
        try:
            return bool(content_digest(conn) == digest)
        finally:
            conn.close()

    _replace_verified(backup, key, matches, f"The backup {backup} was not encrypted: the "
                      "encrypted copy did not match it (it was left as it was).")


def encrypt_backups(folder: Path, key: bytes) -> tuple[int, list[str]]:
    """Encrypt the plain backups in ``folder``: how many, and the names of those left plain
    (damaged ones: they stay readable for a restore, which re-checks them)."""
    done, left = 0, []
    for backup in sorted(folder.glob("glabella-*.db")) if folder.is_dir() else []:
        if not is_plain_database(backup):
            continue
        try:
            encrypt_backup(backup, key)
            done += 1
        except (KnownError, OSError, *cipher.READ_ERRORS):
            left.append(backup.name)
    return done, left


def is_plain_database(database: Path) -> bool:
    return database.is_file() and database.stat().st_size > 0 and cipher.is_plain(database)
