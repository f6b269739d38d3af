"""Re-consent in the window: the setting in Settings, the staff notice once the patient is
known, and a treatment-day confirmation driven to a stored record."""

from __future__ import annotations

import io

from pypdf import PdfReader
from PySide6.QtCore import Qt

from app.clinic.settings import RECONSENT_MONTHS
from app.consult.demo import build_demo_consent
from app.consult.reconsent import REMINDER_ID
from db.reconsent import confirmed_consent
from tests.ui.conftest import wait_finalize
from tests.ui.test_returning_patient import pick_by_keyboard


def test_the_setting_is_chosen_in_settings(window, driver, service, qtbot) -> None:
    window.settings_action.trigger()
    driver.enter_pin("246813", "open")
    dialog = window.settings_dialog
    bar = dialog.tabs.tabBar()
    index = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "Re-consent")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    tab = dialog.reconsent
    assert dialog.tabs.currentWidget() is tab
    assert tab.every_visit.isChecked() and not tab.months_box.isEnabled()  # the default
    driver.click(tab.valid_for)
    assert tab.months_box.isEnabled()
    tab.months_box.selectAll()
    qtbot.keyClicks(tab.months_box, "9")
    driver.click(dialog.save_button)
    assert service.settings.reconsent_months() == 9
    assert service.store.get_setting(RECONSENT_MONTHS) == "9"


def test_a_returning_patient_signs_a_treatment_day_confirmation(window, driver, service,
                                                                dialogs) -> None:
    service.store.set_setting(RECONSENT_MONTHS, "6")
    full = service.finalize(build_demo_consent(service.pack, service.clock))
    patient_id = service.store.get_consent(full.consent_id)["patient_id"]
    notice = window.consult_view.reconsent_notice
    driver.fill_patient(name="Ada Ngozi Obi", dob="1990-06-02")  # new: nothing on file
    assert notice.isVisible()
    assert notice.text() == "Full consent needed: no full consent is on file for this patient."

    # the returning patient, found on the Patient step (their stored id)
    window.start(service.new_consent())
    pick_by_keyboard(driver.qtbot, window, "nunez")
    assert window.consent.patient.id == patient_id
    assert notice.isVisible()
    assert notice.text() == ("A full consent is on file from 4 Mar 2025, valid until "
                             "4 Sep 2025: today needs a treatment-day confirmation.")
    assert window.consent.kind == "confirmation"
    assert window.consent.full_consent_id == full.consent_id

    # another product: a full consent, with the whole checklist
    driver.choose_plan("product.dysport", ("area.glabellar",))
    assert notice.text().startswith("Full consent needed: today's product (Dysport)")
    assert window.consent.kind == "consent" and len(window.risks_page.cards) > 10
    window.plan_page.product.setCurrentIndex(
        window.plan_page.product.findData("product.botox-cosmetic"))
    assert window.consent.kind == "confirmation"

    driver.answer_all("no")
    window.go_to("risks")
    assert list(window.risks_page.cards) == [REMINDER_ID]
    assert "On 4 Mar 2025 you signed a full consent" in window.risks_page.cards[
        REMINDER_ID].item.text
    driver.tick_all()
    driver.sign("patient")
    driver.sign("injector")
    assert window.finalize_button.isEnabled(), window.finalize_reason.text()
    driver.click(window.finalize_button)
    wait_finalize(driver.qtbot, window)
    assert dialogs.shown == []
    record_id = window.done_page.record_id.text()
    assert confirmed_consent(service.store, record_id) == full.consent_id
    pdf = service.store.get_pdf(record_id)
    text = " ".join(" ".join(p.extract_text() or "" for p in
                             PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"Treatment-day confirmation of full consent {full.consent_id[:8]}" in text
