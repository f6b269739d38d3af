"""Everything Glabella writes in the data folder is this account's only, whatever the umask."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from app.base.paths import DataPaths
from app.base.private_files import create_file, loose, make_folder, open_private, tighten
from app.cli.main import main
from app.consult.demo import build_demo_consent
from app.records.export_csv import export_register
from app.records.export_fhir import export_consent
from app.runtime import bug_log
from app.runtime.service import Glabella
from app.upkeep.backup import make_backup
from app.upkeep.doctor import OK, WARNING, examine
from app.upkeep.restore import restore
from tests.conftest import fixed_clock
from tests.db_keys import key_of

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


@pytest.fixture
def umask_022():
    """The usual umask, under which Python and SQLite make files 0644 and folders 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _modes(root: Path) -> dict[str, int]:
    found = {".": _mode(root)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = _mode(path)
    return found


def _not_private(root: Path) -> dict[str, str]:
    """Every entry whose mode is not 0700 (folder) or 0600 (file), with its mode."""
    bad = {}
    for name, mode in _modes(root).items():
        want = 0o700 if (root / name).is_dir() else 0o600
        if mode != want:
            bad[name] = oct(mode)
    return bad


def test_a_whole_clinic_day_leaves_only_private_files(umask_022, pack, tmp_path):
    data = tmp_path / "data"
    service = Glabella.open(data, clock=fixed_clock)
    try:
        result = service.finalize(build_demo_consent(pack, fixed_clock))
        service.save_draft(build_demo_consent(pack, fixed_clock))
        service.export_pdf(result.consent_id, service.paths.exports)
        export_register(service.store, service.paths.exports / "register.csv")
        export_consent(service.store, result.consent_id, service.paths.exports / "c.json")
        backup = make_backup(service.store, service.paths)
        bug_log.log_event(service.paths.logs, logging.WARNING, "test.event")
        wal = service.paths.database.with_name("glabella.db-wal")
        assert wal.is_file() and _mode(wal) == 0o600  # SQLite gave it the database's mode
        assert _not_private(data) == {}
    finally:
        service.close()
        bug_log.close_logs()
    outcome = restore(DataPaths(data), backup.path, lambda plan: True,
                      key_of(DataPaths(data).database))
    assert outcome.set_aside is not None and outcome.set_aside.is_file()
    names = set(_modes(data))
    for expected in ("glabella.db", "glabella.lock", "signing", "drafts", "exports", "logs",
                     "backups", f"backups/{backup.path.name}", "logs/glabella.log",
                     "exports/register.csv", "exports/c.json", outcome.set_aside.name):
        assert expected in names
    assert _not_private(data) == {}


def test_the_command_line_makes_private_files_and_puts_the_umask_back(umask_022, tmp_path,
                                                                       capsys):
    keep = tmp_path / "st"
    assert main(["selftest", "--keep", str(keep)]) == 0
    assert "Self-test passed" in capsys.readouterr().out
    assert list((keep / "exports").glob("selftest-*.pdf"))
    assert _not_private(keep) == {}
    assert os.umask(0o022) == 0o022  # an in-process caller gets its own umask back


def test_an_emergency_draft_folder_is_private(umask_022, pack, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    data = tmp_path / "data"
    service = Glabella.open(data, clock=fixed_clock)
    try:
        service.paths.drafts.rmdir()
        service.paths.drafts.write_text("a file where the drafts folder should be")
        path, failed = service.save_emergency_draft(build_demo_consent(pack, fixed_clock))
    finally:
        service.close()
    assert failed and path is not None
    assert path.parent == tmp_path / "tmp" / "Glabella emergency drafts"
    assert _mode(path.parent) == 0o700 and _mode(path) == 0o600


def test_an_older_loose_folder_is_made_private_when_glabella_opens(umask_022, certified,
                                                                    tmp_path):
    data = certified.copy(tmp_path / "data").data_dir
    for path in (data, *data.rglob("*")):  # as an older version left it
        path.chmod(0o755 if path.is_dir() else 0o644)
    (data / "glabella.db-wal").write_bytes(b"")
    (data / "glabella.db-wal").chmod(0o644)
    assert len(_not_private(data)) > 5
    Glabella.open(data, clock=fixed_clock).close()
    assert _not_private(data) == {}


def test_doctor_names_a_file_other_accounts_can_read(certified, tmp_path):
    data = certified.copy(tmp_path / "data").data_dir
    tighten(data)
    report = examine(DataPaths(data))
    assert any(f.level == OK and "Only this account" in f.text for f in report.findings)
    loose_file = data / "exports" / "register.csv"
    loose_file.write_text("id\n")
    loose_file.chmod(0o644)
    report = examine(DataPaths(data))
    [warning] = [f for f in report.findings if f.level == WARNING and "other accounts" in f.text]
    assert str(loose_file) in warning.text and "chmod -R go-rwx" in warning.text
    assert not report.healthy
    assert main(["doctor", "--data-dir", str(data)]) == 1


def test_private_file_helpers(umask_022, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir(0o755)
    made = make_folder(shared / "a" / "b")
    assert _mode(shared) == 0o755  # a folder that was already there is not ours to change
    assert _mode(shared / "a") == _mode(made) == 0o700
    old = shared / "old.txt"
    old.write_text("x")
    assert _mode(old) == 0o644
    with open_private(old, "w", encoding="utf-8") as handle:
        handle.write("new")
    assert _mode(old) == 0o600 and old.read_text(encoding="utf-8") == "new"
    with open_private(old, "a", encoding="utf-8") as handle:
        handle.write("er")
    assert old.read_text(encoding="utf-8") == "newer"
    db = create_file(shared / "x.db")
    assert db.stat().st_size == 0 and _mode(db) == 0o600
    assert loose(shared) == [shared]
    with pytest.raises(FileExistsError):
        open_private(old, "x")


def test_every_bug_log_file_is_private_after_a_rotation(umask_022, tmp_path):
    logs = tmp_path / "logs"
    try:
        for _ in range(12):
            bug_log.log_event(logs, logging.WARNING, "big", "x" * (100 * 1024))
    finally:
        bug_log.close_logs()
    files = sorted(p.name for p in logs.iterdir())
    assert "glabella.log.1" in files
    assert all(_mode(logs / name) == 0o600 for name in files) and _mode(logs) == 0o700


def test_a_retired_certificate_is_kept_private(umask_022, tmp_path):
    from app.clinic.details import Clinic, save_clinic

    service = Glabella.open(tmp_path / "data", clock=fixed_clock)
    try:
        service.signing_identity()
        save_clinic(service.store, Clinic("Northside Aesthetics", "2 High St"))
        service.signing_identity()  # a renamed clinic: the old certificate is retired
        retired = service.paths.signing / "retired"
        assert [p.suffix for p in retired.iterdir()] == [".pem"]
        assert _not_private(service.paths.signing) == {}
    finally:
        service.close()
