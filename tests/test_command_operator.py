"""A named person behind every command that reads or changes patient records: ``--staff``,
a PIN asked or read from a private file, wrong PINs counted across processes, and audit
events that name the staff member, the OS user and the command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from app.clinic.pin_lockout import MAX_FAILURES
from app.clinic.staff import StaffDirectory
from app.consult.demo import build_demo_consent
from app.consult.patient import Injector
from db.audit_chain import os_user
from tests.conftest import CertifiedClinic
from tests.db_keys import connect as db_connect
from tests.db_keys import open_store, sealed_draft

DEMO = "Dana Whitfield, RN"
NURSE_PIN = "582914"


def _pin_file(folder: Path, pin: str, mode: int = 0o600) -> Path:
    path = folder / f"pin-{pin}-{mode:o}"
    path.write_text(pin + "\n", encoding="utf-8")
    os.chmod(path, mode)
    return path


def _events(data: Path) -> list[dict]:
    with open_store(data / "glabella.db") as store:
        return store.audit_events()


def _count(data: Path) -> int:
    conn = db_connect(data / "glabella.db")
    try:
        return conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def clinic(certified: CertifiedClinic, tmp_path: Path) -> CertifiedClinic:
    return certified.copy(tmp_path / "data")


def _commands(clinic: CertifiedClinic, tmp_path: Path) -> dict[str, list[str]]:
    """Each command that needs a staff member, as typed, without the credentials."""
    pdf = tmp_path / "consent.pdf"
    pdf.write_bytes(clinic.pdf)
    backup = tmp_path / "copy.db"
    with open_store(clinic.data_dir / "glabella.db") as store:
        store.database.conn.execute("VACUUM INTO ?", [str(backup)])
    return {
        "records list": ["records", "list"],
        "records search": ["records", "search", "nunez"],
        "records export-csv": ["records", "export-csv", "--out", str(tmp_path / "r.csv")],
        "records export-fhir": ["records", "export-fhir", clinic.consent_id,
                                "--out", str(tmp_path / "c.json")],
        "records rerender": ["records", "rerender", clinic.consent_id],
        "backup": ["backup", "--to", str(tmp_path / "backups")],
        "restore": ["restore", str(backup), "--yes"],
        "verify": ["verify", str(pdf)],
    }


COMMANDS = ["records list", "records search", "records export-csv", "records export-fhir",
            "records rerender", "backup", "restore", "verify"]
# the event each command logs about its work, besides the sign-in (None: only the sign-in)
WORK_EVENTS = {"records export-csv": "register.exported",
               "records export-fhir": "consent.exported", "backup": "backup.made",
               "restore": "backup.restored", "verify": "consent.verified"}


def _argv(clinic: CertifiedClinic, tmp_path: Path, name: str, *extra: str) -> list[str]:
    argv = _commands(clinic, tmp_path)[name]
    return [*argv, *extra, "--data-dir", str(clinic.data_dir)]


@pytest.mark.parametrize("name", COMMANDS)
def test_without_a_staff_member_a_command_exits_2_and_logs_nothing(clinic, tmp_path, capsys,
                                                                   monkeypatch, name):
    monkeypatch.delenv("GLABELLA_STAFF", raising=False)
    argv = _argv(clinic, tmp_path, name)
    before = _count(clinic.data_dir)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"glabella: {name} needs the staff member running it: give "
                          f"--staff NAME")
    assert _count(clinic.data_dir) == before
    assert not (tmp_path / "r.csv").exists() and not (tmp_path / "backups").exists()


@pytest.mark.parametrize("name", COMMANDS)
def test_with_the_right_pin_the_command_runs_and_names_who_ran_it(clinic, tmp_path, capsys,
                                                                  staff, name):
    before = _count(clinic.data_dir)
    assert main(_argv(clinic, tmp_path, name, *staff)) == 0, capsys.readouterr()
    new = _events(clinic.data_dir)[before:]
    if name == "restore":  # the restored database: its own log, then the restore's event
        new = [e for e in _events(clinic.data_dir) if e["event"] == "backup.restored"]
    else:
        signed_in = new[0]
        assert signed_in["event"] == "staff.signed_in" and signed_in["actor"] == DEMO
        assert signed_in["origin"]["via"] == name
    work = WORK_EVENTS.get(name)
    for event in new:
        assert event["origin"] == {"os_user": os_user(), "via": name, "staff": DEMO,
                                   "staff_id": event["origin"]["staff_id"]}
        assert event["origin"]["staff_id"]
        assert event["actor"] == DEMO
    if work:
        assert work in [e["event"] for e in new]
    with open_store(clinic.data_dir / "glabella.db") as store:
        assert store.audit_chain().intact


def test_the_staff_member_can_come_from_the_environment(clinic, tmp_path, capsys, staff,
                                                        monkeypatch):
    monkeypatch.setenv("GLABELLA_STAFF", "dana whitfield")  # any case
    assert main(["records", "list", staff[2], staff[3], "--data-dir",
                 str(clinic.data_dir)]) == 0
    assert _events(clinic.data_dir)[-1]["actor"] == DEMO


def test_a_pin_on_the_command_line_is_refused(clinic, capsys):
    before = _count(clinic.data_dir)
    assert main(["records", "list", "--staff", "Dana Whitfield", "--pin", "2468",
                 "--data-dir", str(clinic.data_dir)]) == 2
    assert "--pin is refused: a PIN on the command line can be read by every account" in \
        capsys.readouterr().err
    assert _count(clinic.data_dir) == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_a_pin_file_others_can_read_is_refused(clinic, tmp_path, capsys, mode):
    from app.clinic.staff import DEMO_PIN

    pin_file = _pin_file(tmp_path, DEMO_PIN, mode)
    before = _count(clinic.data_dir)
    assert main(["records", "list", "--staff", "Dana Whitfield", "--pin-file", str(pin_file),
                 "--data-dir", str(clinic.data_dir)]) == 2
    err = capsys.readouterr().err
    assert f"the PIN file {pin_file} can be read by other accounts (mode {mode:04o}); " \
           f"make it yours only: chmod 600 {pin_file}" in err
    assert _count(clinic.data_dir) == before


def test_the_pin_is_asked_without_echo(clinic, capsys, monkeypatch):
    from app.clinic.staff import DEMO_PIN

    typed = {"": 2, DEMO_PIN: 0}  # pressing Enter alone, then the right PIN
    prompts: list[str] = []
    for pin, code in typed.items():
        monkeypatch.setattr("getpass.getpass", lambda prompt, p=pin: prompts.append(prompt) or p)
        assert main(["records", "list", "--staff", "Dana Whitfield",
                     "--data-dir", str(clinic.data_dir)]) == code
    assert prompts == ["PIN for Dana Whitfield: "] * 2
    assert "glabella: no PIN given. Nothing was done" in capsys.readouterr().err
    assert _events(clinic.data_dir)[-1]["event"] == "staff.signed_in"


def test_unknown_and_inactive_staff_are_refused(clinic, tmp_path, capsys):
    with open_store(clinic.data_dir / "glabella.db") as store:
        staff = StaffDirectory(store)
        nurse = staff.add("Pat Moreno", "RN", "Nurse injector", NURSE_PIN)
        staff.set_active(nurse.id, False)
    pin_file = _pin_file(tmp_path, NURSE_PIN)
    for who, says in (("Nobody Here", "No staff member is called 'Nobody Here'"),
                      ("Pat Moreno", "Pat Moreno's profile is not active"),
                      (nurse.id, "Pat Moreno's profile is not active")):
        assert main(["records", "list", "--staff", who, "--pin-file", str(pin_file),
                     "--data-dir", str(clinic.data_dir)]) == 2
        assert capsys.readouterr().err.startswith(f"glabella: {says}")


def test_five_wrong_pins_pause_that_member_in_every_process(clinic, tmp_path, capsys, staff):
    data = str(clinic.data_dir)
    with open_store(clinic.data_dir / "glabella.db") as store:
        StaffDirectory(store).add("Pat Moreno", "RN", "Nurse injector", NURSE_PIN)
    wrong = _pin_file(tmp_path, "135790")
    for attempt in range(1, MAX_FAILURES + 1):
        assert main(["records", "list", "--staff", "Dana Whitfield", "--pin-file", str(wrong),
                     "--data-dir", data]) == 2
        err = capsys.readouterr().err
        if attempt < MAX_FAILURES:
            assert "That is not the right PIN for Dana Whitfield." in err
    assert "Too many wrong PINs for Dana Whitfield. Try again in 60 s" in err
    failed = [e for e in _events(clinic.data_dir) if e["event"] == "pin.failed"]
    assert [e["details"]["failures_in_a_row"] for e in failed] == [1, 2, 3, 4, 5]
    assert failed[-1]["details"]["locked_out"] is True
    assert {e["origin"]["via"] for e in failed} == {"records list"}
    # another process, with her right PIN: still paused, and nothing more is logged
    before = _count(clinic.data_dir)
    result = subprocess.run([sys.executable, "-m", "app", "records", "list", *staff,
                             "--data-dir", data], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Too many wrong PINs for Dana Whitfield. Try again in" in result.stderr
    assert "another member of staff can unlock it" in result.stderr
    assert _count(clinic.data_dir) == before
    # the pause is hers alone: another member signs in
    nurse = _pin_file(tmp_path, NURSE_PIN)
    assert main(["records", "list", "--staff", "pat moreno", "--pin-file", str(nurse),
                 "--data-dir", data]) == 0


def test_a_right_pin_starts_the_count_again(clinic, tmp_path, capsys, staff):
    data = str(clinic.data_dir)
    wrong = _pin_file(tmp_path, "135790")
    for _ in range(MAX_FAILURES - 1):
        assert main(["records", "list", "--staff", "Dana Whitfield", "--pin-file", str(wrong),
                     "--data-dir", data]) == 2
    assert main(["records", "list", *staff, "--data-dir", data]) == 0
    assert main(["records", "list", "--staff", "Dana Whitfield", "--pin-file", str(wrong),
                 "--data-dir", data]) == 2
    assert f"{MAX_FAILURES - 1} more tries" in capsys.readouterr().err


def _draft_by(tmp_path: Path, data: Path, pack, clock, injector: Injector | None = None
              ) -> Path:
    consent = (build_demo_consent(pack, clock) if injector is None
               else build_demo_consent(pack, clock, injector=injector))
    return sealed_draft(consent, data, tmp_path)


def test_finalize_records_who_finished_a_draft_besides_its_injector(pack, clock, tmp_path,
                                                                    capsys, staff):
    data = tmp_path / "data"
    other = Injector("Lee Ortiz", "NP", "Nurse practitioner")
    assert main(["finalize", *staff, str(_draft_by(tmp_path, data, pack, clock, other)),
                 "--data-dir", str(data)]) == 0  # an administrator may finish anyone's
    [finalized] = [e for e in _events(data) if e["event"] == "consent.finalized"]
    assert finalized["actor"] == "Lee Ortiz"  # the injector named in the draft
    assert finalized["origin"]["staff"] == DEMO and finalized["origin"]["via"] == "finalize"
    assert finalized["origin"]["os_user"] == os_user()


def test_finalize_by_someone_else_needs_an_administrator(service, pack, clock, tmp_path,
                                                         capsys):
    data = service.paths.root
    StaffDirectory(service.store).add("Pat Moreno", "RN", "Nurse injector", NURSE_PIN)
    service.close()  # the command opens the folder itself
    nurse = ["--staff", "Pat Moreno", "--pin-file", str(_pin_file(tmp_path, NURSE_PIN))]
    colleague = _draft_by(tmp_path, data, pack, clock)  # names Dana Whitfield, RN
    assert main(["finalize", *nurse, str(colleague), "--data-dir", str(data)]) == 2
    assert ("glabella: Pat Moreno, RN may not finalize this draft: it names Dana Whitfield, "
            "RN. The injector named in the draft, or an administrator, finalizes it.") in \
        capsys.readouterr().err
    assert not [e for e in _events(data) if e["event"] == "consent.finalized"]
    own = _draft_by(tmp_path, data, pack, clock, Injector("Pat Moreno", "RN", "Nurse injector"))
    assert main(["finalize", *nurse, str(own), "--data-dir", str(data)]) == 0
    [finalized] = [e for e in _events(data) if e["event"] == "consent.finalized"]
    assert (finalized["actor"], finalized["origin"]["staff"]) == ("Pat Moreno", "Pat Moreno, RN")


def test_commands_without_patient_data_stay_open(clinic, capsys):
    data = str(clinic.data_dir)
    assert main(["audit", "verify", "--data-dir", data]) == 0
    assert main(["signing", "show", "--data-dir", data]) == 0
    assert main(["doctor", "--data-dir", data]) in (0, 1)  # healthy or a warning, not refused
    assert "needs the staff member" not in capsys.readouterr().err


def test_the_pause_ends_after_its_minute_as_in_the_window(clinic, tmp_path, capsys):
    from datetime import UTC, datetime, timedelta

    from app.clinic.operator import recent_guard
    from app.clinic.pin_lockout import LOCKOUT_SECONDS

    wrong = _pin_file(tmp_path, "135790")
    for _ in range(MAX_FAILURES):
        main(["records", "list", "--staff", "Dana Whitfield", "--pin-file", str(wrong),
              "--data-dir", str(clinic.data_dir)])
    with open_store(clinic.data_dir / "glabella.db") as store:
        dana = StaffDirectory(store).members()[0]
        now = datetime.now(UTC)
        assert 0 < recent_guard(store, dana.id, now).seconds_left(dana.id) <= LOCKOUT_SECONDS
        later = now + timedelta(seconds=LOCKOUT_SECONDS + 1)
        after = recent_guard(store, dana.id, later)
        assert after.seconds_left(dana.id) == 0 and after.failures(dana.id) == 0


def test_only_an_administrator_replaces_the_signing_identity(clinic, tmp_path, capsys):
    from tests.test_signing import make_pkcs12

    data = clinic.data_dir
    with open_store(data / "glabella.db") as store:
        StaffDirectory(store).add("Pat Moreno", "RN", "Nurse injector", NURSE_PIN)
    p12, password = tmp_path / "clinic.p12", tmp_path / "pw"
    make_pkcs12(p12, b"pw")
    password.write_bytes(b"pw")
    os.chmod(password, 0o600)
    before = sorted(p.name for p in (data / "signing").iterdir())
    identity = (data / "signing" / before[0]).read_bytes()
    assert main(["signing", "import", str(p12), "--password-file", str(password),
                 "--data-dir", str(data)]) == 2  # no one named
    assert main(["signing", "import", "--staff", "Pat Moreno", "--pin-file",
                 str(_pin_file(tmp_path, NURSE_PIN)), str(p12), "--password-file",
                 str(password), "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    assert "glabella: Pat Moreno, RN is not an administrator: only an administrator may " \
           "replace the clinic's signing identity." in err
    assert sorted(p.name for p in (data / "signing").iterdir()) == before
    assert (data / "signing" / before[0]).read_bytes() == identity
    assert "signing.identity_replaced" not in [e["event"] for e in _events(data)]


def test_restore_checks_the_pin_but_a_refused_restore_changes_nothing(clinic, tmp_path, capsys,
                                                                      staff):
    database = clinic.data_dir / "glabella.db"
    not_a_backup = tmp_path / "junk.db"
    not_a_backup.write_bytes(b"not a database")
    before = database.read_bytes()
    assert main(["restore", *staff, str(not_a_backup), "--data-dir", str(clinic.data_dir)]) == 1
    assert database.read_bytes() == before  # the right PIN is not logged without a restore
    wrong = _pin_file(tmp_path, "135790")
    assert main(["restore", "--staff", "Dana Whitfield", "--pin-file", str(wrong),
                 str(not_a_backup), "--data-dir", str(clinic.data_dir)]) == 2
    [failed] = [e for e in _events(clinic.data_dir) if e["event"] == "pin.failed"]
    assert failed["origin"]["via"] == "restore"  # a wrong one always is
