"""Records encrypted at rest: nothing in a data folder reveals a patient without the key;
a wrong key or a plain file is told plainly; old plain databases are encrypted in place."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from app.consult.demo import DEMO_PATIENT
from app.runtime.service import Glabella, OpenError, open_service
from app.security.folder_key import KEYID_NAME, load_key
from db import Store, cipher
from db.errors import PlainDatabaseError, WrongKeyError
from tests import db_keys

FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
import make_fixtures  # noqa: E402


def _revealing(folder: Path, *secrets: str) -> list[str]:
    """Every file under folder holding one of the secrets, in any common encoding."""
    needles = {s.encode(enc) for s in secrets for enc in ("utf-8", "utf-16-le", "utf-16-be")}
    return [f"{path}: {needle!r}" for path in folder.rglob("*") if path.is_file()
            for needle in needles if needle in path.read_bytes()]


def _patient_words() -> tuple[str, ...]:
    return (DEMO_PATIENT.full_name, "Łukasz", DEMO_PATIENT.phone or "",
            DEMO_PATIENT.email or "")


def test_a_selftest_folder_reveals_no_patient_in_any_file(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["selftest", "--keep", str(data)]) == 0
    assert (data / "glabella.db").is_file() and list((data / "backups").glob("*.db"))
    assert _revealing(data, *_patient_words()) == []
    # the same search finds the name once the key opens the file: the search itself works
    conn = db_keys.connect(data / "glabella.db")
    assert conn.execute("SELECT full_name FROM patients").fetchone()[0] == DEMO_PATIENT.full_name
    conn.close()


def test_an_open_service_leaves_nothing_readable_in_its_wal(certified, tmp_path):
    data = certified.copy(tmp_path / "data").data_dir
    service = Glabella.open(data)
    try:
        service.log("consent.viewed", consent_id=certified.consent_id)
        assert (data / "glabella.db-wal").exists()
        assert _revealing(data, *_patient_words()) == []
    finally:
        service.close()


def test_the_recovery_code_is_shown_once_and_no_key_lies_beside_the_database(tmp_path):
    first = Glabella.open(tmp_path / "data")
    code = first.new_recovery_code
    first.close()
    assert code is not None and len(code.split("-")) == 14
    again = Glabella.open(tmp_path / "data")
    try:
        assert again.new_recovery_code is None
        raw = again.store.key
    finally:
        again.close()
    assert raw is not None
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert raw.hex().encode() not in path.read_bytes() and raw not in path.read_bytes()


def test_a_wrong_key_and_a_plain_file_are_told_plainly(certified, tmp_path):
    database = certified.copy(tmp_path / "data").data_dir / "glabella.db"
    with pytest.raises(WrongKeyError, match="recovery code"):
        Store.open(database, bytes(32))
    plain = tmp_path / "plain.db"
    Store.open(plain).close()
    with pytest.raises(PlainDatabaseError, match="not encrypted"):
        Store.open(plain, bytes(32))


def test_a_folder_whose_key_is_elsewhere_says_to_recover_and_recover_brings_it(
        certified, tmp_path, monkeypatch, capsys):
    data = certified.copy(tmp_path / "data").data_dir
    found = load_key(data)
    assert found is not None
    code = found.key.recovery_code()
    monkeypatch.setenv("GLABELLA_KEY_DIR", str(tmp_path / "new-computer-keys"))
    with pytest.raises(OpenError, match="glabella key recover"):
        open_service(data)
    assert main(["key", "status", "--data-dir", str(data)]) == 1
    assert "glabella key recover" in capsys.readouterr().out
    wrong = tmp_path / "wrong.txt"
    from app.security.clinic_key import ClinicKey

    wrong.write_text(ClinicKey.generate().recovery_code())
    assert main(["key", "recover", "--code-file", str(wrong), "--data-dir", str(data)]) == 1
    assert "does not open" in capsys.readouterr().err
    typo = tmp_path / "typo.txt"
    typo.write_text(code[:-1] + ("A" if code[-1] != "A" else "B"))
    assert main(["key", "recover", "--code-file", str(typo), "--data-dir", str(data)]) == 2
    assert "typo" in capsys.readouterr().err
    right = tmp_path / "code.txt"
    right.write_text(code + "\n")
    assert main(["key", "recover", "--code-file", str(right), "--data-dir", str(data)]) == 0
    assert main(["key", "status", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "Encrypted: yes" in out and "Key opens the database: yes" in out
    assert code not in out and found.key.raw.hex() not in out
    open_service(data).close()


def _plain_clinic(folder: Path, version: int | None) -> Path:
    """A plain database as an earlier Glabella left it: a schema fixture, or (None) one
    made by today's code without a key, with a consent finalized."""
    folder.mkdir(parents=True)
    database = folder / "glabella.db"
    if version is not None:
        shutil.copy(FIXTURES / make_fixtures.fixture_name(version), database)
    else:
        from tests.db.conftest import make_record

        with Store.open(database) as store:
            store.finalize(make_record(full_name="Plainfield Oldrecord"))
    return database


@pytest.mark.parametrize("version", [1, 3, len(make_fixtures.KNOWN_MIGRATIONS) - 1, None])
def test_a_plain_database_is_encrypted_in_place_and_verified(tmp_path, version):
    database = _plain_clinic(tmp_path / "data", version)
    name = make_fixtures.PATIENT_NAME if version is not None else "Plainfield Oldrecord"
    assert name.encode() in database.read_bytes()
    service = Glabella.open(database.parent)
    try:
        [event] = [e for e in service.store.audit_events() if e["event"] == "storage.encrypted"]
        assert event["details"]["consents"] == 1
        assert service.store.audit_chain().intact
        assert [p["full_name"] for p in service.store.database.query(
            "SELECT full_name FROM patients")] == [name]
        head = service.store.audit_chain().head
    finally:
        service.close()
    assert not cipher.is_plain(database)
    assert sorted(p.name for p in database.parent.iterdir()
                  if p.name.startswith("glabella.db")) == ["glabella.db"]
    assert _revealing(database.parent, name) == []
    assert main(["audit", "verify", "--data-dir", str(database.parent)]) == 0
    again = Glabella.open(database.parent)  # encrypted once: the next start leaves it be
    try:
        assert [e["event"] for e in again.store.audit_events()].count("storage.encrypted") == 1
        assert again.store.audit_chain().intact and again.store.audit_chain().events > 0
        assert head
    finally:
        again.close()


def test_a_plain_backup_is_restored_encrypted(tmp_path, capsys, staff):
    old = _plain_clinic(tmp_path / "old", None)
    backup = tmp_path / "glabella-20250101T000000Z.db"
    with Store.open(old) as store:
        from db.upkeep import back_up_store

        back_up_store(store, backup)  # the old code path: a plain backup
    assert cipher.is_plain(backup)
    data = tmp_path / "data"
    Glabella.open(data).close()
    assert main(["restore", *staff, str(backup), "--data-dir", str(data), "--yes",
                 "--move-to-clinic"]) == 0  # a new folder is a clinic of its own
    assert not cipher.is_plain(data / "glabella.db")
    assert _revealing(data, "Plainfield Oldrecord") == []
    with db_keys.open_store(data / "glabella.db") as store:
        assert store.database.execute("SELECT count(*) FROM consents").fetchone()[0] == 1


def test_another_computers_backup_is_restored_with_the_recovery_code(certified, tmp_path,
                                                                      monkeypatch, capsys, staff):
    data = certified.copy(tmp_path / "old-pc").data_dir
    assert main(["backup", *staff, "--data-dir", str(data)]) == 0
    [backup] = (data / "backups").glob("glabella-*.db")
    found = load_key(data)
    assert found is not None
    code_file = tmp_path / "code.txt"
    code_file.write_text(found.key.recovery_code())
    monkeypatch.setenv("GLABELLA_KEY_DIR", str(tmp_path / "new-pc-keys"))
    new = tmp_path / "new-pc"
    capsys.readouterr()
    assert main(["restore", str(backup), "--data-dir", str(new)]) == 1
    assert "recovery code" in capsys.readouterr().err
    assert not (new / "glabella.db").exists()
    assert main(["restore", str(backup), "--data-dir", str(new), "--yes",
                 "--code-file", str(code_file)]) == 0
    assert (new / KEYID_NAME).is_file()
    service = open_service(new)
    try:
        assert service.store.get_consent(certified.consent_id)["status"] == "signed"
    finally:
        service.close()


def test_doctor_reports_a_plain_database(tmp_path, capsys):
    database = _plain_clinic(tmp_path / "data", None)
    assert main(["doctor", "--data-dir", str(database.parent)]) == 1
    assert "The database is NOT encrypted" in capsys.readouterr().out


def test_without_a_credential_store_the_key_goes_to_the_fallback_folder_and_doctor_warns(
        tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GLABELLA_KEY_DIR")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    data = tmp_path / "data"
    Glabella.open(data).close()
    [key_file] = (tmp_path / "config" / "Glabella" / "keys").iterdir()
    assert key_file.suffix == ".key"
    assert main(["doctor", "--data-dir", str(data)]) == 1
    out = capsys.readouterr().out
    assert "WARNING  The database is encrypted, but its key is kept in the private folder" in out
    assert "fallback" in out
    assert main(["key", "status", "--data-dir", str(data)]) == 0
    assert "Fallback store: yes" in capsys.readouterr().out


def test_the_plain_backups_beside_an_upgraded_database_are_encrypted_too(tmp_path, staff):
    from db.upkeep import back_up_store

    database = _plain_clinic(tmp_path / "data", None)
    backups = database.parent / "backups"
    backups.mkdir()
    with Store.open(database) as store:
        back_up_store(store, backups / "glabella-20250101T000000Z.db")
    old_schema = backups / "glabella-20240101T000000Z.db"
    shutil.copy(FIXTURES / make_fixtures.fixture_name(1), old_schema)  # an older version's
    Glabella.open(database.parent).close()
    assert _revealing(database.parent, "Plainfield Oldrecord", make_fixtures.PATIENT_NAME) == []
    assert not any(cipher.is_plain(p) for p in backups.iterdir())
    assert sorted(p.name for p in backups.iterdir()) == [old_schema.name,
                                                          "glabella-20250101T000000Z.db"]
    service = open_service(database.parent)
    try:
        [event] = [e for e in service.store.audit_events() if e["event"] == "storage.encrypted"]
        assert event["details"]["backups_encrypted"] == 2
        assert event["details"]["backups_left_plain"] == []
    finally:
        service.close()
    assert main(["restore", *staff, str(old_schema), "--data-dir", str(database.parent),
                 "--yes", "--move-to-clinic"]) == 0  # the fixture is named another clinic
