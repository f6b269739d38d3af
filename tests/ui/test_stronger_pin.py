"""A member whose PIN is from before the 6-digit rule signs in, is asked for a stronger
one, and chooses it in the dialog (the rule's reasons shown); a strong PIN asks nothing."""

from __future__ import annotations

import pytest

from app.clinic.pins import hash_pin
from app.clinic.staff import StaffDirectory, pin_row_of
from app.ui import ConsultWindow
from app.ui.sign_in import STAFF_ID
from db import staff as staff_table
from tests.ui.conftest import demo_admin as demo_admin_of

OLD_PIN = "4821"  # a 4-digit PIN from before: no longer accepted as a new one


@pytest.fixture
def bo(service):
    directory = StaffDirectory(service.store)
    member = directory.add("Bo Chen", "RN", "Nurse injector", "593720")
    staff_table.set_pin_hash(service.store, member.id, pin_row_of(hash_pin(OLD_PIN)))
    return member


def signed_out_window(qtbot, service) -> ConsultWindow:
    window = ConsultWindow(service)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def sign_in(window: ConsultWindow, driver, staff_id: str, pin: str) -> None:
    screen = window.sign_in_screen
    row = next(i for i in range(screen.staff_list.count())
               if screen.staff_list.item(i).data(STAFF_ID) == staff_id)
    screen.staff_list.setCurrentRow(row)
    driver.type_into(screen.entry.field, pin)
    driver.click(screen.sign_in_button)
    assert window.mode == "injector"


def test_an_old_short_pin_signs_in_and_is_asked_for_a_stronger_one(
        qtbot, service, bo, driver_for) -> None:
    window = signed_out_window(qtbot, service)
    driver = driver_for(window)
    sign_in(window, driver, bo.id, OLD_PIN)
    notice = window.consult_view.pin_notice
    assert notice.isVisible()
    assert notice.text().startswith("Bo Chen, your PIN is shorter or easier to guess")
    driver.click(notice.button)
    dialog = window.staff_access.change_pin_dialog
    assert dialog is not None and dialog.isVisible()
    driver.type_into(dialog.new_pin, "123456")
    driver.type_into(dialog.new_pin_again, "123456")
    driver.click(dialog.save_button)
    assert dialog.isVisible() and "in a row" in dialog.message.text()
    driver.type_into(dialog.new_pin, "802619")
    driver.type_into(dialog.new_pin_again, "802619")
    driver.click(dialog.save_button)
    assert not dialog.isVisible() and not notice.isVisible()
    directory = StaffDirectory(service.store)
    assert directory.pin_is(bo.id, "802619") and not directory.pin_is(bo.id, OLD_PIN)
    [reset] = [e for e in service.store.audit_events() if e["event"] == "staff.pin_reset"]
    assert reset["actor"] == "Bo Chen, RN" and "802619" not in (reset["details_json"] or "")
    # signed in again with the new PIN: no notice
    window.lock("manual")
    sign_in(window, driver, bo.id, "802619")
    assert not notice.isVisible()
    window.close()


def test_the_demo_pin_and_a_passphrase_ask_for_nothing(qtbot, service, driver_for) -> None:
    window = signed_out_window(qtbot, service)
    driver = driver_for(window)
    demo_admin = demo_admin_of(service)
    sign_in(window, driver, demo_admin.id, "246813")
    assert not window.consult_view.pin_notice.isVisible()
    window.lock("manual")
    directory = StaffDirectory(service.store)
    zoe = directory.add("Zoë Ng", "MD", "Physician", "violet kestrel morning")
    window.staff_access.show_sign_in()
    sign_in(window, driver, zoe.id, "violet kestrel morning")  # letters and spaces typed
    assert not window.consult_view.pin_notice.isVisible()
    window.close()
