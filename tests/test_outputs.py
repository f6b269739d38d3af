"""Outputs never overwrite the records, and replace another file only with --force."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app.base.outputs import OutputRefused, check_output
from app.base.paths import DataPaths
from app.cli.main import main
from tests.db_keys import open_store


def _digests(data: Path) -> dict[str, str]:
    """Every file of the records (database, side files, signing, backups) by content."""
    found = {}
    for path in sorted(data.rglob("*")):
        if path.is_file() and not path.name.startswith("glabella.log"):
            found[str(path.relative_to(data))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def data(certified, tmp_path) -> Path:
    return certified.copy(tmp_path / "data").data_dir


def _commands(consent_id: str, out: Path, data: Path) -> dict[str, list[str]]:
    where = ["--data-dir", str(data)]
    return {
        "export-csv": ["records", "export-csv", "--out", str(out), *where],
        "export-fhir": ["records", "export-fhir", consent_id, "--out", str(out), *where],
        "rerender": ["records", "rerender", consent_id, "--out", str(out), *where],
    }


COMMANDS = ("export-csv", "export-fhir", "rerender")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("force", [False, True])
def test_out_never_overwrites_the_database(command, force, data, certified, capsys, staff):
    before = _digests(data)
    argv = _commands(certified.consent_id, data / "glabella.db", data)[command]
    assert main([*argv, *staff, *(["--force"] if force else [])]) == 2
    err = capsys.readouterr().err
    assert err.startswith("glabella: ")
    assert "the clinic's records database" in err and "not even with --force" in err
    assert _digests(data) == before
    with open_store(data / "glabella.db") as store:
        assert store.get_pdf(certified.consent_id) == certified.pdf


@pytest.mark.parametrize("command", COMMANDS)
def test_out_refuses_an_existing_file_unless_forced(command, data, certified, tmp_path,
                                                    capsys, staff):
    out = tmp_path / "existing.out"
    out.write_text("keep me\n", encoding="utf-8")
    argv = [*_commands(certified.consent_id, out, data)[command], *staff]
    assert main(argv) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert main([*argv, "--force"]) == 0
    assert out.read_bytes() != b"keep me\n" and out.stat().st_size > 100


def test_the_refusal_says_what_and_what_to_do(data, certified, tmp_path, capsys, staff):
    out = tmp_path / "register.csv"
    out.write_text("x", encoding="utf-8")
    assert main(["records", "export-csv", *staff, "--out", str(out), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert err == (f"glabella: {out} already exists. Choose another name, or add --force "
                   f"to replace it.\n")


@pytest.mark.parametrize("target", ["glabella.db-wal", "glabella.db-shm",
                                    "glabella.db-journal", "glabella.lock", "glabella.keyid",
                                    "glabella.db.before-restore-20261123T130500Z",
                                    "signing/identity.pem", "signing/new.txt",
                                    "signing/retired/x.pem", "backups/any.csv", "backups"])
def test_the_records_own_files_are_refused_even_with_force(target, data, certified, capsys, staff):
    (data / "backups").mkdir(exist_ok=True)
    before, existed = _digests(data), (data / target).exists()
    assert main(["records", "export-csv", *staff, "--out", str(data / target), "--force",
                 "--data-dir", str(data)]) == 2
    assert "not even with --force" in capsys.readouterr().err
    assert _digests(data) == before
    assert (data / target).exists() == existed  # nothing made where there was nothing


def test_a_symlink_or_relative_path_to_the_database_is_the_database(data, certified,
                                                                     tmp_path, monkeypatch,
                                                                     capsys, staff):
    before = _digests(data)
    link = tmp_path / "innocent.csv"
    link.symlink_to(data / "glabella.db")
    assert main(["records", "export-csv", *staff, "--out", str(link), "--force",
                 "--data-dir", str(data)]) == 2
    assert "records database" in capsys.readouterr().err
    hard = tmp_path / "hard.csv"
    os.link(data / "glabella.db", hard)
    assert main(["records", "export-fhir", *staff, certified.consent_id, "--out", str(hard),
                 "--force", "--data-dir", str(data)]) == 2
    key_link = tmp_path / "key.csv"
    os.link(data / "signing" / "identity.pem", key_link)
    assert main(["records", "export-csv", *staff, "--out", str(key_link), "--force",
                 "--data-dir", str(data)]) == 2
    assert "a link to a file inside the clinic's signing folder" in capsys.readouterr().err
    monkeypatch.chdir(data / "exports")
    assert main(["records", "rerender", *staff, certified.consent_id, "--out", "../glabella.db",
                 "--force", "--data-dir", str(data)]) == 2
    dangling = tmp_path / "later.json"
    dangling.symlink_to(data / "glabella.db-journal")  # would be taken for a hot journal
    assert main(["records", "export-fhir", *staff, certified.consent_id, "--out", str(dangling),
                 "--data-dir", str(data)]) == 2
    assert not (data / "glabella.db-journal").exists()
    assert _digests(data) == before


def test_the_configured_backup_folder_is_protected_too(data, certified, tmp_path, capsys, staff):
    usb = tmp_path / "usb"
    with open_store(data / "glabella.db") as store:
        store.set_setting("backup.folder", str(usb))
    assert main(["backup", *staff, "--data-dir", str(data)]) == 0
    [made] = usb.glob("glabella-*.db")
    before = made.read_bytes()
    assert main(["records", "export-csv", *staff, "--out", str(made), "--force",
                 "--data-dir", str(data)]) == 2
    assert "inside a backups folder" in capsys.readouterr().err
    assert made.read_bytes() == before


def test_backup_to_refuses_the_signing_folder_and_the_database(data, tmp_path, capsys, staff):
    before = _digests(data)
    for target in (data / "signing", data / "signing" / "sub", data / "glabella.db"):
        assert main(["backup", *staff, "--to", str(target), "--data-dir", str(data)]) == 2
        assert capsys.readouterr().err.startswith("glabella: ")
    assert _digests(data) == before
    assert not (data / "signing" / "sub").exists()
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["backup", *staff, "--to", str(other), "--data-dir", str(data)]) == 0
    assert len(list(other.glob("glabella-*.db"))) == 1
    assert (other / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_selftest_keep_never_runs_in_the_clinics_data_folder(data, tmp_path, capsys):
    before = _digests(data)
    assert main(["selftest", "--keep", str(data), "--force", "--data-dir", str(data)]) == 2
    assert "the clinic's data folder" in capsys.readouterr().err
    assert main(["selftest", "--keep", str(data / "signing"), "--force",
                 "--data-dir", str(data)]) == 2
    assert _digests(data) == before
    used = tmp_path / "used"
    used.mkdir()
    (used / "something").write_text("x", encoding="utf-8")
    assert main(["selftest", "--keep", str(used), "--data-dir", str(data)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert main(["selftest", "--keep", str(used), "--force", "--data-dir", str(data)]) == 0
    assert (used / "glabella.db").is_file()


def test_check_output_accepts_a_new_file_and_resolves_it(tmp_path, monkeypatch):
    paths = DataPaths(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    assert check_output(Path("new.csv"), paths) == tmp_path / "new.csv"
    with pytest.raises(OutputRefused, match="is a folder"):
        check_output(tmp_path, paths, force=True)
    with pytest.raises(OutputRefused, match="records database"):
        check_output(Path("data/../data/glabella.db"), paths)
