"""A patient guessing PINs at the patient screen cannot lock the injector out: nameless wrong
PINs pause nobody, a named member's pause is theirs, the sign-in screen shares it, and a
colleague unlocks it. Real key presses and clicks."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from app.clinic.staff import StaffDirectory
from tests.ui.test_patient_mode import events, ready_for_patient

PAUSED = ("Too many wrong PINs for Dana Whitfield. Try again in 60 s, or another member of "
          "staff can unlock it.")


def test_the_patient_cannot_pause_the_injector_and_a_colleague_unlocks(
        window, driver, service, qtbot) -> None:
    bo = StaffDirectory(service.store).add("Bo Chen", "RN", "Nurse injector", "593720")
    clock = [500.0]
    window.pins.guard.clock = lambda: clock[0]
    ready_for_patient(driver)
    driver.hand_over()
    driver.click(window.patient_view.leave)
    entry = window.pin_overlay.entry
    for pin in ("1111", "2222", "3333"):  # the patient guesses
        driver.enter_pin(pin)
    assert entry.who.isVisible() and entry.field.isEnabled()
    assert window.pins.seconds_left(window.staff.id) == 0  # the injector is not paused
    # the patient chooses the injector's name and goes on guessing: only she is paused
    qtbot.keyClick(entry.who, Qt.Key.Key_Down)
    qtbot.keyClick(entry.who, Qt.Key.Key_Down)
    assert entry.who.currentText().startswith("Dana Whitfield")
    for _ in range(5):
        driver.enter_pin("0000")
    assert entry.message.text() == PAUSED and not entry.field.isEnabled()
    assert entry.unlock_button.isVisible()
    qtbot.keyClick(entry.who, Qt.Key.Key_Up)  # another name is not paused
    assert entry.who.currentText().startswith("Bo Chen") and entry.field.isEnabled()
    assert entry.message.text() == ""
    driver.enter_pin("593720", "leave")  # Bo takes the screen back
    assert window.mode == "injector"

    # the same window's sign-in screen knows Dana is paused
    driver.click(window.toolbar.widgetForAction(window.lock_action))
    screen = window.sign_in_screen
    assert screen.chosen_id() == window.last_staff_id != bo.id
    assert screen.entry.message.text() == PAUSED and not screen.entry.field.isEnabled()
    clock[0] += 20
    screen.entry._tick()  # what the one-second ticker does
    assert "Try again in 40 s" in screen.entry.message.text()
    # Bo unlocks her with his own PIN (a wrong one counts against him)
    driver.click(screen.entry.unlock_button)
    assert screen.entry.who_caption.text() == "Who is unlocking it?"
    assert [screen.entry.who.itemText(i) for i in range(screen.entry.who.count())] == \
        ["Bo Chen, RN  ·  Nurse injector"]
    qtbot.keyClick(screen.entry.who, Qt.Key.Key_Down)
    driver.type_into(screen.entry.field, "1111")
    qtbot.keyClick(screen.entry.field, Qt.Key.Key_Return)
    assert "not the right PIN for Bo Chen" in screen.entry.message.text()
    driver.type_into(screen.entry.field, "593720")
    qtbot.keyClick(screen.entry.field, Qt.Key.Key_Return)
    assert screen.entry.message.text() == "Unlocked by Bo Chen, RN. Type your PIN."
    assert not screen.entry.who.isVisible() and screen.entry.field.isEnabled()
    assert window.mode == "signed-out"  # unlocking signs nobody in
    driver.type_into(screen.entry.field, "246813")
    driver.click(screen.sign_in_button)
    assert window.mode == "injector" and window.staff.full_name == "Dana Whitfield"

    failures = [e["details"] for e in events(service, "pin.failed")]
    assert [f["staff_id"] for f in failures] == [None] * 3 + [window.staff.id] * 5 + [bo.id]
    [unlocked] = events(service, "pin.unlocked")
    assert unlocked["actor"] == "Bo Chen, RN"
    assert unlocked["details"] == {"staff_id": window.staff.id, "by_staff_id": bo.id}
    for event in service.store.audit_events():  # no PIN in any event
        assert not {"246813", "593720", "0000", "1111"} & set(map(str, json.loads(
            event["details_json"] or "{}").values()))
