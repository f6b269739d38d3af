"""The records window: search, history, register filters, and open / print / save / verify."""

from __future__ import annotations

import errno
import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from app.consult.consent import PlannedArea
from app.consult.demo import DEMO_INJECTOR, build_demo_consent, demo_strokes
from app.consult.patient import Injector, Patient
from app.consult.signature_image import strokes_to_png
from app.records.view_model import ConsentRow
from app.runtime.service import Glabella
from app.ui.records import RecordsWindow
from app.ui.records.consent_list import COLUMNS

TZ = timezone(timedelta(hours=1))
ZOE = Patient("Zoë Ñúñez-Łukasz", date(1988, 4, 17), "555-0199", "zoe@example.com")
ANA = Patient("Ana Núñez", date(1975, 9, 2))
HANAKO = Patient("山田 花子", date(1990, 1, 30))
ROSSI = Injector("Marco Rossi", "MD", "Dermatologist")


def finalize(service: Glabella, patient: Patient, when: datetime,
             product_id: str = "product.botox-cosmetic",
             injector: Injector = DEMO_INJECTOR) -> tuple[str, Patient]:
    """A demo consent for ``patient`` with ``product_id``, finalized at ``when``."""
    pack = service.pack
    service.clock = lambda: when
    consent = build_demo_consent(pack, service.clock, patient=patient, injector=injector)
    if product_id != pack.products[0].id:
        # changing the plan clears the signatures: acknowledge and sign again, as in the demo
        consent.set_plan(replace(consent.plan, product_id=product_id,
                                 areas=[PlannedArea("area.glabellar", 20.0)]))
        for item in consent.required_items(pack):
            consent.acknowledge(item, service.clock)
        for n, role in enumerate(r for r in pack.signature_roles if r.required):
            name = patient.full_name if role.id == "patient" else injector.display_name
            consent.sign(pack, role.id, name, strokes_to_png(demo_strokes(n)),
                         demo_strokes(n), service.clock)
    result = service.finalize(consent)
    assert consent.patient is not None
    return result.consent_id, consent.patient


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """Four consents, finalized once per module (certifying takes a while): Zoë twice
    (Botox in March, Dysport in May), Ana and Hanako once."""
    data = tmp_path_factory.mktemp("records") / "data"
    service = Glabella.open(data)
    try:
        zoe_march, zoe = finalize(service, ZOE, datetime(2026, 3, 10, 9, 30, tzinfo=TZ))
        zoe_may, _ = finalize(service, zoe, datetime(2026, 5, 20, 15, 0, tzinfo=TZ),
                              "product.dysport", ROSSI)
        ana, _ = finalize(service, ANA, datetime(2026, 4, 2, 11, 0, tzinfo=TZ))
        hanako, _ = finalize(service, HANAKO, datetime(2026, 6, 1, 10, 0, tzinfo=TZ),
                             "product.xeomin")
    finally:
        service.close()
    return data, {"zoe_march": zoe_march, "zoe_may": zoe_may, "ana": ana, "hanako": hanako,
                  "zoe_id": zoe.id}


@pytest.fixture
def service(built, tmp_path: Path) -> Iterator[Glabella]:
    """A copy of the built clinic for each test: tests write exports and audit events."""
    data = tmp_path / "data"
    shutil.copytree(built[0], data)
    opened = Glabella.open(data)
    yield opened
    opened.close()


@pytest.fixture
def clinic(built) -> dict[str, str]:
    return built[1]


@pytest.fixture
def records(qtbot, service: Glabella, clinic) -> RecordsWindow:
    win = RecordsWindow(service, actor=lambda: "Dana Whitfield, RN")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def search(qtbot, win: RecordsWindow, text: str) -> list[str]:
    """Type ``text`` into the box, wait for the debounced search, return the names listed."""
    win.search.box.clear()
    qtbot.keyClicks(win.search.box, text)
    qtbot.waitUntil(lambda: not win.search.timer.isActive(), timeout=2000)
    return [r.name for r in win.search.rows]


def listed(win: RecordsWindow) -> list[str]:
    return [r.id for r in win.consents.rows]


# -- search and history --------------------------------------------------------------------

def test_typing_nunez_finds_both_nunez_patients_only(qtbot, records):
    assert search(qtbot, records, "nunez") == ["Ana Núñez", "Zoë Ñúñez-Łukasz"]
    assert records.search.status.text() == "2 patients found"
    assert records.search.results.topLevelItem(1).text(0) == (
        "Zoë Ñúñez-Łukasz\nborn 1988-04-17 · 2 consents")


def test_results_wait_for_a_pause_in_typing(qtbot, records):
    qtbot.keyClicks(records.search.box, "nun")
    assert records.search.timer.isActive() and records.search.rows == []
    qtbot.waitUntil(lambda: len(records.search.rows) == 2, timeout=2000)


def test_a_date_of_birth_finds_that_patient_and_shows_their_history(qtbot, records, clinic):
    assert search(qtbot, records, "1988-04-17") == ["Zoë Ñúñez-Łukasz"]
    # a single match is chosen at once: their consents, newest first
    assert records.patient is not None and records.patient.id == clinic["zoe_id"]
    assert listed(records) == [clinic["zoe_may"], clinic["zoe_march"]]
    assert records.heading.text() == "History of Zoë Ñúñez-Łukasz — 2 consents"
    assert records.consents.tree.isColumnHidden(1)  # the patient column: it is one patient


def test_choosing_a_patient_shows_their_consents_with_what_was_done(qtbot, records, clinic):
    search(qtbot, records, "nunez")
    tree = records.search.results
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=tree.visualItemRect(tree.topLevelItem(1)).center())
    assert listed(records) == [clinic["zoe_may"], clinic["zoe_march"]]
    item = records.consents.tree.topLevelItem(0)
    columns = {header: item.text(i) for i, (header, _a, _w) in enumerate(COLUMNS)}
    assert columns["Finalized"] == "2026-05-20 15:00"
    assert columns["Product"] == "Dysport"
    assert columns["Areas"] == "Glabellar lines"
    assert columns["Injector"] == "Marco Rossi, MD"
    assert columns["Status"] == "Signed"
    assert columns["Record"] == clinic["zoe_may"][:8]
    assert item.toolTip(0) == "2026-05-20 15:00 UTC+01:00"


def test_no_match_says_so_plainly(qtbot, records):
    assert search(qtbot, records, "xyz") == []
    assert records.search.status.text() == "No patient matches 'xyz'."
    assert records.search.results.topLevelItemCount() == 0


def test_an_ambiguous_date_is_refused_with_how_to_type_it(qtbot, records):
    search(qtbot, records, "04/05/1988")
    assert "YYYY-MM-DD" in records.search.status.text()


def test_keyboard_enter_chooses_and_opens(qtbot, records, clinic):
    search(qtbot, records, "ana")
    qtbot.keyClick(records.search.box, Qt.Key.Key_Return)
    assert records.consents.tree.hasFocus()
    qtbot.keyClick(records.consents.tree, Qt.Key.Key_Return)
    assert list(records.consent_actions.viewers) == [clinic["ana"]]  # in Glabella's viewer


def test_clearing_the_search_returns_to_the_register(qtbot, records, clinic):
    search(qtbot, records, "ana")
    assert listed(records) == [clinic["ana"]]
    search(qtbot, records, "")
    assert records.patient is None
    assert len(listed(records)) == 4
    assert records.heading.text() == "Register: all consents — 4 consents"


def test_an_empty_clinic_says_so_and_offers_no_action(qtbot, tmp_path):
    empty = Glabella.open(tmp_path / "empty")
    try:
        win = RecordsWindow(empty)
        qtbot.addWidget(win)
        assert win.consents.empty.text() == "No consent has been finalized yet."
        assert win.heading.text() == "Register: all consents — 0 consents"
        assert not win.open_button.isEnabled() and not win.verify_button.isEnabled()
        assert win.verify_file_button.isEnabled()
    finally:
        empty.close()


# -- register and filters ------------------------------------------------------------------

def test_register_lists_every_consent_newest_first(records, clinic):
    assert listed(records) == [clinic["hanako"], clinic["zoe_may"], clinic["ana"],
                               clinic["zoe_march"]]
    assert not records.consents.tree.isColumnHidden(1)


def test_product_filter_narrows_the_register(records, clinic):
    combo = records.filters.product
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All products", "Botox Cosmetic", "Dysport", "Xeomin"]
    combo.setCurrentIndex(combo.findData("product.dysport"))
    assert listed(records) == [clinic["zoe_may"]]


def test_date_filter_narrows_the_register(records, clinic):
    records.filters.date_from.set_value(date(2026, 4, 1))
    records.filters.date_to.set_value(date(2026, 5, 31))
    assert listed(records) == [clinic["zoe_may"], clinic["ana"]]
    records.filters.clear_button.click()
    assert len(listed(records)) == 4


def test_injector_filter_and_an_empty_result(records, clinic):
    injector = records.filters.injector
    injector.setCurrentIndex(injector.findData("Marco Rossi"))
    assert listed(records) == [clinic["zoe_may"]]
    records.filters.product.setCurrentIndex(records.filters.product.findData("product.xeomin"))
    assert listed(records) == []
    assert records.consents.empty.text() == "No consent matches these filters."
    assert not records.open_button.isEnabled()


def test_from_after_to_is_explained(records):
    records.filters.date_from.set_value(date(2026, 6, 1))
    records.filters.date_to.set_value(date(2026, 3, 1))
    assert records.filter_error.text() == "The 'from' date is after the 'to' date."


def test_a_new_consent_appears_on_refresh(service, records):
    finalize(service, Patient("Li Wei", date(2000, 2, 2)), datetime(2026, 7, 1, tzinfo=TZ))
    assert len(listed(records)) == 4
    records.refresh()
    assert len(listed(records)) == 5


def test_amendment_columns_stay_hidden_until_a_row_has_them(records, clinic):
    tree = records.consents.tree
    assert tree.isColumnHidden(7) and tree.isColumnHidden(8)
    original = records.consents.rows[0]
    amendment = replace(original, id="f" * 36, short_id="ffffffff", kind="Amendment",
                        amends=original.id)
    records.consents.show_rows([amendment, original], with_patient=True, empty="")
    assert not tree.isColumnHidden(7) and not tree.isColumnHidden(8)
    assert tree.topLevelItemCount() == 1  # the amendment sits under what it amends
    child = tree.topLevelItem(0).child(0)
    assert child.data(0, Qt.ItemDataRole.UserRole) == amendment
    assert child.text(8) == original.short_id
    assert isinstance(child.data(0, Qt.ItemDataRole.UserRole), ConsentRow)


# -- actions -------------------------------------------------------------------------------

def events(service: Glabella, name: str) -> list[dict]:
    return [e for e in service.store.audit_events() if e["event"] == name]


def test_save_a_copy_writes_the_stored_pdf_byte_for_byte(records, service, clinic, tmp_path,
                                                          monkeypatch):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda *a, **k: str(tmp_path / "usb"))
    records.consents.select(clinic["ana"])
    records.save_button.click()
    saved = list((tmp_path / "usb").glob("*.pdf"))
    assert len(saved) == 1
    assert saved[0].read_bytes() == service.store.get_pdf(clinic["ana"])
    assert str(saved[0]) in records.statusBar().currentMessage()


def test_save_to_a_read_only_folder_says_why(records, tmp_path, monkeypatch, dialogs):
    # what the OS raises for a write-protected drive (root ignores chmod, so it is simulated)
    real_open = os.open

    def read_only(path: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        if Path(path).parent == tmp_path / "usb" and flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)
    monkeypatch.setattr(os, "open", read_only)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda *a, **k: str(tmp_path / "usb"))
    records.save_button.click()
    [(kind, title, text)] = dialogs.shown
    assert (kind, title) == ("critical", "Copy not saved")
    assert text.startswith("The copy could not be saved: the folder or file is read-only")
    assert "Traceback" not in text


def test_verify_a_stored_consent_reports_intact_and_known(records, service, clinic):
    records.consents.select(clinic["zoe_may"])
    records.verify_button.click()
    dialog = records.consent_actions.verify_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.banner.text() == "✓  Intact and known: this is the clinic's record, unchanged."
    assert dialog.banner.property("role") == "banner-success"
    assert f"Known record: {clinic['zoe_may']} for Zoë Ñúñez-Łukasz" in dialog.facts.text()
    assert "Certified by: Glabella Demo Clinic" in dialog.facts.text()
    # verify logs its own audit event, once
    [event] = events(service, "consent.verified")
    assert event["consent_id"] == clinic["zoe_may"]


def test_verify_a_tampered_file_reports_modified(records, service, clinic, tmp_path,
                                                 monkeypatch):
    pdf = bytearray(service.store.get_pdf(clinic["ana"]))
    pdf[len(pdf) // 3] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(pdf))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tampered), ""))
    records.verify_file_button.click()
    dialog = records.consent_actions.verify_dialog
    assert dialog.banner.text().startswith("✗  Modified")
    assert dialog.banner.property("role") == "banner-danger"
    assert "Known record: none" in dialog.facts.text()


def test_verify_a_file_that_is_not_a_pdf(records, tmp_path, monkeypatch, dialogs):
    note = tmp_path / "note.pdf"
    note.write_text("hello")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(note), ""))
    records.verify_file_button.click()
    assert dialogs.shown == [("warning", "Not verified", f"{note} is not a PDF file.")]


def test_print_sends_every_page_through_the_print_dialog(records, service, clinic, tmp_path,
                                                         monkeypatch):
    out = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    records.consents.select(clinic["hanako"])
    records.print_button.click()
    stored = len(PdfReader(io.BytesIO(service.store.get_pdf(clinic["hanako"]))).pages)
    assert out.is_file() and len(PdfReader(out).pages) == stored
    [event] = events(service, "consent.printed")
    assert (event["consent_id"], event["actor"]) == (clinic["hanako"], "Dana Whitfield, RN")
    assert event["details"] == {"pages": stored, "printer": str(out)}


def test_print_cancelled_prints_and_logs_nothing(records, service, monkeypatch):
    monkeypatch.setattr(QPrintDialog, "exec", lambda _d: QDialog.DialogCode.Rejected)
    records.print_button.click()
    assert events(service, "consent.printed") == []


def test_printed_pages_keep_the_certification_stamp(service, clinic):
    from app.ui.records.printing import page_images

    pdf = service.store.get_pdf(clinic["ana"])
    *_, (image, _size) = page_images(pdf, 40)
    # the stamp box sits above the footer of the last page: a widget PDFium only draws
    # with its form environment, so a plain render would leave this band blank
    band = [image.pixelColor(x, y).lightness() for y in range(int(image.height() * 0.86),
                                                              int(image.height() * 0.93))
            for x in range(0, image.width(), 4)]
    assert min(band) < 160


def test_readable_at_1366_by_768(records):
    records.resize(1366, 768)
    assert records.width() <= 1366 and records.height() <= 768
    for button in (records.open_button, records.print_button, records.save_button,
                   records.verify_button, records.verify_file_button):
        assert button.isVisible() and button.width() >= button.sizeHint().width()
        assert button.accessibleName()


def test_down_walks_from_the_box_into_the_results_and_closing_is_signalled(qtbot, records):
    search(qtbot, records, "nunez")
    qtbot.keyClick(records.search.box, Qt.Key.Key_Down)
    assert records.search.results.hasFocus()
    assert records.patient is not None and records.patient.name == "Ana Núñez"
    with qtbot.waitSignal(records.closed, timeout=1000):
        records.close()
