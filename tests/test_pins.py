"""What a new PIN may be (6-12 digits or a 12+ character passphrase, not the obviously
guessed), older short PINs still signing in, and rehashing at today's scrypt cost."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from app.clinic.pin_lockout import NAME_FIRST, NAMELESS_MAX, PinChecker
from app.clinic.pins import (
    DEMO_PIN,
    SCRYPT_PARAMS,
    PinHash,
    hash_pin,
    needs_rehash,
    pin_matches,
    pin_problem,
)
from app.clinic.staff import (
    LEGACY_DEMO_PIN,
    LEGACY_DEMO_PIN_KEY,
    StaffDirectory,
    StaffError,
    pin_fingerprint,
    pin_row_of,
)
from db import Store
from db import staff as staff_table

OLD_PARAMS = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}  # the cost before bench/bench_pin.py


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "glabella.db") as opened:
        yield opened


def old_hash(pin: str) -> PinHash:
    """``pin`` hashed as Glabella did before the cost was raised."""
    return hash_pin(pin, b"s" * 16, OLD_PARAMS)


def test_new_pins_are_six_to_twelve_digits_or_a_long_passphrase() -> None:
    for good in ("483920", "902817", "48392017", "739104826155", "correct horse battery",
                 "Zoë’s garden 1988"):
        assert pin_problem(good) == "", good
    for short in ("2468", "48392", ""):
        assert "6 to 12 digits" in pin_problem(short)
    assert "6 to 12 digits" in pin_problem("4839201736251")
    assert "passphrase has at least 12" in pin_problem("short words")
    assert "digits 0–9 only" in pin_problem("٤٨٣٩٢٠")  # Arabic-Indic digits are not 0-9
    assert "control characters" in pin_problem("tab\there and there")


@pytest.mark.parametrize(("pin", "reason"), [
    ("000000", "repeated"), ("777777777777", "repeated"), ("121212", "repeated"),
    ("123123", "repeated"), ("123456", "in a row"), ("987654", "in a row"),
    ("345678901", "in a row"), ("170488", "date"), ("041788", "date"), ("880417", "date"),
    ("17041988", "date"), ("19880417", "date"), ("aaaaaaaaaaaaa", "one character"),
])
def test_the_obviously_guessed_are_refused_with_a_reason(pin: str, reason: str) -> None:
    assert reason in pin_problem(pin)


def test_the_demo_pin_is_the_demo_administrators_alone(store) -> None:
    assert pin_problem(DEMO_PIN, demo=True) == ""
    assert "demo clinic's published PIN" in pin_problem(DEMO_PIN)
    staff = StaffDirectory(store)
    demo = staff.ensure_demo_admin()
    assert demo is not None and staff.pin_is(demo.id, DEMO_PIN)
    with pytest.raises(StaffError, match="demo clinic's published PIN"):
        staff.add("Bo Chen", "RN", "Nurse injector", DEMO_PIN)
    with pytest.raises(StaffError, match="in a row"):
        staff.reset_pin(demo.id, "123456", by=demo)
    with pytest.raises(StaffError, match="6 to 12 digits"):
        staff.add("Bo Chen", "RN", "Nurse injector", "4821")
    assert [m.full_name for m in staff.members()] == ["Dana Whitfield"]


def test_a_passphrase_is_normalised_before_hashing(store) -> None:
    composed = "Zoë’s garden 1988"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    staff = StaffDirectory(store)
    zoe = staff.add("Zoë Ng", "MD", "Physician", decomposed, is_admin=True)
    assert staff.pin_is(zoe.id, composed) and staff.pin_is(zoe.id, decomposed)
    assert not staff.pin_is(zoe.id, "Zoe’s garden 1988")
    assert pin_matches(composed, hash_pin(decomposed))


def test_an_older_short_pin_signs_in_and_is_asked_to_become_stronger(store) -> None:
    staff = StaffDirectory(store)
    ana = staff.add("Ana Ruiz", "MD", "Physician", "739104", is_admin=True)
    staff_table.set_pin_hash(store, ana.id, pin_row_of(old_hash("4821")))
    checker = PinChecker(staff)
    result = checker.check("4821", "sign in", staff_id=ana.id)
    assert result.member == ana and result.asks_for_stronger
    strong = checker.check("4821", "sign in", staff_id=ana.id)
    assert strong.asks_for_stronger  # until the PIN is changed
    staff.reset_pin(ana.id, "739104", by=ana)
    assert not checker.check("739104", "sign in", staff_id=ana.id).asks_for_stronger


def test_a_right_pin_at_the_old_cost_is_rehashed_at_todays(store) -> None:
    staff = StaffDirectory(store)
    ana = staff.add("Ana Ruiz", "MD", "Physician", "739104", is_admin=True)
    staff_table.set_pin_hash(store, ana.id, pin_row_of(old_hash("739104")))
    assert needs_rehash(staff.stored_pin(ana.id)) and not needs_rehash(hash_pin("739104"))
    assert not staff.check_pin(ana.id, "739105")
    assert staff.stored_pin(ana.id).params == OLD_PARAMS  # a wrong PIN changes nothing
    assert staff.check_pin(ana.id, "739104")
    stored = staff.stored_pin(ana.id)
    assert stored.params == SCRYPT_PARAMS and stored.salt != b"s" * 16
    assert staff.pin_is(ana.id, "739104")
    [event] = [e for e in store.audit_events() if e["event"] == "staff.pin_rehashed"]
    assert event["actor"] == "Ana Ruiz, MD"
    details = json.loads(event["details_json"])
    assert details == {"staff_id": ana.id, "from": OLD_PARAMS, "to": SCRYPT_PARAMS}
    assert "739104" not in event["details_json"]
    staff.check_pin(ana.id, "739104")  # once rehashed, not again
    assert len([e for e in store.audit_events() if e["event"] == "staff.pin_rehashed"]) == 1


def test_an_older_demo_database_keeps_its_hint_through_the_rehash(store) -> None:
    """A demo clinic made with PIN 2468 at the old cost: the hint says 2468 until changed."""
    staff = StaffDirectory(store)
    demo = staff.ensure_demo_admin()
    assert demo is not None
    old = old_hash(LEGACY_DEMO_PIN)
    staff_table.set_pin_hash(store, demo.id, pin_row_of(old))
    store.database.execute("DELETE FROM settings WHERE key LIKE 'staff.demo_pin%'")
    store.set_setting(LEGACY_DEMO_PIN_KEY, pin_fingerprint(old))
    assert staff.demo_hint() == "Demo clinic: PIN 2468 — change it in Settings"
    assert PinChecker(staff).check(LEGACY_DEMO_PIN, "sign in", staff_id=demo.id
                                   ).asks_for_stronger
    assert staff.stored_pin(demo.id).params == SCRYPT_PARAMS
    assert staff.demo_hint() == "Demo clinic: PIN 2468 — change it in Settings"


def test_many_members_are_asked_their_name_before_a_nameless_pin(store) -> None:
    staff = StaffDirectory(store)
    pins = ["739104", "802619", "915372", "640285", "583917"]
    members = [staff.add(f"Member {n}", "RN", "Nurse injector", pin, is_admin=n == 0)
               for n, pin in enumerate(pins[:NAMELESS_MAX])]
    checker = PinChecker(staff)
    assert not checker.needs_name()
    assert checker.check(pins[-2], "leave patient mode").member == members[-1]
    assert checker.guard.last_right == members[-1].id  # tried first next time
    staff.add("Member 4", "RN", "Nurse injector", pins[-1])
    assert checker.needs_name()
    result = checker.check(pins[0], "leave patient mode")
    assert result.member is None and result.needs_name and result.message == NAME_FIRST
    assert checker.check(pins[0], "leave patient mode", staff_id=members[0].id).member
