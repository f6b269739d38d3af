"""Backups with SQLite's online backup API, rotation, and restores that check first."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.base.paths import DataPaths
from app.cli.main import main
from app.consult.demo import build_demo_consent
from app.runtime.instance_lock import InstanceLock
from app.runtime.service import Glabella
from app.upkeep.backup import (
    BackupError,
    backup_if_due,
    backup_if_due_at,
    backups_in,
    check_backup,
    make_backup,
)
from tests import db_keys

T0 = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)


def fixed_clock_at(moment: datetime):
    return lambda: moment


def _pdf_hashes(db: Path) -> dict[str, str]:
    conn = db_keys.connect(db)
    try:
        return {cid: hashlib.sha256(pdf).hexdigest()
                for cid, pdf in conn.execute("SELECT id, pdf FROM consents")}
    finally:
        conn.close()


@pytest.fixture
def clinic(certified, tmp_path):
    return certified.copy(tmp_path / "data")


def test_backup_command_writes_a_sound_self_contained_copy(clinic, capsys, staff):
    assert main(["backup", *staff, "--data-dir", str(clinic.data_dir)]) == 0
    out = capsys.readouterr().out
    [backup] = backups_in(clinic.data_dir / "backups")
    assert f"Backup written: {backup} (" in out and "1 consent)" in out
    assert backup.name.startswith("glabella-") and backup.name.endswith("Z.db")
    assert not list(backup.parent.glob("*.partial"))
    conn = db_keys.connect(backup)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert not Path(f"{backup}-wal").exists()
    assert _pdf_hashes(backup) == {clinic.consent_id: hashlib.sha256(clinic.pdf).hexdigest()}
    with db_keys.open_store(clinic.data_dir / "glabella.db") as store:
        [event] = [e for e in store.audit_events() if e["event"] == "backup.made"]
        assert event["details"]["path"] == str(backup)
        assert store.audit_chain().intact
    assert check_backup(backup, db_keys.key_of(backup)).ok


def test_backups_rotate_and_follow_the_folder_setting(clinic, tmp_path):
    usb = tmp_path / "usb"
    with db_keys.open_store(clinic.data_dir / "glabella.db") as store:
        store.set_setting("backup.folder", str(usb))
        store.set_setting("backup.keep", "3")
        paths = DataPaths(clinic.data_dir)
        made = [make_backup(store, paths, clock=fixed_clock_at(T0 + timedelta(hours=i)))
                for i in range(5)]
    assert backups_in(usb) == [m.path for m in made[2:]]
    assert made[3].removed == [made[0].path]
    assert not (clinic.data_dir / "backups").exists()
    # two in the same second get distinct names
    with db_keys.open_store(clinic.data_dir / "glabella.db") as store:
        a = make_backup(store, paths, clock=fixed_clock_at(T0))
        b = make_backup(store, paths, clock=fixed_clock_at(T0))
    assert a.path != b.path and b.path.name.endswith("-2.db")


def test_backup_if_due_once_a_day(clinic):
    service = Glabella.open(clinic.data_dir)
    try:
        first = backup_if_due(service, clock=fixed_clock_at(T0))
        assert first is not None and first.path.exists()
        assert backup_if_due(service, clock=fixed_clock_at(T0 + timedelta(hours=23))) is None
        again = backup_if_due(service, clock=fixed_clock_at(T0 + timedelta(hours=25)))
        assert again is not None and again.path != first.path
    finally:
        service.close()


def test_backup_if_due_at_opens_its_own_connection_beside_the_running_service(clinic):
    # the window's worker thread: the service (and its instance lock) stay open meanwhile
    service = Glabella.open(clinic.data_dir)
    try:
        made = backup_if_due_at(service.paths, service.store.key, clock=fixed_clock_at(T0))
        assert made is not None and backups_in(service.paths.backups) == [made.path]
        assert check_backup(made.path, service.store.key).ok
        # the service's own connection sees the worker's audit event, from the window
        [made_event] = [e for e in service.store.audit_events() if e["event"] == "backup.made"]
        assert made_event["origin"]["via"] == "window"
        assert backup_if_due(service, clock=fixed_clock_at(T0 + timedelta(hours=2))) is None
        later = fixed_clock_at(T0 + timedelta(hours=2))
        assert backup_if_due_at(service.paths, service.store.key, clock=later) is None
    finally:
        service.close()


def test_backup_if_due_at_a_missing_database_says_so(tmp_path):
    paths = DataPaths(tmp_path / "nowhere" / "deeper")
    with pytest.raises(BackupError, match="could not be opened for a backup"):
        backup_if_due_at(paths, bytes(32), clock=fixed_clock_at(T0))
    assert not (tmp_path / "nowhere").exists()


def test_backup_to_an_unusable_folder_says_so(clinic, tmp_path, capsys, staff):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert main(["backup", *staff, "--to", str(blocker / "sub"), "--data-dir",
                 str(clinic.data_dir)]) == 1
    err = capsys.readouterr().err
    assert f"The backup could not be written to {blocker / 'sub'}" in err
    assert "The records themselves are unchanged." in err
    with db_keys.open_store(clinic.data_dir / "glabella.db") as store:
        with pytest.raises(BackupError):
            make_backup(store, DataPaths(clinic.data_dir), folder=blocker / "sub")


def test_restore_round_trip_keeps_the_replaced_database_aside(clinic, pack, tmp_path, capsys,
                                                              staff):
    data = clinic.data_dir
    assert main(["backup", *staff, "--data-dir", str(data)]) == 0
    [backup] = backups_in(data / "backups")
    service = Glabella.open(data)  # a consent made after the backup
    try:
        later = service.finalize(build_demo_consent(pack, service.clock)).consent_id
    finally:
        service.close()
    capsys.readouterr()

    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "1 stored PDF re-hashed and matching" in out
    [aside] = data.glob("glabella.db.before-restore-*Z")
    assert f"kept as {aside}" in out
    assert not list(data.glob("glabella.db.before-restore-*-wal"))  # checkpointed first
    assert set(_pdf_hashes(aside)) == {clinic.consent_id, later}
    assert _pdf_hashes(data / "glabella.db") == _pdf_hashes(backup)
    with db_keys.open_store(data / "glabella.db") as store:
        assert store.audit_chain().intact
        [event] = [e for e in store.audit_events() if e["event"] == "backup.restored"]
        assert event["details"]["from"] == str(backup)
        assert event["details"]["set_aside"] == str(aside)


def _corrupt(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    page = 4096
    for offset in range(2 * page, len(raw), page):  # every page's b-tree header but the first
        raw[offset:offset + 8] = b"\xff" * 8
    path.write_bytes(bytes(raw))


def _tampered_pdf(path: Path) -> None:
    conn = db_keys.connect(path)
    conn.execute("DROP TRIGGER consents_signed_no_update")
    conn.execute("UPDATE consents SET pdf = CAST('%PDF-forged' AS BLOB)")
    conn.commit()
    conn.close()


def _from_the_future(path: Path) -> None:
    conn = db_keys.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                 " VALUES ('glabella', 'm0099_future', 'x')")
    conn.commit()
    conn.close()


def _not_sqlite(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 a zip file, say" * 100)


@pytest.mark.parametrize(("spoil", "says"), [
    (_corrupt, "it is damaged"),
    (_tampered_pdf, "stored PDFs do not match their hashes"),
    (_from_the_future, "it was made by a newer version of Glabella"),
    (_not_sqlite, "it is not a Glabella backup"),
])
def test_restore_refuses_an_unsound_backup_and_changes_nothing(clinic, capsys, spoil, says,
                                                               staff):
    data = clinic.data_dir
    assert main(["backup", *staff, "--data-dir", str(data)]) == 0
    [backup] = backups_in(data / "backups")
    spoil(backup)
    before = (data / "glabella.db").read_bytes()
    capsys.readouterr()
    assert main(["restore", *staff, str(backup), "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert f"The backup {backup} cannot be restored: {says}" in err
    assert err.rstrip().endswith("Nothing was changed.")
    assert (data / "glabella.db").read_bytes() == before
    assert not list(data.glob("glabella.db.before-restore-*"))


def test_restore_waits_for_the_window_to_close(clinic, capsys, staff):
    data = clinic.data_dir
    assert main(["backup", *staff, "--data-dir", str(data)]) == 0
    [backup] = backups_in(data / "backups")
    with InstanceLock(DataPaths(data).lock):
        assert main(["restore", *staff, str(backup), "--data-dir", str(data)]) == 2
    assert ("Glabella is already open for this data folder (another window or another "
            "user).") in capsys.readouterr().err
    assert not list(data.glob("glabella.db.before-restore-*"))
