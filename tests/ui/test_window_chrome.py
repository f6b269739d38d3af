"""The window's title, and an untouched Patient page after Settings (issue 13, defect 8)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.base.titles import window_title
from app.clinic.details import DEMO_NAME
from app.ui import ConsultWindow


def test_a_title_names_the_clinic_then_glabella_once() -> None:
    assert window_title("Northside Skin") == "Northside Skin — Glabella"
    assert window_title("Northside Skin", "Records") == "Records — Northside Skin — Glabella"
    # Qt adds the application's display name to a title that does not end with it
    assert window_title(DEMO_NAME).endswith("— Glabella")


def test_the_window_titles(window: ConsultWindow, driver) -> None:
    assert window.windowTitle() == "Glabella Demo Clinic — Glabella"
    window.open_records()
    assert window.records_window is not None
    assert window.records_window.windowTitle() == "Records — Glabella Demo Clinic — Glabella"
    window.records_window.close()
    window.open_settings()
    driver.enter_pin("246813", "open")
    dialog = window.settings_dialog
    dialog.clinic_name.setText("Northside Skin")
    dialog.save_button.click()
    assert window.windowTitle() == "Northside Skin — Glabella"


def test_settings_leave_an_untouched_patient_page_without_problems(window: ConsultWindow,
                                                                   driver) -> None:
    window.activateWindow()
    window.go_to("patient", focus=True)
    QApplication.processEvents()
    assert QApplication.focusWidget() is window.patient_page.name
    window.open_settings()  # the PIN prompt takes the keyboard from the empty name field
    driver.enter_pin("246813", "open")
    window.settings_dialog.reject()
    QApplication.processEvents()
    assert window.patient_page.problem_for("full_name") == ""
    assert window.patient_page.problem_for("date_of_birth") == ""
