"""Signing in, the first-start set-up, locking when idle, and Settings behind a PIN."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog

from app.clinic.details import load_clinic
from app.clinic.settings import APP_IDLE, PATIENT_IDLE
from app.clinic.staff import StaffDirectory
from app.runtime.service import Glabella
from app.ui import ConsultWindow
from tests import db_keys


def events(service, name: str) -> list[dict]:
    return [e for e in service.store.audit_events() if e["event"] == name]


@pytest.fixture(params=[True, False], ids=["deferred", "built"])
def signed_out(qtbot, service, request) -> ConsultWindow:
    # as run_gui opens it (the consult's pages built only when needed), and all at once
    win = ConsultWindow(service, defer_consult=request.param)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_sign_in_with_name_and_pin(signed_out, qtbot, service, driver_for) -> None:
    window = signed_out
    screen = window.sign_in_screen
    assert window.screens.currentWidget() is screen and window.mode == "signed-out"
    assert not window.toolbar.isVisible() and not window.new_action.isEnabled()
    assert screen.demo_hint.text() == "Demo clinic: PIN 246813 — change it in Settings"
    assert screen.staff_list.currentItem().text().startswith("Dana Whitfield, RN")
    driver = driver_for(window)

    driver.type_into(screen.entry.field, "1111")
    qtbot.keyClick(screen.entry.field, Qt.Key.Key_Return)
    assert window.mode == "signed-out"
    assert "not the right PIN" in screen.entry.message.text()
    assert events(service, "pin.failed")[0]["details"]["purpose"] == "sign in"

    driver.type_into(screen.entry.field, "246813")
    driver.click(screen.sign_in_button)
    assert window.mode == "injector" and window.screens.currentWidget() is window.consult_view
    assert window.staff_label.text() == "Signed in: Dana Whitfield, RN"
    # the signed-in staff member is the consult's injector
    assert window.patient_page.injector_name.text() == "Dana Whitfield"
    assert window.consent.injector.display_name == "Dana Whitfield, RN"
    [signed_in] = events(service, "staff.signed_in")
    assert signed_in["actor"] == "Dana Whitfield, RN"


def test_five_wrong_pins_pause_pin_entry_with_a_countdown(signed_out, driver_for) -> None:
    window = signed_out
    screen = window.sign_in_screen
    clock = [100.0]
    window.pins.guard.clock = lambda: clock[0]
    driver = driver_for(window)
    for _ in range(5):
        driver.type_into(screen.entry.field, "9999")
        driver.click(screen.sign_in_button)
    assert screen.entry.message.text() == "Too many wrong PINs for Dana Whitfield. Try " \
        "again in 60 s."  # nobody else can unlock her: the demo clinic has one member
    assert not screen.entry.field.isEnabled() and not screen.entry.unlock_button.isVisible()
    clock[0] += 45
    screen.entry._tick()  # what the one-second ticker does
    assert screen.entry.message.text() == "Too many wrong PINs for Dana Whitfield. Try " \
        "again in 15 s."
    clock[0] += 15
    screen.entry._tick()
    assert screen.entry.field.isEnabled() and "open again" in screen.entry.message.text()


def test_first_start_without_staff_asks_for_an_administrator(qtbot, tmp_path, driver_for
                                                             ) -> None:
    with db_keys.open_store(tmp_path / "data" / "glabella.db") as store:
        store.set_setting("clinic.name", "Northside Skin")  # a clinic from before staff
    service = Glabella.open(tmp_path / "data")
    try:
        window = ConsultWindow(service)
        qtbot.addWidget(window)
        window.show()
        assert window.screens.currentWidget() is window.setup_screen
        form = window.setup_screen.form
        driver = driver_for(window)
        driver.type_into(form.name, "Ana Ruiz")
        driver.type_into(form.credentials, "MD")
        driver.type_into(form.pin, "1234")
        driver.type_into(form.pin_again, "1234")
        driver.click(window.setup_screen.create_button)
        assert form.fields["pin"].error_text() == "A PIN has 6 to 12 digits."
        for field in (form.pin, form.pin_again):
            field.clear()
        driver.type_into(form.pin, "739104")
        driver.type_into(form.pin_again, "739140")
        driver.click(window.setup_screen.create_button)
        assert form.fields["pin_again"].error_text() == "The two PINs are not the same."
        form.pin_again.clear()
        driver.type_into(form.pin_again, "739104")
        driver.click(window.setup_screen.create_button)
        assert window.mode == "injector"
        [admin] = StaffDirectory(service.store).members()
        assert admin.display_name == "Ana Ruiz, MD" and admin.is_admin
        assert window.patient_page.injector_name.text() == "Ana Ruiz"
        assert window.sign_in_screen.demo_hint.isHidden()
        window.close()
    finally:
        service.close()


def test_idle_locks_to_sign_in_and_keeps_the_consult(window, driver, service, qtbot) -> None:
    driver.fill_patient()
    driver.answer_all("no")
    consent = window.consent
    assert window.idle.is_running()
    window.idle.set_interval_ms(30)
    qtbot.waitUntil(lambda: window.mode == "signed-out", timeout=3000)
    assert window.screens.currentWidget() is window.sign_in_screen
    assert "consult in progress is kept" in window.sign_in_screen.locked_note.text()
    assert not window.idle.is_running() and not window.toolbar.isVisible()
    assert service.draft_path(consent).exists()
    [locked] = events(service, "staff.locked")
    assert locked["details"]["mode"] == "injector" and locked["actor"] == "Dana Whitfield, RN"

    driver.type_into(window.sign_in_screen.entry.field, "246813")
    qtbot.keyClick(window.sign_in_screen.entry.field, Qt.Key.Key_Return)
    assert window.mode == "injector" and window.consent is consent
    assert window.patient_page.name.text() == "Zoë Ñúñez-Łukasz"
    assert len(consent.screening) == len(window.pack.screening)
    assert window.idle.timer.interval() == 5 * 60_000  # the setting's default: 5 minutes


def test_lock_now_from_the_toolbar(window, qtbot) -> None:
    qtbot.keyClick(window.patient_page.name, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.mode == "signed-out"


def _logo_file(folder: Path) -> Path:
    image = QImage(1600, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("#1f6f78"))
    path = folder / "logo.png"
    image.save(str(path))
    return path


def test_settings_need_an_administrator_pin_and_save_together(window, driver, service,
                                                              tmp_path, monkeypatch) -> None:
    directory = StaffDirectory(service.store)
    directory.add("Bo Chen", "RN", "Nurse injector", "593720")
    window.settings_action.trigger()
    driver.enter_pin("593720")  # a nurse's PIN does not open Settings
    assert "administrator's PIN" in window.pin_overlay.entry.message.text()
    assert not hasattr(window, "settings_dialog")
    driver.enter_pin("246813", "open")
    dialog = window.settings_dialog
    assert dialog.isVisible()

    logo = _logo_file(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(logo), ""))
    driver.click(dialog.choose_logo_button)
    assert dialog.logo and QImage.fromData(dialog.logo).width() == 600  # scaled down
    dialog.clinic_name.setText("Northside Skin")
    dialog.app_idle.setValue(9)
    dialog.patient_idle.setValue(2)
    driver.click(dialog.save_button)
    assert not dialog.isVisible()
    clinic = load_clinic(service.store)
    assert clinic.name == "Northside Skin" and clinic.logo_png == dialog.logo
    assert service.store.get_setting(APP_IDLE) == "9"
    assert service.store.get_setting(PATIENT_IDLE) == "2"
    changed = {e["details"]["key"] for e in events(service, "settings.changed")}
    assert {"clinic.name", "clinic.logo_png", APP_IDLE, PATIENT_IDLE} <= changed
    assert window.windowTitle() == "Northside Skin — Glabella"
    assert window.idle.timer.interval() == 9 * 60_000
    # the logo and the new name are printed in the PDF's header
    from app.document.pdf import render_consent_pdf

    pdf = PdfReader(io.BytesIO(render_consent_pdf(window.consent, window.pack,
                                                  service.clinic)))
    assert len(pdf.pages[0].images) == 1
    assert "Northside Skin" in pdf.pages[0].extract_text()


def test_settings_staff_add_reset_and_deactivate(window, driver, service) -> None:
    window.settings_action.trigger()
    driver.enter_pin("246813", "open")
    dialog = window.settings_dialog
    dialog.tabs.setCurrentIndex(2)
    driver.type_into(dialog.form.name, "Bo Chen")
    driver.type_into(dialog.form.credentials, "NP")
    driver.type_into(dialog.form.pin, "802619")
    driver.type_into(dialog.form.pin_again, "802619")
    driver.click(dialog.add_button)
    directory = StaffDirectory(service.store)
    bo = next(m for m in directory.members() if m.full_name == "Bo Chen")
    assert not bo.is_admin and directory.pin_is(bo.id, "802619")
    assert dialog.chosen() == bo and "was added" in dialog.staff_message.text()

    driver.type_into(dialog.new_pin, "915372")
    driver.type_into(dialog.new_pin_again, "915372")
    driver.click(dialog.reset_pin_button)
    assert directory.pin_is(bo.id, "915372")
    driver.click(dialog.toggle_active_button)
    assert not directory.get(bo.id).active
    assert "deactivated" in dialog.staff_list.currentItem().text()

    dana = next(m for m in directory.members() if m.full_name == "Dana Whitfield")
    dialog.reload_staff(dana.id)
    driver.click(dialog.toggle_active_button)  # the last administrator stays
    assert "last active administrator" in dialog.staff_message.text()
    assert directory.get(dana.id).active
    actors = {e["actor"] for e in service.store.audit_events()
              if e["event"].startswith("staff.") and e["event"] != "staff.signed_in"
              and e["details"].get("staff_id") == bo.id}
    assert actors == {"Dana Whitfield, RN"}
