"""Settings shows the clinic's paper and changes it; the document to sign follows."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER

from app.clinic.paper import PAPER_KEY


def test_settings_choose_the_paper_and_the_document_follows(window, driver, qtbot,
                                                            monkeypatch) -> None:
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")  # a region that prints on A4
    window.open_settings()
    driver.enter_pin("246813", "open")
    dialog = window.settings_dialog
    assert dialog.paper.currentData() == "A4"  # nothing chosen yet: the region's paper
    assert dialog.paper.isVisibleTo(dialog)
    dialog.paper.setCurrentIndex(dialog.paper.findData("Letter"))
    dialog.save_button.click()
    assert window.service.store.get_setting(PAPER_KEY) == "Letter"
    changed = [e["details"] for e in window.service.store.audit_events()
               if e["event"] == "settings.changed"]
    assert {"key": PAPER_KEY, "old": None, "new": "Letter"} in changed
    assert window.service.clinic.paper == "Letter"

    driver.fill_patient()
    window.go_to("review")
    qtbot.waitUntil(window.review_page.is_current, timeout=15000)
    pdf = PdfReader(BytesIO(window.preview.document.pdf))
    assert {round(float(p.mediabox[3])) for p in pdf.pages} == {round(LETTER[1])}
