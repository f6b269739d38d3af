"""``glabella backup [--to DIR]`` and ``glabella restore FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from app.cli.commands import EXIT_OK, EXIT_USAGE
from app.cli.commands.store import open_existing_store


def run_backup(to: Path | None, data_dir: Path, out: TextIO, err: TextIO) -> int:
    """Back up while a window may be open: the online backup API reads a consistent copy."""
    from app.base.paths import DataPaths
    from app.upkeep.backup import keep_count, make_backup

    store = open_existing_store(data_dir, err)
    if store is None:
        return EXIT_USAGE
    with store:  # a backup that cannot be made is said by run_command (exit 1)
        result = make_backup(store, DataPaths(data_dir), folder=to)
        keep = keep_count(store)
    print(f"Backup written: {result.path} ({result.size / 1e6:,.1f} MB, "
          f"{result.consents:,} consent{'s' if result.consents != 1 else ''}).", file=out)
    if result.removed:
        print(f"Older backups removed (the newest {keep} are kept): "
              + ", ".join(p.name for p in result.removed), file=out)
    return EXIT_OK


def run_restore(backup: Path, data_dir: Path, out: TextIO, err: TextIO,
                code_file: Path | None = None) -> int:
    from app.base.paths import DataPaths
    from app.runtime.instance_lock import AlreadyOpenError
    from app.security.restore_key import keys_for_restore
    from app.upkeep.backup import restore

    if not backup.is_file():
        print(f"glabella: {backup} does not exist.", file=err)
        return EXIT_USAGE
    key, recovered = keys_for_restore(data_dir, code_file)
    try:  # a backup refused or not restored is said by run_command (exit 1)
        result = restore(DataPaths(data_dir), backup, key, recovered=recovered)
    except AlreadyOpenError as exc:
        print(f"glabella: {exc.message} Close it before restoring a backup.", file=err)
        return EXIT_USAGE
    n = result.check.consents
    print(f"Backup checked: integrity ok, a schema this version opens, {n:,} stored "
          f"PDF{'s' if n != 1 else ''} re-hashed and matching.", file=out)
    print(f"Restored {backup} into {DataPaths(data_dir).database}.", file=out)
    if result.set_aside is not None:
        print(f"The database it replaced was kept as {result.set_aside}.", file=out)
    return EXIT_OK
