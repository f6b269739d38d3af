"""Patient mode: the hand-over, what the patient can and cannot reach, leaving, locking."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from app.ui import style


def events(service, name: str) -> list[dict]:
    return [e for e in service.store.audit_events() if e["event"] == name]


def ready_for_patient(driver) -> None:
    driver.fill_patient()
    driver.answer_all("no")
    driver.choose_plan("product.dysport", ("area.glabellar", "area.forehead"))


def test_hand_over_needs_the_patient_and_a_matching_date_of_birth(window, driver, service
                                                                   ) -> None:
    assert not window.hand_to_patient()  # nobody to hand to yet
    assert window.mode == "injector" and "date of birth" in window.notice.text()

    ready_for_patient(driver)
    assert window.hand_to_patient()
    assert window.mode == "patient" and window.patient_view.in_gate()
    assert window.isFullScreen() and not window.toolbar.isVisible()
    driver.type_into(window.patient_view.gate.dob, "1988-04-18")
    driver.qtbot.mouseClick(window.patient_view.gate.continue_button, Qt.MouseButton.LeftButton)
    # a mismatch locks: nobody signed in, no staff screen, no records; the patient saw nothing
    assert window.mode == "signed-out" and window.staff is None
    assert window.screens.currentWidget() is window.sign_in_screen
    assert not window.isFullScreen() and not window.toolbar.isVisible()
    assert "did not match" in window.sign_in_screen.locked_note.text()
    driver.qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    window.open_records()
    assert window.records_window is None
    assert len(events(service, "patient_mode.dob_mismatch")) == 1
    [locked] = [e for e in events(service, "staff.locked")
                if e["details"]["reason"] == "dob_mismatch"]
    assert locked["details"]["mode"] == "patient" and locked["details"]["draft"]
    # staff sign in with their PIN, and are told why
    driver.type_into(window.sign_in_screen.entry.field, "246813")
    driver.click(window.sign_in_screen.sign_in_button)
    assert window.mode == "injector"
    assert window.screens.currentWidget() is window.consult_view
    assert window.notice.isVisible() and "does not match" in window.notice.text()
    assert window.current_page() is window.patient_page

    driver.hand_over("1988-04-17")
    assert window.mode == "patient" and not window.patient_view.in_gate()
    assert window.patient_view.current_page() is window.patient_view.plan_page
    assert len(events(service, "patient_mode.dob_confirmed")) == 1


def test_patient_mode_shows_this_consult_only_and_no_staff_controls(window, driver, qtbot
                                                                     ) -> None:
    ready_for_patient(driver)
    driver.hand_over()
    view = window.patient_view
    consent = window.consent
    # the injector's pages, toolbar and actions are out of reach
    assert not window.consult_view.isVisible() and not window.toolbar.isVisible()
    for action in (*window.injector_actions, window.next_action, window.back_action):
        assert not action.isEnabled()
    for keys in ("Ctrl+N", "Ctrl+,", "Ctrl+L", "Ctrl+H"):
        qtbot.keyClick(view.steps, keys[-1], Qt.KeyboardModifier.ControlModifier)
    assert window.consent is consent and window.mode == "patient"
    assert not hasattr(window, "settings_dialog") and not window.pin_overlay.isVisible()
    assert window.screens.currentWidget() is view
    # only the patient's own signature; no "discussed in person"; no injector's note box
    assert list(view.signature_page.panels) == ["patient"]
    assert view.faq_page.discussed.isHidden()
    card = next(iter(view.risks_page.cards.values()))
    assert not card.ask.isHidden() and card.note_field.isHidden()
    # the plan in plain words, with the off-label area explained
    text = view.plan_page.summary_text()
    assert "Frown lines between the eyebrows" in text and "Lines across the forehead" in text
    assert "Off-label" in text and "Nurse injector" in text
    # Escape does nothing; the patient moves with Next/Back or the shortcuts
    qtbot.keyClick(view.steps, Qt.Key.Key_Escape)
    assert window.mode == "patient"
    qtbot.keyClick(view.steps, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.current_page() is view.faq_page


def test_large_type_and_one_step_larger(window, driver) -> None:
    ready_for_patient(driver)
    driver.hand_over()
    view = window.patient_view
    body = next(w for w in view.plan_page.findChildren(QLabel) if w.property("role") is None)
    assert QFontInfo(body.font()).pointSize() >= style.PATIENT_BODY_PT >= 16
    driver.click(view.larger)
    assert QFontInfo(body.font()).pointSize() == style.PATIENT_LARGE_BODY_PT
    long = view.risks_page.cards[window.pack.risks[0].id]
    view.go_to("risks")
    for label in long.findChildren(QLabel):  # long text wraps instead of being cut off
        assert label.wordWrap() or label.sizeHint().width() <= label.width() + 1


def test_leaving_needs_a_staff_pin_and_wrong_pins_are_counted(window, driver, service,
                                                               qtbot) -> None:
    ready_for_patient(driver)
    driver.hand_over()
    view = window.patient_view
    driver.click(view.leave)
    assert window.pin_overlay.isVisible()
    driver.enter_pin("1357")
    assert window.mode == "patient" and window.pin_overlay.isVisible()
    assert window.pin_overlay.entry.message.text() == "That is not the right PIN."
    [failed] = events(service, "pin.failed")
    assert failed["details"]["purpose"] == "leave patient mode"
    assert failed["details"]["failures_in_a_row"] == 1
    qtbot.keyClick(window.pin_overlay.entry.field, Qt.Key.Key_Escape)  # cancel: stay
    assert not window.pin_overlay.isVisible() and window.mode == "patient"

    # closing the window (Alt+F4, the close button) asks for the PIN too
    assert window.close() is False
    assert window.isVisible() and window.pin_overlay.isVisible()
    entry = window.pin_overlay.entry
    assert not entry.who.isVisible()  # the count carries over from one prompt to the next
    driver.enter_pin("0000")
    driver.enter_pin("0000")
    # wrong PINs for nobody in particular pause nobody: the prompt asks who is typing
    assert entry.who.isVisible() and "Choose your name" in entry.message.text()
    assert entry.field.isEnabled() and not entry.locked()
    assert [e["details"]["staff_id"] for e in events(service, "pin.failed")] == [None] * 3
    driver.enter_pin("246813", "close")  # the right PIN, but no name chosen: not tried
    assert window.isVisible() and entry.message.text() == "Choose your name first."
    assert len(events(service, "pin.failed")) == 3
    qtbot.keyClick(entry.who, Qt.Key.Key_Down)  # the first name: Dana Whitfield
    assert entry.who.currentText().startswith("Dana Whitfield, RN")
    driver.enter_pin("246813", "close")
    assert not window.isVisible()
    assert service.draft_path(window.consent).exists()  # kept as a draft


def test_the_patients_question_blocks_finalizing_until_the_injector_notes_it(
        window, driver, service) -> None:
    """The order is the patient's question, staff's answer, then signatures (the whole way
    to the PDF is in test_patient_signing)."""
    ready_for_patient(driver)
    driver.hand_over()
    view = window.patient_view
    view.go_to("risks")
    items = list(view.risks_page.cards.values())
    for card in items:
        driver.click(card.check)
    asked = items[3]
    driver.click(asked.ask)
    assert asked.item.item_id in window.consent.questions
    assert "go through it with you" in asked.question.text()
    assert not view.signature_page.patient_may_sign()  # the question comes first

    driver.click(view.leave)
    driver.enter_pin("246813")
    assert window.mode == "injector"
    # shown first and prominently: a notice, the step, the note box with the focus
    assert "flagged 1 question" in window.notice.text()
    assert window.current_page() is window.risks_page
    card = window.risks_page.cards[asked.item.item_id]
    assert card.note.hasFocus() and card.property("role") == "card-flag"
    assert window.risks_page.questions_banner.isVisibleTo(window.risks_page)

    driver.sign("patient")  # signed on the staff screen: allowed, but not finalizable yet
    driver.sign("injector")
    missing = window.consent.missing(window.pack)
    assert [m.message for m in missing] == [
        "The patient has a question that needs the injector's note."]
    assert not window.finalize_button.isEnabled()

    note = "Explained that drooping is rare and wears off within weeks."
    driver.type_into(card.note, note)
    assert window.consent.questions[asked.item.item_id].injector_note == note
    # the note changed the document: the signatures are cleared, and staff are told why
    assert window.consent.signatures == {}
    assert "because the injector answered a question" in window.notice.text()


def test_idle_in_patient_mode_locks_the_screen_and_keeps_the_consult(window, driver, service,
                                                                     qtbot) -> None:
    ready_for_patient(driver)
    driver.hand_over()
    view = window.patient_view
    view.go_to("risks")
    first = next(iter(view.risks_page.cards.values()))
    driver.click(first.check)
    consent = window.consent
    window.idle.set_interval_ms(30)
    qtbot.waitUntil(window.pin_overlay.isVisible, timeout=3000)
    overlay = window.pin_overlay
    assert overlay.property("role") == "lock" and not overlay.cancel_button.isVisible()
    assert not window.screens.isEnabled()  # nothing behind the lock takes a click or a key
    qtbot.keyClick(overlay.entry.field, Qt.Key.Key_Escape)
    assert overlay.isVisible()  # the lock cannot be dismissed
    assert service.draft_path(consent).exists()
    [locked] = [e for e in events(service, "staff.locked") if e["details"]["mode"] == "patient"]
    assert locked["details"]["reason"] == "idle"

    driver.enter_pin("246813", "patient")
    assert not overlay.isVisible() and window.screens.isEnabled()
    assert window.mode == "patient" and window.consent is consent
    assert first.item.item_id in window.consent.acknowledgements
    assert view.current_page() is view.risks_page


def test_patient_mode_has_no_route_to_records_or_settings(window, driver, qtbot) -> None:
    ready_for_patient(driver)
    window.records_action.trigger()  # staff had the records open
    records = window.records_window
    assert records is not None and records.isVisible()
    driver.hand_over()
    assert not records.isVisible() and window.records_window is None
    qtbot.keyClick(window.patient_view.steps, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.records_window is None
    reachable = [w for w in window.findChildren(QWidget) if w.isVisible()
                 and w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isEnabled()]
    names = " ".join((w.accessibleName() or getattr(w, "text", lambda: "")()).lower()
                     for w in reachable)
    assert "settings" not in names and "record" not in names and "new consult" not in names
    assert all(window.patient_view.isAncestorOf(w) for w in reachable)
    boxes = [w for w in reachable if isinstance(w, QCheckBox)]
    assert not any("discussed" in b.text().lower() for b in boxes)
