"""Leaving the window in patient mode (another window, minimising) covers the consult with
the lock card; the window's own dialogs do not."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.focus_watch import SETTLE_MS
from tests.ui.test_patient_mode import events, ready_for_patient


def assert_locked(window, service) -> None:
    overlay = window.pin_overlay
    assert overlay.isVisible() and overlay.property("role") == "lock"  # opaque
    assert "The screen was left" in overlay.text.text()
    assert not overlay.cancel_button.isVisible()
    assert not window.patient_view.isEnabled()  # nothing behind takes a click or a key
    assert window.mode == "patient"
    [locked] = [e for e in events(service, "staff.locked")
                if e["details"]["reason"] == "focus_lost"]
    assert locked["details"]["mode"] == "patient" and locked["details"]["draft"]
    assert service.draft_path(window.consent).exists()


def test_another_window_activated_in_patient_mode_locks_the_screen(
        window, driver, service, qtbot) -> None:
    ready_for_patient(driver)
    driver.hand_over()
    window.activateWindow()  # as on a desktop: the window handed over has the keyboard
    qtbot.waitUntil(window.isActiveWindow)
    other = QWidget()  # another program's window, as far as the consult window can tell
    qtbot.addWidget(other)
    other.setWindowTitle("Another program")
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: window.pin_overlay.isVisible(), timeout=3000)
    assert_locked(window, service)
    # coming back to it changes nothing: still locked, and locked once
    window.activateWindow()
    other.activateWindow()
    qtbot.wait(SETTLE_MS * 3)
    assert len([e for e in events(service, "staff.locked")]) == 1
    # Alt+F4 over the lock: nothing (a cancellable "Close?" prompt would lift it)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.close() is False
    assert window.pin_overlay.property("role") == "lock"
    qtbot.keyClick(window.pin_overlay.entry.field, Qt.Key.Key_Escape)
    assert window.pin_overlay.isVisible()
    # a staff PIN unlocks it for the patient, where they were
    driver.enter_pin("246813", "patient")
    assert not window.pin_overlay.isVisible() and window.mode == "patient"
    assert window.patient_view.isEnabled() and window.idle.is_running()


def test_minimising_in_patient_mode_locks_the_screen(window, driver, service, qtbot) -> None:
    ready_for_patient(driver)
    driver.hand_over()
    window.showMinimized()
    qtbot.waitUntil(lambda: window.pin_overlay.isVisible(), timeout=3000)
    assert_locked(window, service)
    window.showFullScreen()
    window.activateWindow()
    driver.enter_pin("246813", "staff")  # or unlock straight to the staff view
    assert window.mode == "injector" and window.screens.currentWidget() is window.consult_view


def test_the_windows_own_dialogs_and_the_staff_view_do_not_lock(window, driver, service,
                                                                 qtbot) -> None:
    ready_for_patient(driver)
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()  # in the staff view leaving is allowed: the staff are there
    qtbot.wait(SETTLE_MS * 3)
    assert not window.pin_overlay.isVisible() and events(service, "staff.locked") == []
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    driver.hand_over()
    box = QMessageBox(QMessageBox.Icon.Warning, "Glabella", "Something to read.",
                      QMessageBox.StandardButton.Ok, window)  # e.g. the bug report's notice
    box.show()
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)
    qtbot.wait(SETTLE_MS * 3)
    assert not window.pin_overlay.isVisible() and events(service, "staff.locked") == []
    box.accept()
    window.activateWindow()
    driver.click(window.patient_view.leave)  # the PIN prompt is part of the window
    qtbot.wait(SETTLE_MS * 3)
    assert window.pin_overlay.property("role") != "lock"
    driver.enter_pin("246813")
    assert window.mode == "injector"
