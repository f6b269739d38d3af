"""Each step page as a user meets it: messages, hard stops, off-label, signatures."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.signature_pad import SignaturePad


def test_finalize_is_disabled_with_a_visible_reason_at_start(window) -> None:
    assert window.windowTitle() == "Glabella Demo Clinic — Glabella"
    assert not window.finalize_button.isEnabled()
    assert window.finalize_reason.isVisible()
    assert "still needed" in window.finalize_reason.text()
    needed = window.still_needed
    assert needed.heading.isVisible() and needed.heading.text().startswith("Still needed (")
    assert needed.links[0].isVisible() and needed.links[0].text()
    marks = {step: window.steps.mark(step) for step in window.steps.step_ids}
    assert marks["patient"] == "missing" and marks["signatures"] == "missing"
    assert marks["faq"] == "optional"


def test_clicking_a_still_needed_item_goes_to_its_step(window, driver) -> None:
    driver.fill_patient()
    assert window.still_needed.missing[0].step == "screening"
    driver.qtbot.mouseClick(window.still_needed.links[0], Qt.MouseButton.LeftButton)
    assert window.current_page() is window.screening_page


def test_every_step_is_reachable_from_the_list(window) -> None:
    for row, page in enumerate(window.pages):
        window.steps.setCurrentRow(row)
        assert window.current_page() is page
    window.go_to_index(2)
    window.back_button.click()
    assert window.current_index() == 1
    window.next_button.click()
    assert window.current_index() == 2


def test_patient_page_shows_problems_under_the_fields(window, driver) -> None:
    page = window.patient_page
    driver.type_into(page.email, "not-an-email")
    driver.click(window.next_button)  # leaving the page reveals every problem
    assert page.problem_for("full_name") == "Name is required."
    assert page.problem_for("date_of_birth") == "Date of birth is required."
    assert "does not look like an address" in page.problem_for("email")
    assert page.patient_fields["full_name"].error.isVisibleTo(page)
    assert window.consent.patient is None

    window.go_to("patient")
    driver.type_into(page.name, "1234")
    assert page.problem_for("full_name") == "Name must contain at least one letter."
    driver.type_into(page.dob, "1901-05-06")
    assert "more than 120 years ago" in page.problem_for("date_of_birth")
    page.name.clear()
    driver.type_into(page.name, "Ana Ruiz")
    page.dob.lineEdit().selectAll()
    driver.type_into(page.dob, "1990-02-28")
    page.email.clear()
    assert page.problem_for("full_name") == "" and page.problem_for("date_of_birth") == ""
    assert window.consent.patient is not None
    assert window.consent.patient.full_name == "Ana Ruiz"
    assert str(window.consent.patient.date_of_birth) == "1990-02-28"


def test_a_minor_needs_a_reason_to_proceed(window, driver) -> None:
    page = window.patient_page
    driver.fill_patient(name="Teen Patient", dob="2010-06-01")
    assert page.minor_banner.isVisibleTo(page)
    assert "Under 18" in page.minor_banner.text()
    assert any("under 18" in m.message for m in window.consent.missing(window.pack))
    driver.type_into(page.minor_reason, "Medical indication documented by GP")
    assert window.consent.minor_override_reason == "Medical indication documented by GP"
    assert not any("under 18" in m.message for m in window.consent.missing(window.pack))


def test_injector_is_prefilled_from_the_last_one_used(qtbot, service) -> None:
    from app.ui import ConsultWindow

    service.store.set_setting("injector.last_name", "Dr. Ana Ruiz")
    service.store.set_setting("injector.last_credentials", "MD")
    service.store.set_setting("injector.last_role", "Physician")
    win = ConsultWindow(service)
    qtbot.addWidget(win)
    assert win.patient_page.injector_name.text() == "Dr. Ana Ruiz"
    assert win.consent.injector is not None and win.consent.injector.credentials == "MD"


def test_hard_stop_needs_an_override_before_finalizing(window, driver, monkeypatch) -> None:
    driver.fill_patient()
    driver.answer_all("no")
    card = window.screening_page.cards["screen.pregnancy"]
    driver.click(card.yes)
    assert card.stop_banner.isVisibleTo(card)
    assert card.override_field.error_text()
    stops = [m for m in window.consent.missing(window.pack) if m.item_id == "screen.pregnancy"]
    assert stops and "Hard stop" in stops[0].message

    # everything else complete: Finalize is still refused because of the hard stop alone
    driver.choose_plan()
    driver.tick_all()
    driver.sign("patient")
    driver.sign("injector")
    assert [m.item_id for m in window.consent.missing(window.pack)] == ["screen.pregnancy"]
    assert not window.finalize_button.isEnabled()

    driver.type_into(card.override, "Not pregnant: negative test today")
    assert window.consent.screening["screen.pregnancy"].override_reason
    assert card.override_field.error_text() == ""
    # the override changed the consent, so the patient must sign again
    assert window.consent.signatures == {}
    driver.sign("patient")
    driver.sign("injector")
    assert window.consent.missing(window.pack) == []
    assert window.finalize_button.isEnabled()


def test_a_flag_shows_an_amber_marker(window, driver) -> None:
    card = window.screening_page.cards["screen.bleeding"]
    driver.click(card.yes)
    assert card.flag_marker.isVisibleTo(card)
    assert not card.stop_banner.isVisibleTo(card)
    assert card.property("role") == "card-flag"


def test_off_label_area_adds_the_disclosure_to_the_checklist(window, driver) -> None:
    page = window.risks_page
    disclosure = window.pack.off_label.id
    driver.choose_plan("product.dysport", ("area.glabellar",))
    assert disclosure not in page.cards
    rows = {row.area.id: row for row in window.plan_page.areas}
    assert rows["area.glabellar"].status.text() == "approved"
    assert rows["area.forehead"].status.text() == "off-label"
    driver.click(rows["area.forehead"].check)
    assert window.plan_page.off_label.isVisibleTo(window.plan_page)
    window.go_to("risks")
    assert disclosure in page.cards
    assert page.cards[disclosure].isVisible()
    # Botox is approved for the forehead: changing the product removes the disclosure
    window.go_to("plan")
    window.plan_page.product.setCurrentIndex(
        window.plan_page.product.findData("product.botox-cosmetic"))
    assert rows["area.forehead"].status.text() == "approved"
    assert disclosure not in page.cards


def test_units_and_vial_details_reach_the_plan(window, driver) -> None:
    driver.choose_plan("product.botox-cosmetic", ("area.glabellar",))
    page = window.plan_page
    row = page.areas[0]
    row.units.setValue(20)
    driver.type_into(page.lot, "C1234A5")
    driver.type_into(page.expiry, "2027-06-30")
    plan = window.consent.plan
    assert plan.areas[0].units == 20.0
    assert plan.lot_number == "C1234A5"
    assert str(plan.expiry) == "2027-06-30"


def test_faq_opening_records_views_and_discussed(window, driver) -> None:
    faqs = window.pack.faqs
    driver.open_faq(faqs[0].id)
    page = window.faq_page
    assert faqs[0].id in window.consent.faq_views
    assert page.question.text() == faqs[0].question
    driver.click(page.discussed)
    assert window.consent.faq_views[faqs[0].id].discussed_in_person
    assert window.steps.mark("faq") == "complete"
    driver.type_into(page.search, "zzzz-no-such-words")
    assert all(item.isHidden() for item in page.items.values())
    page.search.clear()
    assert not any(item.isHidden() for item in page.items.values())


def test_checklist_has_one_box_per_item_and_no_tick_all(window, driver) -> None:
    page = window.risks_page
    required = window.consent.required_items(window.pack)
    assert list(page.cards) == [i.item_id for i in required]
    buttons = [b.text().lower() for b in page.findChildren(type(window.finalize_button))]
    assert not any("all" in text for text in buttons)
    first = next(iter(page.cards.values()))
    driver.click(first.check)
    assert first.item.item_id in window.consent.acknowledgements
    driver.click(first.check)
    assert first.item.item_id not in window.consent.acknowledgements


def test_a_tick_is_refused_as_a_signature(window, driver) -> None:
    driver.fill_patient()
    panel = window.signature_page.panels["patient"]
    driver.sign("patient", [(100, 100), (108, 110), (125, 85)])
    assert "patient" not in window.consent.signatures
    assert "more than a dot or a tick" in panel.message.text()
    assert panel.message.isVisibleTo(panel)
    driver.click(panel.undo)
    assert panel.pad.strokes() == []


def test_names_are_prefilled_and_signing_shows_the_status(window, driver) -> None:
    driver.fill_patient()
    panels = window.signature_page.panels
    assert panels["patient"].name.text() == "Zoë Ñúñez-Łukasz"
    assert panels["injector"].name.text() == "Dana Whitfield, RN"
    assert panels["witness"].name.text() == ""
    driver.sign("patient")
    signature = window.consent.signatures["patient"]
    assert signature.printed_name == "Zoë Ñúñez-Łukasz"
    assert signature.png.startswith(b"\x89PNG")
    assert signature.strokes == panels["patient"].pad.strokes()
    assert "Signed" in panels["patient"].status.text()
    assert isinstance(panels["patient"].pad, SignaturePad)


def test_changing_an_answer_after_signing_clears_the_signature(window, driver) -> None:
    driver.fill_patient()
    driver.answer_all("no")
    driver.sign("patient")
    panel = window.signature_page.panels["patient"]
    assert "patient" in window.consent.signatures
    assert window.steps.mark("signatures") == "missing"  # the injector has not signed

    driver.click(window.screening_page.cards["screen.heart"].yes)
    assert window.consent.signatures == {}
    window.go_to("signatures")
    assert panel.status.text().startswith("Not signed")
    assert panel.pad.strokes() == []
    assert "cleared" in panel.message.text()


def test_new_ink_after_accepting_withdraws_the_signature(window, driver, signature_scrawl
                                                         ) -> None:
    driver.fill_patient()
    driver.sign("patient")
    panel = window.signature_page.panels["patient"]
    driver.drag(panel.pad, signature_scrawl(y0=140, width=100))
    assert "patient" not in window.consent.signatures
    assert len(panel.pad.strokes()) == 2  # the ink stays for the user to accept again
