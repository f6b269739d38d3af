"""A whole consult driven through the window, and what happens when finalizing fails."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from db import StoreError
from tests.ui.conftest import wait_finalize


def complete_consult(driver) -> None:
    """Everything a real consult does, by typing, clicking and drawing."""
    driver.fill_patient()
    driver.answer_all("no")
    driver.choose_plan("product.botox-cosmetic", ("area.glabellar", "area.lateral-canthal"))
    faqs = driver.window.pack.faqs
    driver.open_faq(faqs[0].id)
    driver.open_faq(faqs[5].id)
    driver.tick_all()
    driver.sign("patient")
    driver.sign("injector")


def test_a_whole_consult_ends_on_done_with_a_stored_pdf(window, driver, service,
                                                        dialogs) -> None:
    complete_consult(driver)
    assert window.still_needed.heading.text().startswith("✓ Nothing is still needed")
    assert window.finalize_button.isEnabled()
    with driver.qtbot.waitSignal(window.finalized) as finalized:
        driver.click(window.finalize_button)
    assert dialogs.shown == []

    assert window.current_page() is window.done_page
    rows = service.store.list_consents()
    assert len(rows) == 1
    consent_id = finalized.args[0]
    assert rows[0]["id"] == consent_id == window.done_page.record_id.text()
    assert len(window.done_page.sha.text()) == 64
    assert len(service.store.faq_views(consent_id)) == 2

    pdf = service.store.get_pdf(consent_id)
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Zoë Ñúñez-Łukasz" in text

    # the injector is remembered for the next consult
    assert service.store.get_setting("injector.last_name") == "Dana Whitfield"
    assert service.store.get_setting("injector.last_credentials") == "RN"
    # finalized: pages are read-only, Finalize is off and says why
    assert not window.patient_page.body.isEnabled()
    assert not window.signature_page.panels["patient"].pad.isEnabled()
    assert not window.finalize_button.isEnabled()
    assert window.finalize_reason.text().startswith("Finalized")
    assert all(window.steps.mark(step) == "complete" for step in window.steps.step_ids)


def test_done_page_opens_and_saves_the_pdf(window, driver, service, tmp_path,
                                           monkeypatch) -> None:
    complete_consult(driver)
    driver.click(window.finalize_button)
    wait_finalize(driver.qtbot, window)
    driver.click(window.done_page.open_button)
    driver.click(window.done_page.open_button)  # opening again raises the same viewer
    [viewer] = window.done_page.consent_actions.viewers.values()
    driver.qtbot.waitUntil(lambda: len(viewer.viewer.view.pages) > 0, timeout=20000)
    assert viewer.pdf == service.store.get_pdf(window.done_page.result.consent_id)
    assert list(service.paths.exports.glob("*.pdf")) == []  # opening writes no file
    viewer.close()

    folder = tmp_path / "usb-stick"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    driver.click(window.done_page.save_button)
    saved = list(folder.glob("*.pdf"))
    assert len(saved) == 1 and str(saved[0]) in window.done_page.saved.text()

    driver.click(window.done_page.new_button)
    assert window.current_page() is window.patient_page
    assert window.consent.finalized_at is None and window.consent.patient is None
    assert window.patient_page.body.isEnabled()
    assert window.patient_page.injector_name.text() == "Dana Whitfield"
    assert not window.finalize_button.isEnabled()


def test_a_storage_error_keeps_the_consult_and_saves_a_draft(window, driver, service,
                                                             dialogs, monkeypatch) -> None:
    complete_consult(driver)

    def broken(_record: object) -> str:
        raise StoreError("The database is locked by another program.")

    monkeypatch.setattr(service.store, "finalize", broken)
    driver.click(window.finalize_button)
    wait_finalize(driver.qtbot, window)
    assert len(dialogs.shown) == 1
    kind, _title, text = dialogs.shown[0]
    assert kind == "critical"
    assert "The database is locked by another program." in text
    draft = service.draft_path(window.consent)
    assert draft.exists() and str(draft) in text
    assert window.consent.finalized_at is None
    assert window.current_page() is not window.done_page
    assert window.patient_page.body.isEnabled()
    assert window.finalize_button.isEnabled()  # fix the problem, then try again
    assert service.store.list_consents() == []


def test_finalizing_an_incomplete_consent_lists_what_is_missing(window, dialogs) -> None:
    assert window.finalize() is False
    kind, _title, text = dialogs.shown[0]
    assert kind == "warning"
    assert "Patient details are not complete." in text


@pytest.mark.parametrize("answer, started", [("yes", True), ("no", False)])
def test_new_consult_keeps_unfinished_work_as_a_draft(window, driver, service, dialogs,
                                                      answer, started) -> None:
    from PySide6.QtWidgets import QMessageBox

    driver.fill_patient()
    old = window.consent
    dialogs.answer = (QMessageBox.StandardButton.Yes if answer == "yes"
                      else QMessageBox.StandardButton.No)
    window.new_action.trigger()
    assert dialogs.shown[0][0] == "question"
    assert (window.consent is not old) == started
    assert service.draft_path(old).exists() == started


def test_done_page_saves_the_patients_copy_with_the_aftercare(window, driver, service,
                                                              tmp_path, monkeypatch) -> None:
    complete_consult(driver)
    driver.click(window.finalize_button)
    wait_finalize(driver.qtbot, window)
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(stick))
    driver.click(window.done_page.patient_save_button)
    names = sorted(p.name.split("-")[0] for p in stick.iterdir())
    assert names == ["aftercare", "consent"]
    [consent] = stick.glob("consent-*.pdf")
    assert service.verify_pdf(consent.read_bytes(), consent.name).ok
