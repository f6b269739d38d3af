"""Restores that say what they change first, need a confirmation, refuse another clinic's
backup unless the computer moves to it, and never touch the signing identity."""

from __future__ import annotations

import hashlib
import os
import pty
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.base.paths import DataPaths
from app.cli.main import main
from app.consult.demo import build_demo_consent
from app.consult.patient import Patient
from app.runtime.service import Glabella
from app.security.folder_key import load_key
from app.upkeep.backup import backups_in
from app.upkeep.restore_plan import plan_restore
from db.clinic_identity import clinic_id
from tests.db_keys import connect as db_connect
from tests.db_keys import key_of, open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PRE_ID_BACKUP = FIXTURES / "schema-9-m0015_confirmations.db"  # from before clinic ids
ROOT = Path(__file__).resolve().parents[1]
LATER = [Patient(f"Later Patient {n}", date(1980 + n, 3, 1)) for n in range(3)]


@pytest.fixture
def clinic(certified, tmp_path):
    return certified.copy(tmp_path / "data")


def _backup(data: Path, staff: list[str]) -> Path:
    assert main(["backup", *staff, "--data-dir", str(data)]) == 0
    return backups_in(data / "backups")[-1]


def _finalize(data: Path, pack, patients: list[Patient]) -> None:
    service = Glabella.open(data)
    try:
        for patient in patients:
            service.finalize(build_demo_consent(pack, service.clock, patient=patient))
    finally:
        service.close()


def _ids(db: Path, table: str) -> set[str]:
    conn = db_connect(db)
    try:
        return {r[0] for r in conn.execute(f"SELECT id FROM {table}")}
    finally:
        conn.close()


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _events(db: Path, event: str) -> list[dict]:
    with open_store(db) as store:
        assert store.audit_chain().intact
        return [e for e in store.audit_events() if e["event"] == event]


def _clinic_id(db: Path) -> str | None:
    conn = db_connect(db)
    try:
        return clinic_id(conn)
    finally:
        conn.close()


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=120, **kwargs)


def test_the_plan_counts_what_three_later_consents_would_lose(clinic, pack, capsys, staff):
    data = clinic.data_dir
    backup = _backup(data, staff)
    _finalize(data, pack, LATER)
    live = DataPaths(data).database
    assert _clinic_id(backup) == _clinic_id(live)  # a backup carries the clinic's id
    lost = {t: len(_ids(live, t) - _ids(backup, t))
            for t in ("consents", "patients", "audit_events")}
    assert lost["consents"] == 3 and lost["patients"] == 3 and lost["audit_events"] > 3

    plan = plan_restore(DataPaths(data), backup, key_of(backup), key_of(live))
    assert (plan.lost.consents, plan.lost.patients, plan.lost.events) == \
        (lost["consents"], lost["patients"], lost["audit_events"])
    assert plan.gained.none and plan.clinic.same and not plan.loses_nothing

    capsys.readouterr()
    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes"]) == 0
    out = capsys.readouterr().out
    assert (f"Would be lost: the current database holds 3 consents, 3 patients and "
            f"{lost['audit_events']} audit events that the backup lacks.") in out
    assert "Clinic: the same clinic (clinic id" in out
    assert ("The backup's consents were certified by a certificate this computer holds "
            "(its signing identity, current or retired).") in out
    assert not any(p.full_name in out for p in LATER)  # counts only, never a name
    [aside] = data.glob("glabella.db.before-restore-*Z")
    assert _ids(aside, "consents") - _ids(live, "consents") == \
        _ids(aside, "consents") - _ids(backup, "consents")  # the three, kept aside
    [event] = _events(live, "backup.restored")
    assert event["details"]["lost"] == lost


def test_a_restore_that_loses_nothing_still_shows_the_plan(clinic, capsys, staff):
    data = clinic.data_dir
    backup = _backup(data, staff)  # its own backup.made event is in the live log only, so:
    database = DataPaths(data).database
    for side in ("-wal", "-shm"):
        database.with_name(database.name + side).unlink(missing_ok=True)
    shutil.copy(backup, database)  # the live database holds exactly what the backup does
    before = _clinic_id(database)
    capsys.readouterr()
    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Backup checked: integrity ok, a schema this version opens, 1 stored "
                          f"PDF re-hashed and matching.\nRestore plan: {backup} into "
                          f"{DataPaths(data).database}.\n")
    assert "Nothing would be lost" in out
    assert _clinic_id(DataPaths(data).database) == before


def test_without_yes_and_no_terminal_it_refuses_and_changes_nothing(clinic, pack, staff):
    data = clinic.data_dir
    backup = _backup(data, staff)
    _finalize(data, pack, LATER[:1])
    database = DataPaths(data).database
    before = database.read_bytes()
    done = _run(["restore", *staff, str(backup), "--data-dir", str(data)], stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert "Would be lost: the current database holds 1 consent" in done.stdout
    assert done.stderr == ("glabella: a restore must be confirmed and there is no terminal to "
                           "ask on. Read the plan above, then run the command again with "
                           "--yes. Nothing was changed.\n")
    assert database.read_bytes() == before
    assert not list(data.glob("glabella.db.before-restore-*"))


@pytest.mark.parametrize(("typed", "code"), [("RESTORE", 0), ("yes", 1)])
def test_on_a_terminal_it_asks_for_restore_typed(clinic, typed, code, staff):
    data = clinic.data_dir
    backup = _backup(data, staff)
    primary, secondary = pty.openpty()
    try:
        os.write(primary, f"{typed}\n".encode())
        done = _run(["restore", *staff, str(backup), "--data-dir", str(data)], stdin=secondary)
    finally:
        os.close(primary)
        os.close(secondary)
    assert done.returncode == code, done.stderr
    assert "Type RESTORE to go ahead (anything else cancels): " in done.stdout
    restored = bool(list(data.glob("glabella.db.before-restore-*")))
    assert restored == (code == 0)
    if code:
        assert done.stderr == ("glabella: The restore was not confirmed. "
                               "Nothing was changed.\n")


def _code_file(data: Path) -> Path:
    """The recovery code of the clinic in ``data``, in a file as an administrator keeps it."""
    found = load_key(data)
    assert found is not None
    code = data.parent / f"{data.name}-recovery-code.txt"
    code.write_text(found.key.recovery_code() + "\n", encoding="utf-8")
    return code


def _other_clinic(tmp_path: Path, pack, staff) -> Path:
    """A second clinic's backup, with its own id, name and signing identity."""
    other = tmp_path / "other"
    service = Glabella.open(other)
    try:
        service.store.set_setting("clinic.name", "Another Clinic")
        service.finalize(build_demo_consent(pack, service.clock, patient=LATER[0]))
    finally:
        service.close()
    return _backup(other, staff)


def test_another_clinics_backup_is_refused_and_changes_nothing(clinic, pack, tmp_path, capsys,
                                                              staff):
    data = clinic.data_dir
    backup = _other_clinic(tmp_path, pack, staff)
    database = DataPaths(data).database
    before = database.read_bytes()
    capsys.readouterr()
    # its backup is encrypted with its own key: only its recovery code opens it
    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes"]) == 1
    assert "recovery code" in capsys.readouterr().err
    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes",
                 "--code-file", str(_code_file(tmp_path / "other"))]) == 1
    captured = capsys.readouterr()
    theirs, ours = _clinic_id(backup), _clinic_id(database)
    assert theirs != ours
    assert (f"glabella: The backup {backup} is another clinic's (clinic id {theirs[:8]}… in "
            f"the backup, {ours[:8]}… here). Nothing was changed. If this computer is moving "
            f"to that clinic, run the restore again with --move-to-clinic.") in captured.err
    assert "Clinic: this backup is from another clinic (clinic id" in captured.out
    assert database.read_bytes() == before
    assert not list(data.glob("glabella.db.before-restore-*"))


def test_move_to_clinic_takes_its_id_logs_the_move_and_leaves_signing_alone(
        clinic, pack, tmp_path, capsys, staff):
    data = clinic.data_dir
    backup = _other_clinic(tmp_path, pack, staff)
    database = DataPaths(data).database
    signing = DataPaths(data).signing
    ours, theirs = _clinic_id(database), _clinic_id(backup)
    keys_before = _tree(signing)
    assert keys_before  # the certified clinic has its identity
    capsys.readouterr()
    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes",
                 "--move-to-clinic", "--code-file", str(_code_file(tmp_path / "other"))]) == 0
    out = capsys.readouterr().out
    assert f"its clinic id would become {theirs} (it was {ours})" in out
    assert "certified by 1 certificate this computer's signing identity does not hold" in out
    assert ('The backup names the clinic "Another Clinic": if this computer\'s certificate is '
            'one Glabella made, the next consent certified here renews it') in out
    assert f"This computer now belongs to the backup's clinic (clinic id {theirs})" in out
    assert _clinic_id(database) == theirs
    [moved] = _events(database, "clinic.moved")
    assert (moved["details"]["old_clinic_id"], moved["details"]["new_clinic_id"]) == \
        (ours, theirs)
    assert _tree(signing) == keys_before  # byte for byte


def test_a_same_clinic_restore_leaves_the_signing_folder_byte_identical(clinic, pack, capsys,
                                                                        staff):
    data = clinic.data_dir
    backup = _backup(data, staff)
    _finalize(data, pack, LATER[:1])
    signing = DataPaths(data).signing
    before = _tree(signing)
    capsys.readouterr()
    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes",
                 "--move-to-clinic"]) == 0
    assert "No move was needed: the backup is not another clinic's." in capsys.readouterr().out
    assert _tree(signing) == before
    assert not _events(DataPaths(data).database, "clinic.moved")


def test_a_backup_from_before_ids_is_compared_by_the_clinic_name(clinic, tmp_path, capsys, staff):
    data = clinic.data_dir
    backup = tmp_path / "old-backup.db"
    shutil.copy(PRE_ID_BACKUP, backup)  # names "Fixture Clinic"; the clinic is unnamed
    with open_store(DataPaths(data).database) as store:
        store.set_setting("clinic.name", "Riverside Aesthetics")
    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes"]) == 1
    assert ('the backup was made before clinic ids existed, so the clinic name setting was '
            'compared: "Fixture Clinic" in the backup, "Riverside Aesthetics" here'
            ) in capsys.readouterr().err

    with open_store(DataPaths(data).database) as store:
        store.set_setting("clinic.name", "Fixture Clinic")
    ours = _clinic_id(DataPaths(data).database)
    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes"]) == 0
    assert "Clinic: the same clinic (the backup was made before" in capsys.readouterr().out
    assert _clinic_id(DataPaths(data).database) == ours  # the computer keeps its id
    [kept] = _events(DataPaths(data).database, "clinic.id_kept")
    assert kept["details"]["new_clinic_id"] == ours


def test_a_new_computer_takes_the_backup_and_its_clinic_id(clinic, tmp_path, capsys, staff):
    backup = _backup(clinic.data_dir, staff)
    fresh = tmp_path / "new-computer"
    capsys.readouterr()
    # a new computer has no key: the clinic's recovery code brings it
    assert main(["restore", str(backup), "--data-dir", str(fresh), "--yes"]) == 1
    assert "recovery code" in capsys.readouterr().err
    assert main(["restore", str(backup), "--data-dir", str(fresh), "--yes",
                 "--code-file", str(_code_file(clinic.data_dir))]) == 0
    out = capsys.readouterr().out
    assert "There is no database here yet: nothing would be lost." in out
    assert "This computer has no signing identity yet" in out
    assert "kept as" not in out
    assert _clinic_id(DataPaths(fresh).database) == _clinic_id(backup)
    assert not DataPaths(fresh).signing.exists()  # the restore made no identity


def test_a_damaged_database_can_still_be_replaced(clinic, capsys, staff):
    data = clinic.data_dir
    backup = _backup(data, staff)
    database = DataPaths(data).database
    open_store(database).close()
    database.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    capsys.readouterr()
    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "The current database cannot be read (" in out
    assert _ids(database, "consents") == _ids(backup, "consents")


def test_a_database_from_before_ids_is_compared_by_name_with_a_backup_that_has_one(
        clinic, tmp_path, staff):
    with open_store(DataPaths(clinic.data_dir).database) as store:
        store.set_setting("clinic.name", "Fixture Clinic")
    backup = _backup(clinic.data_dir, staff)
    old = DataPaths(tmp_path / "not-yet-upgraded")
    old.root.mkdir()
    shutil.copy(PRE_ID_BACKUP, old.database)
    plan = plan_restore(old, backup, key_of(backup), key_of(backup))  # old is plain
    assert plan.clinic.same is True
    assert plan.clinic.compared.startswith("the current database was made before clinic ids "
                                           "existed, so the clinic name setting was compared")
    assert (plan.lost.consents, plan.gained.consents) == (1, 1)  # different records
    assert _clinic_id(old.database) is None  # the plan only read it
