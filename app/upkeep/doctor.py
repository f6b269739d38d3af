"""``glabella doctor``: is this clinic's data sound and safely kept? Read-only.

Runs integrity_check and foreign_key_check, re-hashes every stored PDF, walks the audit
chain, and looks at the disk and where the data folder sits. It only reads, so it is safe
while a window is open and on a damaged database.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.base.errors import KnownError
from app.base.paths import DataPaths, emergency_drafts_dir
from app.base.private_files import loose
from app.document.verify import format_time
from app.upkeep.data_location import location_warnings
from db import cipher
from db.audit_chain import chain_report
from db.checks import (
    applied_migrations,
    foreign_key_problems,
    integrity_problems,
    open_read_only,
    pdf_hash_report,
    unknown_migrations,
)
from db.errors import NotADatabaseError
from db.migrations import KNOWN_MIGRATIONS
from db.upkeep import last_backup

LOW_DISK_BYTES = 1 << 30  # below this, the next consents may fail to save
OK, NOTE, WARNING, PROBLEM = "ok", "note", "WARNING", "PROBLEM"
RESTORE = "Restore the latest backup with `glabella restore FILE`."


@dataclass(frozen=True)
class Finding:
    level: str  # OK, NOTE, WARNING or PROBLEM
    text: str


@dataclass(frozen=True)
class DoctorReport:
    folder: Path
    findings: list[Finding]

    @property
    def healthy(self) -> bool:
        return all(f.level in (OK, NOTE) for f in self.findings)


def examine(paths: DataPaths, mounts: str | None = None,
            now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> DoctorReport:
    """Every check, in plain words; ``mounts`` stands in for /proc/mounts in tests."""
    findings, key = _key_findings(paths)
    try:
        conn = open_read_only(paths.database, key)
    except NotADatabaseError as exc:
        findings.append(Finding(PROBLEM, f"{exc.message} {RESTORE}"))
        conn = None
    if conn is not None:
        try:
            findings += _database_findings(conn, paths, now)
        finally:
            conn.close()
    findings += _folder_findings(paths, mounts)
    return DoctorReport(paths.root, findings)


def _key_findings(paths: DataPaths) -> tuple[list[Finding], bytes | None]:
    """Is the database encrypted, and where is its key? The key to open it with (None for
    a plain database, or when this computer lacks it)."""
    from app.security.folder_key import load_key

    if cipher.is_plain(paths.database):
        return [Finding(WARNING, "The database is NOT encrypted: anyone with a copy of the "
                                 "file can read every record. Start Glabella once to have it "
                                 "encrypted with the clinic key.")], None
    try:
        found = load_key(paths.root)
    except KnownError as exc:
        return [Finding(PROBLEM, exc.message)], None
    if found is None:
        return [Finding(PROBLEM, "The database is encrypted but the data folder names no "
                                 "clinic key. Enter the clinic's recovery code with "
                                 "'glabella key recover'.")], None
    where = found.store.where()
    if found.store.fallback:
        return [Finding(WARNING, f"The database is encrypted, but its key is kept in {where}: "
                                 "anyone who can read this account's files can read it. "
                                 "Use a computer account with a credential store (Windows, "
                                 "macOS, or a desktop session on Linux).")], found.key.raw
    return [Finding(OK, f"The database is encrypted; its key is kept in {where}.")], \
        found.key.raw


def _database_findings(conn: Any, paths: DataPaths,
                       now: Callable[[], datetime]) -> list[Finding]:
    findings = []
    damage = integrity_problems(conn)
    if damage:
        findings.append(Finding(PROBLEM, "The database is DAMAGED (integrity_check: "
                                + "; ".join(damage) + f"). {RESTORE}"))
    else:
        findings.append(Finding(OK, "Database structure intact (integrity_check)."))
    checks: list[Callable[[], list[Finding]]] = [
        lambda: _schema_findings(conn), lambda: _link_findings(conn),
        lambda: _pdf_findings(conn), lambda: _audit_findings(conn),
        lambda: _backup_findings(conn, paths, now)]
    for check in checks:
        try:
            findings += check()
        except cipher.READ_ERRORS as exc:  # a damaged file fails part-way; say so and go on
            findings.append(Finding(PROBLEM, f"A check could not finish: {exc}."))
    return findings


def _schema_findings(conn: Any) -> list[Finding]:
    applied = applied_migrations(conn)
    if applied is None:
        return [Finding(PROBLEM, "This is an SQLite file but not a Glabella database.")]
    newer = unknown_migrations(applied)
    if newer:
        return [Finding(PROBLEM, "The database was upgraded by a newer version of Glabella "
                                 f"({', '.join(newer)}): update Glabella.")]
    pending = len(KNOWN_MIGRATIONS) - len(applied)
    if pending:
        return [Finding(NOTE, f"The database is {pending} schema change"
                              f"{'s' if pending != 1 else ''} behind this version; Glabella "
                              f"upgrades it when it next opens it.")]
    return []


def _link_findings(conn: Any) -> list[Finding]:
    broken = foreign_key_problems(conn)
    if broken:
        return [Finding(PROBLEM, "Records point at records that are gone (foreign_key_check): "
                                 + "; ".join(broken) + f". {RESTORE}")]
    return [Finding(OK, "Every record's links are whole (foreign_key_check).")]


def _pdf_findings(conn: Any) -> list[Finding]:
    report = pdf_hash_report(conn)
    n = f"{report.checked:,} stored PDF{'s' if report.checked != 1 else ''}"
    if report.ok:
        return [Finding(OK, "No consent stored yet." if not report.checked else
                        f"{'The' if report.checked == 1 else 'All'} {n} "
                        f"match{'es' if report.checked == 1 else ''} the SHA-256 kept when "
                        f"{'it was' if report.checked == 1 else 'they were'} signed.")]
    return [Finding(PROBLEM, f"Of {n}, these no longer match the SHA-256 kept when they "
                             f"were signed: " + "; ".join(report.problems) + f". {RESTORE}")]


def _audit_findings(conn: Any) -> list[Finding]:
    chain = chain_report(conn)
    if chain.intact:
        return [Finding(OK, f"Audit log intact: {chain.events:,} events, hash chain unbroken "
                            f"(head {chain.head[:16]}…).")]
    assert chain.problem is not None
    return [Finding(PROBLEM, f"Audit log TAMPERED at seq {chain.problem.seq}: "
                             f"{chain.problem.message}.")]


def _backup_findings(conn: Any, paths: DataPaths,
                     now: Callable[[], datetime]) -> list[Finding]:
    last = last_backup(conn)
    if last is None:
        return [Finding(NOTE, "No backup has been made yet: run `glabella backup` (the window "
                              "makes one daily).")]
    at, details = last
    days = (now() - datetime.fromisoformat(at)).days
    where = details.get("path", "")
    return [Finding(NOTE, f"Last backup {format_time(at)} ({days} day"
                          f"{'s' if days != 1 else ''} ago): {where}")]


def _folder_findings(paths: DataPaths, mounts: str | None) -> list[Finding]:
    findings = []
    try:
        free = shutil.disk_usage(paths.root).free
    except OSError as exc:
        findings.append(Finding(WARNING, f"Free disk space unknown ({exc.strerror})."))
    else:
        gb = f"{free / 1e9:,.1f} GB"
        if free < LOW_DISK_BYTES:
            findings.append(Finding(WARNING, f"Only {gb} free on the disk holding the data "
                                             f"folder: consents may fail to save. Free some "
                                             f"space."))
        else:
            findings.append(Finding(OK, f"Free disk space: {gb}."))
    findings += [Finding(WARNING, w) for w in location_warnings(paths.root, mounts)]
    findings += _privacy_findings(paths)
    for folder in (paths.drafts, emergency_drafts_dir()):
        drafts = sorted(folder.glob("*.json")) if folder.is_dir() else []
        if drafts:
            findings.append(Finding(NOTE, f"{len(drafts)} unfinished consult"
                                          f"{'s are' if len(drafts) != 1 else ' is'} kept as "
                                          f"draft{'s' if len(drafts) != 1 else ''} in {folder} "
                                          f"(finalize with `glabella finalize FILE`)."))
    return findings


def _privacy_findings(paths: DataPaths) -> list[Finding]:
    """Anything in the data folder that other accounts can read (the emergency drafts'
    folder is made private whenever one is written). POSIX modes only: on Windows the
    folder's owner-only ACL is set when Glabella opens."""
    if sys.platform == "win32" or not paths.root.is_dir():
        return []
    found = loose(paths.root)
    if not found:
        return [Finding(OK, "Only this account can read the data folder and its files.")]
    shown = ", ".join(str(p) for p in found[:5]) + (f" and {len(found) - 5} more"
                                                   if len(found) > 5 else "")
    return [Finding(WARNING, f"{len(found)} file{'s' if len(found) != 1 else ''} or "
                             f"folder{'s' if len(found) != 1 else ''} in the data folder can "
                             f"be read by other accounts on this computer: {shown}. Start "
                             f"Glabella once (it makes them private when it opens), or run "
                             f"`chmod -R go-rwx {paths.root}`.")]


def describe(report: DoctorReport) -> list[str]:
    lines = [f"Glabella doctor: {report.folder}"]
    lines += [f"  {f.level:<8} {f.text}" for f in report.findings]
    if report.healthy:
        lines.append("Healthy.")
    else:
        bad = sum(f.level in (WARNING, PROBLEM) for f in report.findings)
        lines.append(f"NOT healthy: {bad} thing{'s' if bad != 1 else ''} to fix (above).")
    return lines
