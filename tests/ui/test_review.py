"""Review: the unsigned document, rendered off the window's thread, shown as pages."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt

from app.document.review import fingerprint


def wait_rendered(qtbot, page) -> None:
    qtbot.waitUntil(page.is_current, timeout=20000)


def read_through(qtbot, page) -> int:
    """Page Down until the view reaches the end, as a reader would; the presses it took."""
    view = page.pages
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
    top = view.current_page()
    qtbot.waitUntil(lambda: view.reading.reached[top] > 0)  # the first screen was seen
    presses = 0
    while view.verticalScrollBar().value() < view.verticalScrollBar().maximum():
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        presses += 1
        assert presses < 100
    qtbot.wait(10)
    return presses


def wait_reviewed(qtbot, page) -> None:
    wait_rendered(qtbot, page)
    read_through(qtbot, page)
    assert page.is_reviewed()


def test_review_shows_the_document_that_will_be_signed(window, driver, qtbot) -> None:
    driver.fill_patient()
    driver.choose_plan("product.dysport", ("area.glabellar", "area.forehead"))
    page = window.review_page
    assert window.steps.mark("review") == "optional"
    started = time.perf_counter()
    window.go_to("review")
    opened_in = time.perf_counter() - started
    assert opened_in < 0.25  # the step opens at once; the pages come when rendered
    wait_reviewed(qtbot, page)
    assert len(page.pages.pages) >= 2
    assert page.pages.pages[0].pixmap().width() > 400
    text = " ".join(page.pages.page_text().split())
    assert "Zoë Ñúñez-Łukasz" in text and "Draft: not finalized" in text
    assert "Forehead lines" in text and "off-label" in text
    assert page.pages.pages[0].accessibleName() == f"Page 1 of {len(page.pages.pages)}"
    assert window.steps.mark("review") == "complete"
    assert page.viewer.read_state.text() == "✓ Read to the end"
    # the statements of intent are beside the document
    intents = {role.intent for role in window.pack.signature_roles}
    shown = {lbl.text().strip("“”") for lbl in page.side.widget().findChildren(type(page.heading))}
    assert intents <= shown


def test_review_renders_again_after_a_change_and_leaves_signatures_out(window, driver, qtbot
                                                                       ) -> None:
    driver.fill_patient()
    driver.choose_plan()
    driver.sign("patient")
    before = fingerprint(window.consent, window.service.clinic)
    window.go_to("review")
    wait_reviewed(qtbot, window.review_page)
    # signing alone does not change the document under review
    assert fingerprint(window.consent, window.service.clinic) == before
    assert "patient" in window.consent.signatures
    text = window.review_page.pages.page_text()
    assert "Signed at" not in text

    window.go_to("plan")
    driver.type_into(window.plan_page.lot, "C1234A5")
    assert window.steps.mark("review") == "optional"  # what was reviewed is out of date
    window.go_to("review")
    wait_reviewed(qtbot, window.review_page)
    assert "C1234A5" in window.review_page.pages.page_text()


def test_go_to_signatures_from_review(window, driver, qtbot) -> None:
    window.go_to("review")
    driver.click(window.review_page.sign_button)
    assert window.current_page() is window.signature_page
    # each pad has its statement of intent right above it
    for role_id, panel in window.signature_page.panels.items():
        role = window.pack.role(role_id)
        texts = [w.text() for w in panel.findChildren(type(window.review_page.heading))]
        assert f"“{role.intent}”" in texts


def test_the_review_is_ticked_only_once_every_page_was_read(window, driver, qtbot) -> None:
    """Defect 8a: rendering the document ticked the step; reading it to the end does."""
    driver.fill_patient()
    driver.choose_plan("product.dysport", ("area.glabellar", "area.forehead"))
    page = window.review_page
    window.go_to("review")
    wait_rendered(qtbot, page)
    qtbot.wait(50)
    assert not page.is_reviewed() and window.steps.mark("review") == "optional"
    count = len(page.pages.pages)
    assert page.viewer.where.text() == f"Page 1 of {count}"
    assert "still to read" in page.viewer.read_state.text()
    # jumping to the last page with "Next page" skips what lies between: not read
    for _ in range(count - 1):
        driver.click(page.viewer.next_button)
    assert page.viewer.where.text() == f"Page {count} of {count}"
    assert window.steps.mark("review") == "optional"
    driver.click(page.viewer.fit_button)
    page.pages.verticalScrollBar().setValue(0)
    read_through(qtbot, page)
    assert window.steps.mark("review") == "complete"


def test_the_patient_reads_their_own_document_in_patient_mode(window, driver, qtbot) -> None:
    """The staff's reading does not tick the patient's step: each view counts its own."""
    driver.fill_patient()
    driver.choose_plan("product.dysport", ("area.glabellar",))
    window.go_to("review")
    wait_reviewed(qtbot, window.review_page)
    assert window.hand_to_patient()
    view = window.patient_view
    driver.type_into(view.gate.dob, "1988-04-17")
    view.gate.continue_button.click()
    view.go_to("review")
    wait_rendered(qtbot, view.review_page)
    qtbot.wait(50)
    assert view.steps.mark("review") == "optional"
    read_through(qtbot, view.review_page)
    assert view.steps.mark("review") == "complete"


def test_zoom_buttons_keys_and_larger_text(window, driver, qtbot) -> None:
    driver.fill_patient()
    driver.choose_plan()
    page = window.review_page
    window.go_to("review")
    wait_rendered(qtbot, page)
    viewer, view = page.viewer, page.pages
    fitted = view.pages[0].pixmap().width()
    driver.click(viewer.zoom_in_button)
    assert view.pages[0].pixmap().width() > fitted * 1.2
    assert view.horizontalScrollBar().maximum() > 0  # wider than the view: sideways too
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert abs(view.pages[0].pixmap().width() - fitted) <= 2
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.pages[0].pixmap().width() > fitted * 1.2
    assert not window.large_text_action.isChecked()  # the key zoomed, it did not restyle
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert abs(view.pages[0].pixmap().width() - fitted) <= 2
    # sharper images arrive from the background for a large zoom
    for _ in range(3):
        driver.click(viewer.zoom_in_button)
    qtbot.waitUntil(lambda: view.dpi > 150, timeout=20000)
    assert viewer.zoom_label.text() == f"{view.percent()} %"
    driver.click(viewer.fit_button)
    # Larger text: larger pages
    window.large_text_action.trigger()
    qtbot.waitUntil(lambda: view.pages[0].pixmap().width() > fitted * 1.1, timeout=5000)
    window.large_text_action.trigger()
    qtbot.waitUntil(lambda: abs(view.pages[0].pixmap().width() - fitted) <= 2, timeout=5000)
