"""Settings → Content records the medical director's review; until then staff (and only
staff) see a notice on the consult screen."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLabel

from app.ui import ConsultWindow
from app.ui.review_notice import ReviewNotice
from tests.ui.conftest import NOW, demo_admin

ADMIN = "Dana Whitfield, RN"


def reviewed_events(service) -> list[dict]:
    return [e for e in service.store.audit_events() if e["event"] == "content.reviewed"]


def open_content_tab(window, driver, qtbot):
    window.settings_action.trigger()
    driver.enter_pin("246813", "open")
    dialog = window.settings_dialog
    bar = dialog.tabs.tabBar()
    index = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "Content")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert dialog.tabs.currentWidget() is dialog.content_tab
    return dialog, dialog.content_tab


def test_the_content_tab_records_a_review_with_clicks_and_keys(window, driver, service,
                                                               qtbot) -> None:
    pack = service.pack
    assert window.review_notice.isVisible()
    assert window.review_notice.text() == (
        f"This content pack (version {pack.version}, {pack.hash[:12]}) has not been "
        "reviewed by the clinic's medical director. An administrator records the review in "
        "Settings → Content.")
    dialog, tab = open_content_tab(window, driver, qtbot)
    shown = {w.text() for w in tab.findChildren(QLabel) if w.isVisible()}
    assert {pack.info.id, pack.version, pack.hash[:12]} <= shown
    assert tab.status.text().startswith("Not reviewed yet")
    assert tab.review_date.date() == QDate(NOW.date())  # today, by the clinic's clock
    assert tab.title.text() == "Medical Director"

    driver.click(tab.record_button)  # no name yet: refused, and nothing stored
    assert tab.message.isVisible()
    assert tab.message.text() == "The medical director's name is required."
    assert service.pack_review() is None and reviewed_events(service) == []

    tab.review_date.setFocus()
    for _ in range(12):  # no future date: Up stops at today
        qtbot.keyClick(tab.review_date, Qt.Key.Key_Up)
    assert tab.review_date.date() == QDate(NOW.date())
    qtbot.keyClick(tab.review_date, Qt.Key.Key_End)  # the day
    for _ in range(3):
        qtbot.keyClick(tab.review_date, Qt.Key.Key_Down)
    assert tab.review_date.date() == QDate(2025, 3, 1)
    driver.type_into(tab.name, "Dr Ana Ruiz")
    driver.click(tab.record_button)

    review = service.pack_review()
    assert review is not None
    assert (review.pack_id, review.version, review.content_hash) == (
        pack.info.id, pack.version, pack.hash)
    assert review.reviewed_by == "Dr Ana Ruiz, Medical Director"
    assert review.reviewed_on == date(2025, 3, 1)
    assert review.recorded_by == ADMIN  # whoever opened Settings with their PIN
    assert tab.message.text() == "Review recorded."
    assert tab.status.text() == f"Reviewed. {review.line()}"
    [event] = reviewed_events(service)
    assert event["actor"] == ADMIN
    assert event["details"]["content_hash"] == pack.hash
    assert event["details"]["reviewed_by"] == "Dr Ana Ruiz, Medical Director"
    assert service.store.audit_chain().intact

    driver.click(dialog.close_button)  # nothing to Save: the review is already stored
    assert not dialog.isVisible()
    assert window.review_notice.isHidden()


def test_a_reviewed_pack_shows_no_notice_and_the_tab_says_who_reviewed_it(
        qtbot, service, driver_for) -> None:
    review = service.record_pack_review("Dr Ana Ruiz, Medical Director", date(2025, 3, 1),
                                        ADMIN)
    window = ConsultWindow(service, staff=demo_admin(service))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    driver = driver_for(window)
    assert window.mode == "injector" and window.review_notice.isHidden()
    _dialog, tab = open_content_tab(window, driver, qtbot)
    assert tab.status.text() == f"Reviewed. {review.line()}"


def test_the_notice_is_for_staff_never_for_the_patient_or_the_lock(window, driver,
                                                                   qtbot) -> None:
    notice = window.review_notice
    assert notice.isVisible()
    driver.fill_patient()
    driver.choose_plan()  # a hand-over needs a plan
    driver.hand_over()
    assert window.mode == "patient"
    assert notice.isHidden() and not notice.isVisible()
    assert window.patient_view.findChildren(ReviewNotice) == []
    texts = " ".join(w.text() for w in window.findChildren(QLabel) if w.isVisible())
    assert "medical director" not in texts
    window.lock_patient_screen()  # idle in patient mode: the lock over the patient's screen
    assert notice.isHidden()
    driver.enter_pin("246813", "staff")
    assert window.mode == "injector" and notice.isVisible()
    window.lock("by hand")  # the sign-in screen
    assert window.mode == "signed-out" and notice.isHidden()
    window.sign_in(demo_admin(window.service))
    assert notice.isVisible()


def test_the_sign_in_screen_never_shows_it(qtbot, service) -> None:
    window = ConsultWindow(service)  # signed out, the consult built behind the sign-in
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.mode == "signed-out"
    assert window.review_notice.isHidden()
    window.shutdown()
