"""Patient mode's order, through the window (issue 13, defects 2-4): no hand-over without a
plan, no patient signature before every item is ticked by the patient and every question
answered, a question answered before signing, and who ticked each item shown and printed."""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.consult.patient_rules import QUESTION_FIRST
from app.ui.steps.risks_step import SIGNED_LOCK, STAFF_TICK
from tests.ui.conftest import scrawl, wait_finalize
from tests.ui.test_patient_mode import ready_for_patient


def pdf_text(service, consent_id: str) -> str:
    pdf = service.store.get_pdf(consent_id)
    return " ".join(" ".join((p.extract_text() or "").split())
                    for p in PdfReader(io.BytesIO(pdf)).pages)


def patient_signs(driver) -> None:
    page = driver.window.patient_view.signature_page
    driver.window.patient_view.go_to("signatures")
    panel = page.panels["patient"]
    page.reveal(panel.pad)
    driver.drag(panel.pad, scrawl())
    driver.click(panel.accept)


def patient_ticks_all(driver) -> None:
    view = driver.window.patient_view
    view.go_to("risks")
    for card in view.risks_page.cards.values():
        if not card.check.isChecked():
            view.risks_page.reveal(card)
            driver.click(card.check)


def test_hand_over_needs_a_complete_plan_and_goes_to_what_is_missing(window, driver) -> None:
    driver.fill_patient()
    assert not window.hand_to_patient()
    assert window.mode == "injector"
    assert "No product chosen in the treatment plan." in window.notice.text()
    assert "No treatment area chosen." in window.notice.text()
    assert window.current_page() is window.plan_page


def test_the_patient_cannot_sign_by_jumping_to_sign(window, driver) -> None:
    ready_for_patient(driver)
    driver.hand_over()
    view = window.patient_view
    page = view.signature_page
    view.go_to("review")
    driver.click(view.review_page.sign_button)  # "Continue to sign" does not bypass it
    assert view.current_page() is page
    panel = page.panels["patient"]
    assert page.gate.isVisibleTo(page) and not panel.isVisibleTo(page)
    assert not panel.pad.isEnabled() and not page.accept("patient")
    assert "patient" not in window.consent.signatures
    # it says plainly what is left, each with a way to go there
    links = page.gate.links.findChildren(type(view.leave))
    assert len(links) == len(window.consent.required_items(window.pack))
    driver.click(links[2])
    assert view.current_page() is view.risks_page
    third = list(view.risks_page.cards.values())[2]
    assert third.check.hasFocus()
    patient_ticks_all(driver)
    assert not page.gate.isVisibleTo(page)
    patient_signs(driver)
    assert "patient" in window.consent.signatures and page.thanks.isVisibleTo(view)


def test_items_staff_read_aloud_are_ticked_again_by_the_patient(window, driver, service
                                                                ) -> None:
    ready_for_patient(driver)
    driver.tick_all()  # the staff view: staff read each item aloud with the patient
    card = next(iter(window.risks_page.cards.values()))
    assert card.check.text() == STAFF_TICK and card.check.isChecked()
    assert card.who.text().startswith("Read aloud by Dana Whitfield, RN, with the patient at")
    driver.hand_over()
    view = window.patient_view
    mine = view.risks_page.cards[card.item.item_id]
    view.go_to("risks")
    assert not mine.check.isChecked()  # not theirs: the patient ticks it themselves
    assert "read this aloud with you" in mine.who.text()
    view.go_to("signatures")
    assert view.signature_page.gate.isVisibleTo(view)
    patient_ticks_all(driver)
    patient_signs(driver)
    driver.click(view.leave)
    driver.enter_pin("246813")
    driver.sign("injector")
    driver.click(window.finalize_button)
    wait_finalize(driver.qtbot, window)
    consent_id = window.result.consent_id
    rows = service.store.acknowledgements(consent_id)
    assert {r["acknowledged_by"] for r in rows} == {"patient"}
    text = pdf_text(service, consent_id)
    assert "✓ Ticked by the patient on screen at 4 Mar 2025, 10:30" in text
    assert "Read aloud by" not in text


def test_a_question_is_answered_before_the_patient_signs_once(window, driver, service
                                                              ) -> None:
    ready_for_patient(driver)
    driver.hand_over()
    view = window.patient_view
    patient_ticks_all(driver)
    asked = list(view.risks_page.cards.values())[3]
    driver.click(asked.ask)
    view.go_to("signatures")
    gate = view.signature_page.gate
    assert gate.questions.isVisibleTo(view) and gate.questions.text() == QUESTION_FIRST
    assert not view.signature_page.panels["patient"].isVisibleTo(view)
    driver.click(gate.hand_back_button)  # the way back to staff, with the PIN
    driver.enter_pin("246813")
    assert window.mode == "injector" and window.current_page() is window.risks_page
    assert "flagged 1 question" in window.notice.text()
    card = window.risks_page.cards[asked.item.item_id]
    assert card.note.hasFocus()
    note = "Explained that drooping is rare and wears off within weeks."
    driver.type_into(card.note, note)
    driver.hand_over()
    # the patient sees the answer beside that item, in their own view
    assert view.current_page() is view.risks_page
    asked = view.risks_page.cards[asked.item.item_id]  # the hand-over laid the page out anew
    assert asked.question.isVisibleTo(view)
    assert asked.question.text() == f"Your injector's answer: {note}"
    patient_signs(driver)
    assert "patient" in window.consent.signatures
    # signed: their Risks page is read-only, so nothing there can clear the signature
    view.go_to("risks")
    assert view.risks_page.signed_lock.isVisibleTo(view)
    assert view.risks_page.signed_lock.text() == SIGNED_LOCK
    assert not asked.check.isEnabled() and asked.ask.isHidden()
    driver.click(view.leave)
    driver.enter_pin("246813")
    driver.sign("injector")
    assert window.finalize_button.isEnabled()
    driver.click(window.finalize_button)
    wait_finalize(driver.qtbot, window)
    consent_id = window.result.consent_id
    text = pdf_text(service, consent_id)
    assert "drooping is rare" in text
    [row] = [a for a in service.store.acknowledgements(consent_id)
             if a["item_id"] == asked.item.item_id]
    assert row["note"] == note and row["acknowledged_by"] == "patient"


def test_a_cleared_signature_is_explained_to_staff_and_to_the_patient(window, driver
                                                                       ) -> None:
    ready_for_patient(driver)
    driver.hand_over()
    view = window.patient_view
    patient_ticks_all(driver)
    patient_signs(driver)
    driver.click(view.leave)
    driver.enter_pin("246813")
    first = next(iter(window.risks_page.cards.values()))
    driver.click(first.check)  # staff untick an item the patient signed for
    assert "patient" not in window.consent.signatures
    assert window.notice.isVisible()
    assert window.notice.text().startswith(
        "Signature cleared: Patient, because an item was unticked.")
    staff_panel = window.signature_page.panels["patient"]
    assert "cleared because an item was unticked" in staff_panel.message.text()
    driver.click(first.check)
    driver.hand_over()
    patient_ticks_all(driver)  # the re-tick was staff's: the patient ticks it again
    view.go_to("signatures")
    told = view.signature_page.cleared_banner
    assert told.isVisibleTo(view)
    assert told.text().startswith("Your signature was cleared because an item was unticked "
                                  "after you signed.")
    patient_signs(driver)
    assert not told.isVisibleTo(view)
