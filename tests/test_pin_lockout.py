"""Wrong PINs are counted per staff member: a patient guessing at the patient screen never
pauses the injector's PIN, a named member's pause is theirs alone, and a colleague can
unlock it. No window; a fake clock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.clinic.pin_lockout import ASK_NAME, PinChecker, PinGuard
from app.clinic.staff import StaffDirectory
from tests import db_keys


@pytest.fixture
def store(tmp_path: Path):
    with db_keys.open_store(tmp_path / "glabella.db") as opened:
        yield opened


@pytest.fixture
def clock() -> list[float]:
    return [1000.0]


@pytest.fixture
def staff(store) -> StaffDirectory:
    return StaffDirectory(store)


def checker_for(staff: StaffDirectory, clock: list[float]) -> PinChecker:
    return PinChecker(staff, PinGuard(clock=lambda: clock[0]))


def failed(store) -> list[dict]:
    return [e["details"] for e in store.audit_events() if e["event"] == "pin.failed"]


def test_wrong_pins_for_anyone_never_pause_a_member_and_then_ask_who_you_are(
        store, staff, clock) -> None:
    dana = staff.add("Dana Whitfield", "RN", "Nurse injector", "482916", is_admin=True)
    checker = checker_for(staff, clock)
    # a patient guessing at "Return to staff": a few wrong PINs, then a name is needed
    for _ in range(2):
        result = checker.check("1111", "leave patient mode")
        assert result.member is None and not result.needs_name
        assert result.message == "That is not the right PIN." and result.locked_seconds == 0
    third = checker.check("1357", "leave patient mode")
    assert third.needs_name and third.message == ASK_NAME
    # from now on no nameless PIN is tried at all, not even the right one
    assert checker.check("482916", "leave patient mode").needs_name
    assert len(failed(store)) == 3
    assert [f["failures_in_a_row"] for f in failed(store)] == [1, 2, 3]
    assert failed(store)[-1] == {"purpose": "leave patient mode", "staff_id": None,
                                 "failures_in_a_row": 3, "locked_out": False,
                                 "asks_name": True}
    # the injector is not paused anywhere: her named PIN works at once, here or at sign-in
    assert checker.seconds_left(dana.id) == 0
    assert checker.check("482916", "leave patient mode", staff_id=dana.id).member == dana
    assert not checker.needs_name()  # a right PIN: nameless PINs are tried again
    assert checker.check("482916", "unlock patient mode").member == dana
    for event in store.audit_events():  # no PIN in any event
        assert not {"482916", "1111", "1357"} & set(map(str, json.loads(
            event["details_json"] or "{}").values()))


def test_wrong_pins_for_a_named_member_pause_only_that_member(store, staff, clock) -> None:
    dana = staff.add("Dana Whitfield", "RN", "Nurse injector", "482916", is_admin=True)
    bo = staff.add("Bo Chen", "RN", "Nurse injector", "593720")
    checker = checker_for(staff, clock)
    for attempt in range(1, 5):
        result = checker.check("0000", "sign in", staff_id=dana.id)
        assert result.member is None and result.locked_seconds == 0
        assert f"{5 - attempt} more tr" in result.message
        assert "not the right PIN for Dana Whitfield" in result.message
    result = checker.check("0000", "sign in", staff_id=dana.id)
    assert result.locked_seconds == 60
    assert result.message == ("Too many wrong PINs for Dana Whitfield. Try again in 60 s, or "
                              "another member of staff can unlock it.")
    # paused: even her right PIN is not tried (and not logged); everyone else is not paused
    assert checker.check("482916", "sign in", staff_id=dana.id).locked_seconds == 60
    assert checker.check("593720", "sign in", staff_id=bo.id).member == bo
    assert checker.check("593720", "unlock patient mode").member == bo
    assert [(f["staff_id"], f["failures_in_a_row"], f["locked_out"]) for f in failed(store)
            ] == [(dana.id, n, n == 5) for n in range(1, 6)]
    clock[0] += 59.5
    assert checker.seconds_left(dana.id) == 1
    clock[0] += 1
    assert checker.check("482916", "sign in", staff_id=dana.id).member == dana
    assert checker.guard.failures(dana.id) == 0


def test_another_member_unlocks_a_paused_one_with_their_own_pin(store, staff, clock) -> None:
    dana = staff.add("Dana Whitfield", "RN", "Nurse injector", "482916", is_admin=True)
    bo = staff.add("Bo Chen", "RN", "Nurse injector", "593720")
    checker = checker_for(staff, clock)
    for _ in range(5):
        checker.check("0000", "leave patient mode", staff_id=dana.id)
    assert checker.seconds_left(dana.id) == 60 and checker.can_be_unlocked(dana.id)
    assert checker.unlock(dana.id, "482916", dana.id).member is None  # not by herself
    assert checker.unlock(dana.id, "593720", None).message == "Choose your name first."
    wrong = checker.unlock(dana.id, "1111", bo.id)  # a wrong PIN counts against Bo
    assert wrong.member is None and "not the right PIN for Bo Chen" in wrong.message
    assert failed(store)[-1]["staff_id"] == bo.id
    assert failed(store)[-1]["purpose"] == "unlock a paused PIN"
    assert checker.seconds_left(dana.id) == 60
    assert checker.unlock(dana.id, "593720", bo.id).member == bo
    assert checker.seconds_left(dana.id) == 0
    assert checker.check("482916", "sign in", staff_id=dana.id).member == dana
    [unlocked] = [e for e in store.audit_events() if e["event"] == "pin.unlocked"]
    assert unlocked["actor"] == "Bo Chen, RN"
    assert json.loads(unlocked["details_json"]) == {"staff_id": dana.id, "by_staff_id": bo.id}


def test_a_one_person_clinic_waits_out_the_pause(staff, clock) -> None:
    dana = staff.add("Dana Whitfield", "RN", "Nurse injector", "482916", is_admin=True)
    checker = checker_for(staff, clock)
    for _ in range(5):
        checker.check("0000", "leave patient mode", staff_id=dana.id)
    assert not checker.can_be_unlocked(dana.id)
    assert checker.check("482916", "sign in", staff_id=dana.id).message == \
        "Too many wrong PINs for Dana Whitfield. Try again in 60 s."
    clock[0] += 60
    assert checker.check("482916", "sign in", staff_id=dana.id).member == dana


def test_settings_never_try_a_non_administrators_pin(store, staff, clock) -> None:
    dana = staff.add("Dana Whitfield", "RN", "Nurse injector", "482916", is_admin=True)
    bo = staff.add("Bo Chen", "RN", "Nurse injector", "593720")
    checker = checker_for(staff, clock)
    refused = checker.check("593720", "open settings", staff_id=bo.id, admins_only=True)
    assert refused.member is None and "not an administrator" in refused.message
    assert failed(store) == [] and checker.guard.failures(bo.id) == 0
    assert checker.check("482916", "open settings", staff_id=dana.id,
                         admins_only=True).member == dana
    nameless = checker.check("593720", "open settings", admins_only=True)
    assert nameless.member is None and nameless.message == "That is not an administrator's PIN."
