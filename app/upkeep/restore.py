"""Restoring a backup: check it, show the plan, have it confirmed, then replace the database.

The backup is first proved sound (app.upkeep.backup.check_backup). Then, with the data
folder's lock held, the plan (app.upkeep.restore_plan) says what would be lost and what
would come back, and whether the backup is this clinic's: another clinic's is refused
unless this computer is moving to that clinic. Only once ``confirm`` agrees is the current
database set aside as ``glabella.db.before-restore-<UTC time>`` and the backup copied in
with SQLite's backup API. If the copy fails the current database is put back.

The signing folder (``DATA/signing``) is never read for writing here: a restore replaces
the records, never the identity that certifies them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.base.paths import DataPaths
from app.base.storage_errors import plain_reason
from app.runtime.instance_lock import InstanceLock
from app.upkeep.backup import (
    BackupCheck,
    BackupError,
    Clock,
    backup_key,
    check_backup,
    stamp,
    utc_now,
)
from app.upkeep.restore_plan import RestorePlan, plan_restore
from db import Store, StoreError, cipher
from db.audit_chain import Origin
from db.checks import open_read_only
from db.clinic_identity import change_clinic_id, clinic_id
from db.encrypt import export_encrypted
from db.upkeep import checkpoint, copy_database

Confirm = Callable[[RestorePlan], bool]


class RestoreRefused(BackupError):
    """The backup failed its checks or was refused; nothing was changed."""


class OtherClinicRefused(RestoreRefused):
    """The backup is another clinic's and no move to that clinic was asked for."""

    def __init__(self, plan: RestorePlan) -> None:
        super().__init__(
            f"The backup {plan.backup} is another clinic's ({plan.clinic.compared}). "
            f"Nothing was changed. If this computer is moving to that clinic, run the "
            f"restore again with --move-to-clinic.")
        self.plan = plan


class RestoreCancelled(BackupError):
    """The plan was not confirmed; nothing was changed."""


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    set_aside: Path | None  # the database that was replaced; None if there was none
    check: BackupCheck
    plan: RestorePlan
    moved_to_clinic: str | None = None  # the clinic id taken on, when the computer moved


def restore(paths: DataPaths, backup: Path, confirm: Confirm, key: bytes, *,
            recovered: bytes | None = None, move_to_clinic: bool = False,
            clock: Clock = utc_now, origin: Origin | None = None) -> RestoreResult:
    """Replace the database with ``backup`` once ``confirm(plan)`` agrees; the current one
    is kept aside. Its audit events carry ``origin`` (who restored it, how) when given.
    The restored database is encrypted with ``key``, this data folder's clinic key; the
    backup opens with it, with ``recovered`` (a recovery code's key), or plain.

    Raises RestoreRefused (nothing changed) for an unsound backup or, without
    ``move_to_clinic``, another clinic's (OtherClinicRefused); RestoreCancelled when
    ``confirm`` says no; AlreadyOpenError while a window has the data folder open;
    BackupError if the copy itself fails (the current database is then put back).
    """
    backup = Path(backup)
    if backup.resolve() == paths.database.resolve():
        raise RestoreRefused("That file is the clinic database itself, not a backup of it.")
    check = check_backup(backup, key, recovered)
    if not check.ok:
        raise RestoreRefused(f"The backup {backup} cannot be restored: "
                             + "; ".join(check.problems) + ". Nothing was changed.")
    paths.root.mkdir(parents=True, exist_ok=True)
    with InstanceLock(paths.lock):
        source_key = backup_key(backup, key, recovered)
        plan = plan_restore(paths, backup, source_key, key)
        moving = plan.clinic.other_clinic
        if moving and not move_to_clinic:
            raise OtherClinicRefused(plan)
        if not confirm(plan):
            raise RestoreCancelled("The restore was not confirmed. Nothing was changed.")
        moved = _set_aside(paths.database, f".before-restore-{stamp(clock())}", key)
        try:
            _copy_in(backup, source_key, paths.database, key)
            with Store.open(paths.database, key) as store:  # upgrades an older backup
                store.origin = origin or store.origin
                new_id = _record(store, plan, check, moved, moving)
        except (OSError, *cipher.Error, StoreError) as exc:
            _put_back(paths.database, moved)
            raise BackupError(f"The backup could not be restored: {plain_reason(exc)}. The "
                              f"database was left as it was.") from exc
    return RestoreResult(backup, moved[0] if moved else None, check, plan,
                         new_id if moving else None)


def _record(store: Store, plan: RestorePlan, check: BackupCheck, moved: list[Path],
            moving: bool) -> str | None:
    """Log the restore in the restored database, with the clinic id it now has: the
    backup's when this computer moves to its clinic, else the one this computer had.
    Returns that id."""
    lost = plan.lost
    details: dict[str, Any] = {
        "from": str(plan.backup), "consents": check.consents,
        "set_aside": str(moved[0]) if moved else None,
        "lost": None if lost is None else {"consents": lost.consents,
                                           "patients": lost.patients,
                                           "audit_events": lost.events},
        "clinic_compared": plan.clinic.compared}
    live_id = plan.clinic.live_id
    with store.transaction():
        store.log_event("backup.restored", details=details)
        restored_id = clinic_id(store.database.conn)
        if moving:
            store.log_event("clinic.moved", details={
                "old_clinic_id": live_id, "new_clinic_id": restored_id,
                "from": str(plan.backup)})
        elif live_id and restored_id != live_id:
            # a backup from before ids existed took a new id as it was upgraded: this
            # clinic's backup keeps the id this computer already had
            change_clinic_id(store, live_id, "clinic.id_kept", {"from": str(plan.backup)})
            restored_id = live_id
    return restored_id


_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def _copy_in(backup: Path, source_key: bytes | None, database: Path, key: bytes) -> None:
    """The backup's records into ``database``, encrypted with ``key``: page by page when
    the backup has that key already, else re-encrypted (a plain or another computer's)."""
    if source_key == key:
        source = open_read_only(backup, key)
        try:
            copy_database(source, database, key)
        finally:
            source.close()
    else:
        export_encrypted(backup, database, key, source_key)


def _set_aside(database: Path, suffix: str, key: bytes) -> list[Path]:
    """Rename the database and its side files (checkpointed first when possible) so they
    still belong together; returns the new names, the database first."""
    if not database.exists():
        return []
    try:
        checkpoint(database, None if cipher.is_plain(database) else key)
    except cipher.Error:
        pass  # a damaged database is moved aside as it is, side files and all
    moved = []
    for side in _SIDE_FILES:
        source = database.with_name(database.name + side)
        if source.exists():
            target = database.with_name(database.name + suffix + side)
            source.replace(target)
            moved.append(target)
    return moved


def _put_back(database: Path, moved: list[Path]) -> None:
    for side in _SIDE_FILES:
        database.with_name(database.name + side).unlink(missing_ok=True)
    if not moved:
        return
    aside = moved[0].name
    for path in moved:
        path.replace(database.with_name(database.name + path.name[len(aside):]))
