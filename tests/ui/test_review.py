"""Review: the unsigned document, rendered off the window's thread, shown as pages."""

from __future__ import annotations

import time

from app.document.review import fingerprint


def wait_reviewed(qtbot, page) -> None:
    qtbot.waitUntil(page.is_reviewed, timeout=20000)


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
