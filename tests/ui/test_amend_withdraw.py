"""Amend… and Record withdrawal… in the records window, and the amendment in the consult."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from app.records.search import patient_history
from app.runtime.service import Glabella
from app.ui.records import RecordsWindow
from tests.conftest import FIXED_NOW
from tests.ui.conftest import Driver, wait_finalize


@pytest.fixture
def service(certified, tmp_path) -> Iterator[Glabella]:
    """A clinic holding one signed demo consent (overrides the empty one of conftest)."""
    opened = Glabella.open(certified.copy(tmp_path / "data").data_dir,
                           clock=lambda: FIXED_NOW + timedelta(days=1))
    yield opened
    opened.close()


@pytest.fixture
def records(qtbot, service) -> RecordsWindow:
    win = RecordsWindow(service, actor=lambda: "Dana Whitfield, RN")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def choose(win: RecordsWindow, consent_id: str) -> None:
    win.consents.select(consent_id)
    assert win.selected_id() == consent_id


def test_withdrawal_through_the_dialog_is_stored_and_closes_the_chain(
        qtbot, records, service, certified, drag, signature_scrawl, dialogs):
    choose(records, certified.consent_id)
    assert records.amend_button.isEnabled() and records.withdraw_button.isEnabled()
    qtbot.mouseClick(records.withdraw_button, Qt.MouseButton.LeftButton)
    dialog = records.withdrawal_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.patient.name.text() == "Zoë Ñúñez-Łukasz"

    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)  # nothing filled in
    assert dialog.error.text() == "Give the reason for the withdrawal."
    qtbot.keyClicks(dialog.reason, "Patient is pregnant and will not be treated.")
    drag(dialog.patient.pad, signature_scrawl())
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert "staff witness needs a signature" in dialog.error.text()
    assert service.store.successor(certified.consent_id) is None
    drag(dialog.witness.pad, signature_scrawl(60, 90))
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)

    assert dialog.result_ is not None and not dialog.isVisible()
    withdrawal_id = dialog.result_.consent_id
    link = service.store.consent_link(withdrawal_id)
    assert (link["kind"], link["amends_id"], link["reason"]) == (
        "withdrawal", certified.consent_id, "Patient is pregnant and will not be treated.")
    assert [s["role"] for s in service.store.signatures(withdrawal_id)] == \
        ["patient", "witness"]
    assert service.verify_pdf(service.store.get_pdf(withdrawal_id)).ok
    # the new record is chosen and listed under the consent it withdraws
    row = records.consents.current()
    assert row.id == withdrawal_id and row.kind == "Withdrawal"
    assert not records.amend_button.isEnabled() and not records.withdraw_button.isEnabled()
    parent = records.consents.tree.currentItem().parent()
    assert parent is not None and parent.text(5) == "Withdrawn"
    choose(records, certified.consent_id)
    assert not records.amend_button.isEnabled() and not records.withdraw_button.isEnabled()
    assert "withdrawn" in records.withdraw_button.toolTip()
    assert dialogs.shown == []


def test_amend_puts_a_prefilled_unsigned_consult_in_the_window(
        qtbot, window, service, certified, monkeypatch, dialogs):
    window.open_records()
    records = window.records_window
    choose(records, certified.consent_id)
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *_a, **_k: ("Lot number was mistyped.", True))
    qtbot.mouseClick(records.amend_button, Qt.MouseButton.LeftButton)

    consent = window.consent
    assert (consent.kind, consent.amends_id, consent.reason) == (
        "amendment", certified.consent_id, "Lot number was mistyped.")
    assert consent.signatures == {} and consent.id != certified.consent_id
    assert window.signature_page.panels["patient"].status.text() == "Not signed"
    assert window.patient_page.name.text() == "Zoë Ñúñez-Łukasz"
    assert consent.plan.product_id == "product.botox-cosmetic"
    assert window.notice_holder.isVisible()
    assert window.notice.text() == \
        f"Amending consent {certified.consent_id[:8]}: Lot number was mistyped."
    assert [m.step for m in consent.missing(service.pack)] == ["signatures", "signatures"]

    # signing and finalizing stores the amendment; the original becomes "amended"
    driver = Driver(qtbot, window)
    for role in ("patient", "injector"):
        driver.sign(role)
    assert window.finalize()
    wait_finalize(qtbot, window)
    history = {c.id: c for c in patient_history(service.store, consent.patient.id)}
    assert history[certified.consent_id].status == "amended"
    assert history[consent.id].amends == certified.consent_id
    assert [d for d in dialogs.shown if d[0] != "question"] == []


def test_amend_needs_a_reason(qtbot, records, certified, monkeypatch, dialogs):
    choose(records, certified.consent_id)
    requested: list[tuple[str, str]] = []
    records.amend_requested.connect(lambda *args: requested.append(args))
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a, **_k: ("  ", True))
    assert not records.amend()
    assert dialogs.shown[-1][1:] == ("Not amended", "Give the reason for the amendment.")
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a, **_k: ("Typo", True))
    assert records.amend()
    assert requested == [(certified.consent_id, "Typo")]
