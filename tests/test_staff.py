"""Staff profiles, PIN hashing, the demo administrator, settings (the wrong-PIN lock-out:
test_pin_lockout.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.clinic.details import Clinic, load_clinic
from app.clinic.pin_lockout import PinChecker
from app.clinic.pins import SCRYPT_PARAMS, PinFormatError, hash_pin, pin_matches
from app.clinic.settings import (
    APP_IDLE,
    PATIENT_IDLE,
    ClinicSettings,
    idle_minutes,
    load_settings,
    save_settings,
)
from app.clinic.staff import DEMO_PIN, StaffDirectory, StaffError
from app.runtime.service import Glabella
from tests import db_keys


@pytest.fixture
def store(tmp_path: Path):
    with db_keys.open_store(tmp_path / "glabella.db") as opened:
        yield opened


def test_a_pin_hash_checks_older_short_pins_and_refuses_what_is_no_pin() -> None:
    assert pin_matches("2468", hash_pin("2468"))  # a 4-digit PIN from before still checks
    for bad in ("12", "1234567890123", "12a4", "١٢٣٤", "short words", ""):
        with pytest.raises(PinFormatError):
            hash_pin(bad)


def test_a_pin_hash_is_salted_and_checks_only_the_right_pin() -> None:
    first, second = hash_pin("2468"), hash_pin("2468")
    assert first.kdf == "scrypt" and first.params == SCRYPT_PARAMS
    assert len(first.salt) == 16 and first.salt != second.salt
    assert first.digest != second.digest  # same PIN, different salt, different hash
    assert pin_matches("2468", first) and pin_matches("2468", second)
    assert not pin_matches("2469", first)
    assert not pin_matches("24680", first)
    assert hash_pin("2468", salt=first.salt).digest == first.digest


def test_the_database_keeps_algorithm_params_salt_and_hash_never_the_pin(store) -> None:
    staff = StaffDirectory(store)
    member = staff.add("Ana Ruiz", "MD", "Physician", "918273", is_admin=True)
    row = store.database.execute("SELECT * FROM staff WHERE id = ?", [member.id]).fetchone()
    columns = [d[0] for d in store.database.execute("SELECT * FROM staff").description]
    stored = dict(zip(columns, row, strict=True))
    assert stored["pin_kdf"] == "scrypt"
    assert json.loads(stored["pin_params"]) == {"n": 65536, "r": 8, "p": 1, "dklen": 32}
    assert len(stored["pin_salt"]) == 16 and len(stored["pin_hash"]) == 32
    assert b"918273" not in b"".join(v if isinstance(v, bytes) else str(v).encode()
                                     for v in stored.values())
    assert staff.pin_is(member.id, "918273") and not staff.pin_is(member.id, "918274")
    event = store.audit_events()[-1]
    assert event["event"] == "staff.added" and "918273" not in event["details_json"]


def test_staff_are_listed_deactivated_and_given_a_new_pin(store) -> None:
    staff = StaffDirectory(store)
    admin = staff.add("Ana Ruiz", "MD", "Physician", "314159", is_admin=True)
    nurse = staff.add("Bo Chen", "RN", "Nurse injector", "271828")
    assert [m.full_name for m in staff.members()] == ["Ana Ruiz", "Bo Chen"]
    assert staff.match_pin("271828") == nurse
    assert staff.match_pin("271828", admins_only=True) is None
    staff.set_active(nurse.id, False, by=admin)
    assert [m.full_name for m in staff.members()] == ["Ana Ruiz"]
    assert staff.match_pin("271828") is None  # an inactive profile unlocks nothing
    assert len(staff.members(include_inactive=True)) == 2
    staff.reset_pin(admin.id, "161803", by=admin)
    assert staff.pin_is(admin.id, "161803") and not staff.pin_is(admin.id, "314159")
    with pytest.raises(StaffError, match="last active administrator"):
        staff.set_active(admin.id, False, by=admin)
    events = [(e["event"], e["actor"]) for e in store.audit_events()]
    assert ("staff.deactivated", "Ana Ruiz, MD") in events
    assert ("staff.pin_reset", "Ana Ruiz, MD") in events
    with pytest.raises(StaffError, match="Name is required"):
        staff.add("  ", "", "", "314159")


def test_a_pin_for_one_person_is_checked_against_that_person(store) -> None:
    staff = StaffDirectory(store)
    ana = staff.add("Ana Ruiz", "MD", "Physician", "314159", is_admin=True)
    bo = staff.add("Bo Chen", "RN", "Nurse injector", "271828")
    checker = PinChecker(staff)
    assert checker.check("271828", "sign in", staff_id=ana.id).member is None
    assert checker.check("271828", "sign in", staff_id=bo.id).member == bo
    assert checker.check("271828", "settings", admins_only=True).member is None


def test_a_new_database_gets_the_demo_admin_and_an_older_one_does_not(tmp_path) -> None:
    service = Glabella.open(tmp_path / "new")
    try:
        staff = StaffDirectory(service.store)
        [demo] = staff.members()
        assert (demo.display_name, demo.is_admin) == ("Dana Whitfield, RN", True)
        assert staff.pin_is(demo.id, DEMO_PIN)
        assert staff.demo_hint() == "Demo clinic: PIN 246813 — change it in Settings"
        assert not staff.asks_for_stronger(demo.id, DEMO_PIN)  # the demo PIN is the demo's
        staff.reset_pin(demo.id, "864297")
        assert staff.demo_hint() == ""  # the PIN was changed: no longer advertised
    finally:
        service.close()

    # a database that already had its clinic before staff existed: no demo PIN appears
    with db_keys.open_store(tmp_path / "old" / "glabella.db") as store:
        store.set_setting("clinic.name", "Northside Skin")
    service = Glabella.open(tmp_path / "old")
    try:
        assert StaffDirectory(service.store).is_empty()
    finally:
        service.close()


def test_settings_are_saved_together_or_not_at_all(store, monkeypatch) -> None:
    assert idle_minutes(store, APP_IDLE) == 5 and idle_minutes(store, PATIENT_IDLE) == 3
    store.set_setting(APP_IDLE, "nonsense")
    assert idle_minutes(store, APP_IDLE) == 5
    values = ClinicSettings(Clinic("Northside Skin", "2 High St", "555-0101", b"\x89PNG..",
                                   paper="Letter"),
                            app_idle_minutes=10, patient_idle_minutes=2)
    save_settings(store, values)
    assert load_settings(store) == values
    events = [e["details"]["key"] for e in store.audit_events() if e["event"] ==
              "settings.changed"]
    assert {"clinic.name", "clinic.logo_png", APP_IDLE, PATIENT_IDLE} <= set(events)

    real = store.set_setting

    def fail_on_idle(key: str, value: str) -> None:
        if key == PATIENT_IDLE:
            raise RuntimeError("disk full")
        real(key, value)

    monkeypatch.setattr(store, "set_setting", fail_on_idle)
    with pytest.raises(RuntimeError):
        save_settings(store, ClinicSettings(Clinic("Renamed"), 20, 7))
    assert load_clinic(store).name == "Northside Skin"  # rolled back with the rest
    with pytest.raises(ValueError, match="name is required"):
        save_settings(store, ClinicSettings(Clinic(" "), 5, 3))
    monkeypatch.undo()
    save_settings(store, ClinicSettings(Clinic("Northside Skin"), 10, 2))
    assert load_clinic(store).logo_png is None  # a removed logo stays removed


def test_staff_and_settings_never_load_qt() -> None:
    code = ("import sys, app.clinic.staff, app.clinic.settings\n"
            "import app.document.review\n"
            "print([m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
