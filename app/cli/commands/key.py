"""``glabella key status`` and ``glabella key recover``: the clinic key of a data folder.

``status`` says where the key is kept and whether the database is encrypted; it never
prints the key, the recovery code or any record. ``recover`` takes the recovery code (from
a prompt, or ``--code-file`` for scripted use), checks that it opens this folder's
database, and keeps it in this computer's key store for the folder.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TextIO

from app.cli.commands import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def run_status(data_dir: Path, out: TextIO, err: TextIO) -> int:
    """0 encrypted with its key here; 1 plain, or the key is not on this computer."""
    from app.base.errors import KnownError
    from app.base.paths import DataPaths
    from app.security.folder_key import load_key
    from db import cipher

    database = DataPaths(data_dir).database
    if not database.is_file():
        print(f"glabella: there is no clinic database in {data_dir} "
              f"(use --data-dir to point at the clinic's data folder).", file=err)
        return EXIT_USAGE
    plain = cipher.is_plain(database)
    print(f"Database: {database}", file=out)
    print(f"Encrypted: {'no' if plain else 'yes (SQLCipher 4, AES-256)'}", file=out)
    try:
        found = load_key(data_dir)
    except KnownError as exc:
        print(f"Key: {exc.message}", file=out)
        return EXIT_FAILED
    if found is None:
        print("Key: none named by this data folder"
              + ("" if plain else ": enter the recovery code with 'glabella key recover'"),
              file=out)
        return EXIT_FAILED
    opens = cipher.opens_with(database, None if plain else found.key.raw)
    print(f"Key: kept in {found.store.where()}", file=out)
    print(f"Fallback store: {'yes' if found.store.fallback else 'no'}", file=out)
    print(f"Key opens the database: {'yes' if opens else 'NO'}", file=out)
    if plain:
        print("Start Glabella once to have the database encrypted with this key.", file=out)
    return EXIT_OK if opens and not plain else EXIT_FAILED


def run_recover(code_file: Path | None, data_dir: Path, out: TextIO, err: TextIO) -> int:
    """0 kept; 1 the code does not open this database; 2 no database, or a mistyped code."""
    from app.base.paths import DataPaths
    from app.security.clinic_key import ClinicKey, RecoveryCodeError
    from app.security.folder_key import save_key
    from app.security.restore_key import read_code_file
    from db import cipher

    database = DataPaths(data_dir).database
    if not database.is_file() or cipher.is_plain(database):
        print(f"glabella: there is no encrypted clinic database in {data_dir} to recover the "
              f"key of (use --data-dir to point at the clinic's data folder).", file=err)
        return EXIT_USAGE
    try:
        key = (read_code_file(code_file) if code_file is not None else
               ClinicKey.from_recovery_code(getpass.getpass("Recovery code: ")))
    except RecoveryCodeError as exc:
        print(f"glabella: {exc.message}", file=err)
        return EXIT_USAGE
    if not cipher.opens_with(database, key.raw):
        print(f"glabella: that recovery code is well formed but does not open {database}: "
              f"it is another clinic's (or another data folder's). Nothing was changed.",
              file=err)
        return EXIT_FAILED
    kept = save_key(data_dir, key)
    print(f"Recovery code accepted: the key of {database} is now kept in "
          f"{kept.store.where()}.", file=out)
    return EXIT_OK
