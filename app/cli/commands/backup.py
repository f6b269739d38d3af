"""``glabella backup [--to DIR]`` and ``glabella restore FILE [--yes] [--move-to-clinic]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.cli.commands import EXIT_OK, EXIT_USAGE
from app.cli.commands.store import open_existing_store

if TYPE_CHECKING:
    from app.cli.credentials import Credentials
    from app.upkeep.restore_plan import RestorePlan
    from db.audit_chain import Origin


def run_backup(to: Path | None, data_dir: Path, who: Credentials | None, out: TextIO,
               err: TextIO) -> int:
    """Back up while a window may be open: the online backup API reads a consistent copy."""
    from app.base.outputs import check_backup_folder
    from app.base.paths import DataPaths
    from app.upkeep.backup import keep_count, make_backup

    folder = None if to is None else check_backup_folder(to, DataPaths(data_dir))
    store = open_existing_store(data_dir, err, who)
    if store is None:
        return EXIT_USAGE
    with store:  # a backup that cannot be made is said by run_command (exit 1)
        result = make_backup(store, DataPaths(data_dir), folder=folder)
        keep = keep_count(store)
    print(f"Backup written: {result.path} ({result.size / 1e6:,.1f} MB, "
          f"{result.consents:,} consent{'s' if result.consents != 1 else ''}).", file=out)
    if result.removed:
        print(f"Older backups removed (the newest {keep} are kept): "
              + ", ".join(p.name for p in result.removed), file=out)
    return EXIT_OK


CONFIRM_WORD = "RESTORE"


class NoTerminalToConfirm(Exception):
    """No --yes and no terminal to ask on: the restore cannot be confirmed."""


def run_restore(backup: Path, data_dir: Path, who: Credentials | None, out: TextIO,
                err: TextIO, *, yes: bool = False, move_to_clinic: bool = False,
                code_file: Path | None = None, stdin: TextIO | None = None) -> int:
    """Show the plan, then restore once confirmed: ``--yes``, or RESTORE typed on a
    terminal; with neither, refuse (exit 2) and change nothing. With ``who``, they sign in
    to the live database first (a new computer, with no database yet, restores without:
    there is nothing there for it to replace). ``code_file`` holds the recovery code of a
    backup made on another computer."""
    from app.base.paths import DataPaths
    from app.runtime.instance_lock import AlreadyOpenError
    from app.security.restore_key import keys_for_restore
    from app.upkeep.restore import OtherClinicRefused, restore

    terminal = sys.stdin if stdin is None else stdin  # None in a windowed build

    def confirm(plan: RestorePlan) -> bool:
        _show(plan, move_to_clinic, out)
        if yes:
            return True
        if terminal is None or not terminal.isatty():
            raise NoTerminalToConfirm
        print(f"Type {CONFIRM_WORD} to go ahead (anything else cancels): ", end="", file=out,
              flush=True)
        return terminal.readline().strip() == CONFIRM_WORD

    if not backup.is_file():
        print(f"glabella: {backup} does not exist.", file=err)
        return EXIT_USAGE
    origin = None
    if who is not None:
        origin = _sign_in_to_live(data_dir, who, out)
    key, recovered = keys_for_restore(data_dir, code_file)
    try:  # a backup refused, cancelled or not restored is said by run_command (exit 1)
        result = restore(DataPaths(data_dir), backup, confirm, key, recovered=recovered,
                         move_to_clinic=move_to_clinic, origin=origin)
    except AlreadyOpenError as exc:
        print(f"glabella: {exc.message} Close it before restoring a backup.", file=err)
        return EXIT_USAGE
    except OtherClinicRefused as exc:
        _show(exc.plan, move_to_clinic, out)
        raise
    except NoTerminalToConfirm:
        print("glabella: a restore must be confirmed and there is no terminal to ask on. "
              "Read the plan above, then run the command again with --yes. Nothing was "
              "changed.", file=err)
        return EXIT_USAGE
    print(f"Restored {backup} into {DataPaths(data_dir).database}.", file=out)
    if result.set_aside is not None:
        print(f"The database it replaced was kept as {result.set_aside}.", file=out)
    if result.moved_to_clinic is not None:
        print(f"This computer now belongs to the backup's clinic (clinic id "
              f"{result.moved_to_clinic}); the move is in the audit log.", file=out)
    elif move_to_clinic:
        print("No move was needed: the backup is not another clinic's.", file=out)
    return EXIT_OK


def _show(plan: RestorePlan, move_to_clinic: bool, out: TextIO) -> None:
    """The backup's check (it passed: the plan is made only then), then the plan."""
    n = plan.backup_consents
    print(f"Backup checked: integrity ok, a schema this version opens, {n:,} stored "
          f"PDF{'s' if n != 1 else ''} re-hashed and matching.", file=out)
    for line in plan.lines(move_to_clinic):
        print(line, file=out)


def _sign_in_to_live(data_dir: Path, who: Credentials, out: TextIO) -> Origin:
    """Sign ``who`` in to the live database; a right PIN is logged with the restore, in the
    restored database, so a restore refused or not confirmed still changes nothing (a wrong
    PIN is logged as always). A live database too damaged to open cannot check a PIN:
    replacing it is what the restore is for, so it goes ahead, its event naming the OS
    account only."""
    from app.base.errors import KnownError
    from app.cli.commands.store import open_keyed
    from db.audit_chain import Origin

    try:
        live = open_keyed(data_dir)
    except KnownError:  # damaged, or its key is lost: the recovery code restores one
        print(f"The current database cannot be opened, so {who.staff}'s PIN could not be "
              f"checked against it; the restore replaces it (its audit event names no staff "
              f"member).", file=out)
        return Origin.here(who.via)
    with live:
        return who.sign_in(live, log=False).origin
