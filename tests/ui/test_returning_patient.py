"""A returning patient in the window: found as the name is typed, picked with Down and
Enter, the plan started as last time, screening asked again with last answers beside it,
and answered from the keyboard; a namesake typed as new is asked about first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from app.consult.consent import PlannedArea, TreatmentPlan
from app.consult.demo import DEMO_PATIENT, build_demo_consent
from app.runtime.service import Glabella
from tests.test_amendments import sign_all

STORED = replace(DEMO_PATIENT, id="patient-on-record")
LAST_AREAS = [PlannedArea("area.glabellar", 18.0), PlannedArea("area.lateral-canthal", 24.0)]


def earlier_visit(service: Glabella) -> str:
    """A consent finalized for the patient (4 Mar 2025, the window's clock), with one "yes"."""
    consent = build_demo_consent(service.pack, service.clock, STORED)
    consent.set_plan(TreatmentPlan("product.botox-cosmetic", LAST_AREAS, "OLD-LOT"))
    consent.answer(flag_id(service), "yes")
    sign_all(service, consent)
    return service.finalize(consent).consent_id


def flag_id(service: Glabella) -> str:
    return next(q.id for q in service.pack.screening if not q.is_hard_stop)


@pytest.fixture
def returning(service: Glabella) -> Glabella:
    earlier_visit(service)
    return service


def pick_by_keyboard(qtbot, window, typed: str = "nunez") -> None:
    page = window.patient_page
    window.go_to("patient")
    page.name.setFocus()
    qtbot.keyClicks(page.name, typed)
    qtbot.keyClick(page.name, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.suggestions
    qtbot.keyClick(page.suggestions, Qt.Key.Key_Return)


def test_typing_part_of_the_name_lists_the_patient_and_enter_picks_them(
        qtbot, window, returning) -> None:
    page = window.patient_page
    window.go_to("patient")
    page.name.setFocus()
    qtbot.keyClicks(page.name, "nu")
    assert page.suggestions.isVisible()
    assert page.suggestions.count() == 1
    assert page.suggestions.item(0).text().startswith("Zoë Ñúñez-Łukasz · born 1988-04-17 · "
                                                      "1 consent, last 2025-03-04")
    qtbot.keyClick(page.name, Qt.Key.Key_Down)
    qtbot.keyClick(page.suggestions, Qt.Key.Key_Return)
    patient = window.consent.patient
    assert patient == STORED  # same id, the details as on record
    assert (page.name.text(), page.dob.value(), page.phone.text(), page.email.text()) == \
        ("Zoë Ñúñez-Łukasz", date(1988, 4, 17), "555-0199", "zoe@example.com")
    assert not page.suggestions.isVisible() and not page.namesake.isVisible()


def test_a_date_of_birth_alone_lists_the_patient(qtbot, window, driver, returning) -> None:
    page = window.patient_page
    window.go_to("patient")
    driver.type_into(page.dob, "1988-04-17")
    assert page.suggestions.isVisible() and page.suggestions.count() == 1
    driver.qtbot.mouseClick(page.suggestions.viewport(), Qt.MouseButton.LeftButton,
                            pos=page.suggestions.visualItemRect(page.suggestions.item(0))
                            .center())
    assert window.consent.patient.id == STORED.id


def test_the_plan_starts_as_last_time_and_says_so(qtbot, window, driver, returning) -> None:
    pick_by_keyboard(qtbot, window)
    plan = window.consent.plan
    assert (plan.product_id, plan.areas, plan.lot_number) == \
        ("product.botox-cosmetic", LAST_AREAS, "")  # a new vial: its lot is typed again
    window.go_to("plan")
    page = window.plan_page
    assert page.product.currentData() == "product.botox-cosmetic"
    assert page.product_last_time.isVisible() and page.last_visit.isVisible()
    assert "Last visit: 4 Mar 2025" in page.last_visit.text()
    rows = {r.area.id: r for r in page.areas}
    assert rows["area.glabellar"].units.value() == 18.0
    marked = {a for a, r in rows.items() if r.as_last_time.isVisible()}
    assert marked == {"area.glabellar", "area.lateral-canthal"}
    # the injector changes what differs today: that area is no longer "as last time"
    rows["area.glabellar"].units.setFocus()
    rows["area.glabellar"].units.setValue(20.0)
    assert not rows["area.glabellar"].as_last_time.isVisible()
    assert rows["area.lateral-canthal"].as_last_time.isVisible()
    assert window.consent.plan.areas[0] == PlannedArea("area.glabellar", 20.0)


def test_a_plan_already_chosen_is_not_replaced(qtbot, window, driver, returning) -> None:
    driver.choose_plan(areas=("area.forehead",))
    pick_by_keyboard(qtbot, window)
    assert window.consent.plan.area_ids() == ["area.forehead"]


def test_screening_is_asked_again_with_last_answers_beside_it(
        qtbot, window, returning) -> None:
    pick_by_keyboard(qtbot, window)
    window.go_to("screening")
    page = window.screening_page
    assert window.consent.screening == {}  # never pre-answered
    assert all(c.answer() is None for c in page.cards.values())
    flag = flag_id(returning)
    assert page.cards[flag].last_time.text() == "Last visit (4 Mar 2025): Yes"
    others = [c for qid, c in page.cards.items() if qid != flag]
    assert all(c.last_time.isVisible() and c.last_time.text() == "Last visit (4 Mar 2025): No"
               for c in others)


def test_a_new_patient_has_no_last_answers_nor_marks(window, driver, returning) -> None:
    driver.fill_patient("Li Wei", "2000-02-02")
    window.go_to("screening")
    assert not any(c.last_time.isVisible() for c in window.screening_page.cards.values())
    driver.choose_plan()
    assert not window.plan_page.last_visit.isVisible()
    assert not any(r.as_last_time.isVisible() for r in window.plan_page.areas)


def test_screening_answered_from_the_keyboard_moves_to_the_next_question(
        qtbot, window, driver) -> None:
    driver.fill_patient()
    driver.click(window.next_button)
    page = window.screening_page
    cards = list(page.cards.values())
    assert QApplication.focusWidget() is cards[0].yes
    for card in cards:
        assert QApplication.focusWidget() is card.yes
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_N)
    assert all(window.consent.screening[c.question.id].answer == "no" for c in cards)
    assert QApplication.focusWidget() is cards[-1].no
    stop = next(c for c in cards if c.question.is_hard_stop)
    stop.yes.setFocus()
    qtbot.keyClick(stop.yes, Qt.Key.Key_Y)
    assert window.consent.screening[stop.question.id].answer == "yes"
    assert stop.stop_banner.isVisible()
    assert QApplication.focusWidget() is stop.override  # its reason comes next
    assert "Y answers yes, N answers no" in " ".join(
        w.text() for w in page.findChildren(type(page.progress)))


def test_keys_other_than_y_and_n_answer_nothing(qtbot, window, driver) -> None:
    driver.fill_patient()
    driver.click(window.next_button)
    first = next(iter(window.screening_page.cards.values()))
    qtbot.keyClick(first.yes, Qt.Key.Key_A)
    qtbot.keyClick(first.yes, Qt.Key.Key_1)
    assert window.consent.screening == {}
    assert QApplication.focusWidget() is first.yes


def test_a_namesake_typed_as_new_is_asked_about_first(window, driver, returning) -> None:
    page = window.patient_page
    driver.fill_patient("zoe nunez-lukasz", "1988-04-17")
    assert page.namesake.isVisible()
    assert page.namesake.text().startswith("Already on record with this name and date of birth")
    typed = window.consent.patient
    assert typed.id != STORED.id
    driver.click(page.namesake.use_existing)
    assert window.consent.patient == STORED
    assert not page.namesake.isVisible()
    assert window.consent.plan.areas == LAST_AREAS


def test_a_namesake_can_be_a_different_person(window, driver, returning) -> None:
    page = window.patient_page
    driver.fill_patient("Zoë Ñúñez-Łukasz", "1988-04-17")
    driver.click(page.namesake.create_new)
    assert not page.namesake.isVisible()
    assert window.consent.patient.id != STORED.id
    driver.type_into(page.phone, "555")  # not asked again for this consult
    assert not page.namesake.isVisible()


def test_leaving_without_answering_asks_in_a_dialog(window, driver, returning, dialogs) -> None:
    driver.fill_patient("Zoë Ñúñez-Łukasz", "1988-04-17")
    dialogs.answer = QMessageBox.StandardButton.Yes
    driver.click(window.next_button)
    assert [(kind, title) for kind, title, _ in dialogs.shown] == [
        ("question", "The same person?")]
    assert window.consent.patient.id == STORED.id


def test_leaving_and_saying_different_creates_a_new_patient(window, driver, returning,
                                                            dialogs) -> None:
    driver.fill_patient("Zoë Ñúñez-Łukasz", "1988-04-17")
    dialogs.answer = QMessageBox.StandardButton.No
    driver.click(window.next_button)
    assert window.consent.patient.id != STORED.id
    window.go_to("patient")
    driver.click(window.next_button)
    assert len(dialogs.shown) == 1  # asked once
