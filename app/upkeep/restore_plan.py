"""The plan a restore shows before it changes anything: what the live database holds that
the backup lacks (and would leave the records, kept only in the set-aside copy), what the
backup brings back, whether it is this clinic's, and what it means for the signing identity.

Counts only: the plan never names a patient.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from app.base.paths import DataPaths
from db import cipher
from db.checks import open_read_only
from db.clinic_identity import clinic_id, clinic_name
from db.errors import NotADatabaseError
from db.restore_plan import (
    BACKUP_SCHEMA,
    all_counts,
    attach_read_only,
    missing_counts,
    signing_fingerprints,
)


@dataclass(frozen=True)
class Records:
    """Counts of consents, patients and audit events."""

    consents: int = 0
    patients: int = 0
    events: int = 0

    @classmethod
    def of(cls, counts: dict[str, int]) -> Records:
        return cls(counts["consents"], counts["patients"], counts["audit_events"])

    @property
    def none(self) -> bool:
        return not (self.consents or self.patients or self.events)

    def words(self) -> str:
        return (f"{_n(self.consents, 'consent')}, {_n(self.patients, 'patient')} and "
                f"{_n(self.events, 'audit event')}")


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class ClinicMatch:
    """Is the backup this clinic's? ``same`` is None when nothing could be compared."""

    same: bool | None
    compared: str  # what was compared, in plain words
    live_id: str | None = None
    backup_id: str | None = None
    live_name: str | None = None
    backup_name: str | None = None

    @property
    def renamed(self) -> bool:
        """Both name a clinic, and not the same one."""
        return bool(self.live_name and self.backup_name and self.live_name != self.backup_name)

    @property
    def other_clinic(self) -> bool:
        return self.same is False


@dataclass(frozen=True)
class RestorePlan:
    backup: Path
    database: Path
    has_live: bool  # False on a new computer: there is nothing to lose
    lost: Records | None  # live has, backup lacks; None when the live file cannot be read
    live_problem: str | None  # why it cannot, in plain words
    gained: Records  # backup has, live lacks
    clinic: ClinicMatch
    backup_consents: int
    backup_certificates: tuple[str, ...]  # fingerprints the backup's audit log names
    foreign_certificates: tuple[str, ...]  # those of them this computer does not hold
    has_signing_identity: bool

    @property
    def loses_nothing(self) -> bool:
        return not self.has_live or (self.lost is not None and self.lost.none)

    def lines(self, move_to_clinic: bool = False) -> list[str]:
        """The plan in plain words, one line per point."""
        lines = [f"Restore plan: {self.backup} into {self.database}."]
        lines.append(self._clinic_line(move_to_clinic))
        if not self.has_live:
            lines.append("There is no database here yet: nothing would be lost.")
        elif self.lost is None:
            lines.append(f"The current database cannot be read ({self.live_problem}), so "
                         f"what it holds that the backup lacks cannot be counted; it is "
                         f"kept aside as it is.")
        elif self.lost.none:
            lines.append("Nothing would be lost: the current database holds no consent, "
                         "patient or audit event that the backup lacks.")
        else:
            lines.append(f"Would be lost: the current database holds {self.lost.words()} "
                         f"that the backup lacks. They would leave the records and be kept "
                         f"only in the set-aside copy of the current database.")
        if self.has_live:
            lines.append(f"Would come back: the backup holds {self.gained.words()} that "
                         f"the current database lacks.")
        else:
            lines.append(f"The backup holds {self.gained.words()}.")
        lines.append(self._signing_line())
        return lines

    def _clinic_line(self, move_to_clinic: bool) -> str:
        if self.clinic.same is None:
            return f"Clinic: {self.clinic.compared}."
        if self.clinic.same:
            return f"Clinic: the same clinic ({self.clinic.compared})."
        line = f"Clinic: this backup is from another clinic ({self.clinic.compared})."
        if move_to_clinic:
            line += (f" This computer would move to that clinic: its clinic id would become "
                     f"{self.clinic.backup_id or 'a new one'} (it was "
                     f"{self.clinic.live_id or 'not set'}).")
        return line

    def _signing_line(self) -> str:
        kept = "The signing identity in signing/ is never changed by a restore."
        if self.has_signing_identity and self.clinic.renamed:
            # ensure_identity reissues a certificate Glabella made when the name changes
            kept += (f" The backup names the clinic \"{self.clinic.backup_name}\": if this "
                     f"computer's certificate is one Glabella made, the next consent "
                     f"certified here renews it under that name (logged as "
                     f"signing.identity_replaced); an imported one is kept as it is.")
        if not self.backup_consents:
            return kept
        if not self.has_signing_identity:
            return (f"{kept} This computer has no signing identity yet: the backup's "
                    f"consents were certified by a certificate it does not hold, and its "
                    f"next consent will be certified by a new one. Copy the clinic's "
                    f"signing/ folder here to keep certifying as before.")
        if self.foreign_certificates:
            shown = ", ".join(f[:16] + "…" for f in self.foreign_certificates)
            return (f"{kept} The backup's consents were certified by "
                    f"{_n(len(self.foreign_certificates), 'certificate')} this computer's "
                    f"signing identity does not hold (SHA-256 {shown}): here they would not "
                    f"verify as certified by this clinic until it is added (copy that "
                    f"clinic's signing/ folder here, or import its PKCS#12 with glabella "
                    f"signing import).")
        if not self.backup_certificates:
            return (f"{kept} The backup's audit log does not say which certificate "
                    f"certified its consents.")
        return (f"{kept} The backup's consents were certified by a certificate this "
                f"computer holds (its signing identity, current or retired).")


def plan_restore(paths: DataPaths, backup: Path, backup_key: bytes | None, key: bytes
                 ) -> RestorePlan:
    """Compare the live database in ``paths`` (encrypted with ``key``, or plain before its
    upgrade) with ``backup`` (already checked sound; ``backup_key`` opens it, None: plain),
    read-only, by ids."""
    conn = open_read_only(backup, backup_key)
    try:
        gained = Records.of(all_counts(conn))
        backup_id, backup_name = clinic_id(conn), clinic_name(conn)
        certificates = tuple(signing_fingerprints(conn))
    finally:
        conn.close()
    held = _held_fingerprints(paths)

    def plan(**live_side: Any) -> RestorePlan:
        return RestorePlan(backup=backup, database=paths.database,
                           backup_consents=backup_records.consents,
                           backup_certificates=certificates,
                           foreign_certificates=tuple(f for f in certificates if f not in held),
                           has_signing_identity=bool(held), **live_side)

    backup_records = gained
    if not paths.database.exists():
        return plan(has_live=False, lost=None, live_problem=None, gained=gained,
                    clinic=ClinicMatch(None, "there is no database here yet to compare the "
                                       "clinic with", None, backup_id))
    # a live database too damaged to compare is the usual reason to restore
    unreadable = ClinicMatch(None, "the current database cannot be read, so the clinic "
                                   "could not be compared", None, backup_id)
    try:
        live = open_read_only(paths.database,
                              None if cipher.is_plain(paths.database) else key)
    except (NotADatabaseError, *cipher.Error) as exc:
        problem = exc.message if isinstance(exc, NotADatabaseError) else str(exc)
        return plan(has_live=True, lost=None, live_problem=problem.rstrip("."),
                    gained=gained, clinic=unreadable)
    try:
        attach_read_only(live, backup, backup_key)
        lost = Records.of(missing_counts(live, "main", BACKUP_SCHEMA))
        gained = Records.of(missing_counts(live, BACKUP_SCHEMA, "main"))
        clinic = _compare_clinics(clinic_id(live), clinic_name(live), backup_id, backup_name)
        clinic = replace(clinic, live_name=clinic_name(live), backup_name=backup_name)
    except cipher.Error as exc:
        return plan(has_live=True, lost=None, live_problem=str(exc).rstrip("."),
                    gained=gained, clinic=unreadable)
    finally:
        live.close()
    return plan(has_live=True, lost=lost, live_problem=None, gained=gained, clinic=clinic)


def _compare_clinics(live_id: str | None, live_name: str | None, backup_id: str | None,
                     backup_name: str | None) -> ClinicMatch:
    if live_id and backup_id:
        return ClinicMatch(live_id == backup_id,
                           f"clinic id {backup_id[:8]}… in the backup, {live_id[:8]}… here",
                           live_id, backup_id)
    older = "the backup was" if not backup_id else "the current database was"
    if live_name and backup_name:
        return ClinicMatch(live_name == backup_name,
                           f"{older} made before clinic ids existed, so the clinic name "
                           f"setting was compared: \"{backup_name}\" in the backup, "
                           f"\"{live_name}\" here", live_id, backup_id)
    return ClinicMatch(None, f"{older} made before clinic ids existed and the clinic name "
                             f"is not set in both, so the clinic could not be compared",
                       live_id, backup_id)


def _held_fingerprints(paths: DataPaths) -> set[str]:
    """Fingerprints of the certificates this computer certifies with or keeps (retired)."""
    from app.document.signing.identity import fingerprint, trusted_certificates

    try:
        return {fingerprint(c) for c in trusted_certificates(paths.signing)}
    except (OSError, ValueError):
        return set()
