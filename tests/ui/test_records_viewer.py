# ruff: noqa: F811 - the fixtures are shared with test_records_screen by import
"""Opening a stored consent in Glabella's own viewer (no copy in exports/), another viewer
from a private temporary file, and the patient's copy printed or saved with the aftercare."""

from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from app.document.pdf.aftercare import TITLE
from app.document.raster import rasterise
from tests.ui.test_records_screen import built, clinic, events, records, service  # noqa: F401


def opened(qtbot, records, consent_id):
    records.consents.select(consent_id)
    records.open_button.click()
    viewer = records.consent_actions.viewers[consent_id]
    qtbot.waitUntil(lambda: len(viewer.viewer.view.pages) > 0, timeout=20000)
    return viewer


def test_open_shows_the_pages_in_our_viewer_and_writes_no_file(qtbot, records, service,
                                                                clinic):
    """Defect 8e: every Open wrote another copy into exports/."""
    before = sorted(service.paths.exports.glob("*")) if service.paths.exports.exists() else []
    viewer = opened(qtbot, records, clinic["zoe_march"])
    assert viewer.isVisible() and "(read-only)" in viewer.windowTitle()
    text = " ".join(viewer.viewer.view.page_text().split())
    assert "Zoë Ñúñez-Łukasz" in text and "Draft: not finalized" not in text
    assert viewer.viewer.where.text().startswith("Page 1 of ")
    records.open_button.click()  # again: the same window, raised
    assert list(records.consent_actions.viewers) == [clinic["zoe_march"]]
    after = sorted(service.paths.exports.glob("*")) if service.paths.exports.exists() else []
    assert after == before
    assert [(e["consent_id"], e["actor"]) for e in events(service, "consent.viewed")] == [
        (clinic["zoe_march"], "Dana Whitfield, RN")]
    viewer.close()
    assert records.consent_actions.viewers == {}


def test_another_viewer_reads_a_private_file_removed_on_close(qtbot, records, service,
                                                             clinic, monkeypatch):
    seen: list[Path] = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        lambda url: seen.append(Path(url.toLocalFile())) or True)
    viewer = opened(qtbot, records, clinic["ana"])
    viewer.system_button.click()
    [path] = seen
    assert path.read_bytes() == service.store.get_pdf(clinic["ana"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert service.paths.exports not in path.parents
    viewer.close()
    assert not path.exists()
    # and whatever is left goes at exit
    viewer = opened(qtbot, records, clinic["ana"])
    viewer.system_button.click()
    records.consent_actions.private.clear()
    assert not seen[-1].exists() and not seen[-1].parent.exists()


def test_no_other_viewer_says_so_and_keeps_ours_open(qtbot, records, clinic, monkeypatch,
                                                      dialogs):
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    viewer = opened(qtbot, records, clinic["ana"])
    viewer.system_button.click()
    [(kind, title, _text)] = dialogs.shown
    assert (kind, title) == ("warning", "No PDF viewer") and viewer.isVisible()


def test_closing_the_records_closes_its_viewers(qtbot, records, clinic):
    viewer = opened(qtbot, records, clinic["ana"])
    records.close()
    assert not viewer.isVisible() and records.consent_actions.viewers == {}


def test_print_for_the_patient_prints_the_consent_then_the_aftercare(
        qtbot, records, service, clinic, tmp_path, monkeypatch):
    out = tmp_path / "patient.pdf"

    def accept(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    viewer = opened(qtbot, records, clinic["hanako"])
    viewer.patient_print_button.click()
    stored = len(PdfReader(io.BytesIO(service.store.get_pdf(clinic["hanako"]))).pages)
    printed = out.read_bytes()
    pages = rasterise(printed, dpi=20)
    assert len(pages) == stored + 1  # the consent, then the aftercare sheet on its own page
    [event] = events(service, "consent.printed")
    assert event["details"] == {"pages": stored + 1, "printer": str(out), "patient_copy": True}


def test_save_for_the_patient_writes_both_files_and_the_consent_verifies(
        qtbot, records, service, clinic, tmp_path, monkeypatch, dialogs):
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    viewer = opened(qtbot, records, clinic["zoe_may"])
    viewer.patient_save_button.click()
    aftercare, consent = sorted(usb.iterdir())  # "aftercare-…" sorts before "consent-…"
    assert consent.read_bytes() == service.store.get_pdf(clinic["zoe_may"])
    assert service.verify_pdf(consent.read_bytes(), consent.name).ok
    assert TITLE in " ".join(p.text for p in rasterise(aftercare.read_bytes(), dpi=20))
    [(kind, title, text)] = dialogs.shown
    assert (kind, title) == ("information", "Saved for the patient")
    assert consent.name in text and aftercare.name in text
    [event] = events(service, "consent.exported")
    assert event["details"]["patient_copy"] is True


def test_a_full_stick_says_so_and_leaves_nothing_half_written(qtbot, records, clinic,
                                                              tmp_path, monkeypatch,
                                                              dialogs):
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    viewer = opened(qtbot, records, clinic["ana"])

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    viewer.patient_save_button.click()
    [(kind, title, text)] = dialogs.shown
    assert (kind, title) == ("warning", "Copy not saved")
    assert "the disk is full" in text and "Nothing was lost" in text
    assert list(usb.iterdir()) == []
