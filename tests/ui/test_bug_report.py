"""An exception escaping a slot mid-consult: logged without what was typed, the consult kept
as a draft and still on screen, staff told where the log is; a known error is just said."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer

from app.runtime import bug_log
from app.ui import ConsultWindow, WindowStartup
from app.upkeep.backup import BackupError
from tests.ui.conftest import PATIENT_NAME


@pytest.fixture
def reporting(window: ConsultWindow, service) -> Iterator[WindowStartup]:
    """The bug report as run_gui installs it (WindowStartup.report_bugs) for ``window``."""
    startup = WindowStartup(lambda: service, None)
    startup.window = window
    startup.report_bugs()
    yield startup
    for undo in startup._undo:
        undo()
    bug_log.close_logs()


def _raise_from_a_slot(qtbot, window: ConsultWindow, exc: Exception) -> None:
    """A slot of the window's (a timer's, as any signal's) that raises, from the event loop."""
    called: list[bool] = []

    def broken() -> None:
        called.append(True)
        raise exc

    QTimer.singleShot(0, window, broken)
    qtbot.waitUntil(lambda: bool(called), timeout=5000)
    qtbot.wait(10)


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_mid_consult_is_logged_and_the_consult_kept(
        qtbot, window, driver, service, dialogs, reporting) -> None:
    driver.fill_patient()
    draft = service.draft_path(window.consent)
    assert not draft.exists()
    _raise_from_a_slot(qtbot, window, ValueError(f"cannot parse {PATIENT_NAME}"))
    log = service.paths.root / "logs" / "glabella.log"
    assert log.is_file()
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last):" in text and "in broken" in text
    assert "builtins.ValueError" in text
    assert PATIENT_NAME not in text and "Ñúñez" not in text
    assert draft.exists() and PATIENT_NAME.encode() not in draft.read_bytes()  # sealed
    assert service.drafts.load(draft).patient.full_name == PATIENT_NAME
    assert window.isVisible() and window.screens.currentWidget() is window.consult_view
    assert window.patient_page.name.text() == PATIENT_NAME
    [(kind, _title, message)] = dialogs.shown
    assert kind == "warning" and str(log) in message and "kept as a draft" in message


@pytest.mark.qt_no_exception_capture
def test_a_known_error_is_shown_with_its_message_and_not_logged(
        qtbot, window, driver, service, dialogs, reporting) -> None:
    driver.fill_patient()
    _raise_from_a_slot(qtbot, window, BackupError("The backup folder is full."))
    assert dialogs.shown == [("warning", "Glabella", "The backup folder is full.")]
    assert not (service.paths.root / "logs" / "glabella.log").exists()
    assert not service.draft_path(window.consent).exists()  # nothing to rescue


@pytest.mark.qt_no_exception_capture
def test_in_patient_mode_the_patient_sees_a_neutral_message(
        qtbot, window, driver, service, dialogs, reporting) -> None:
    driver.fill_patient()
    driver.choose_plan()  # a hand-over needs a plan
    driver.hand_over()
    assert window.mode == "patient"
    _raise_from_a_slot(qtbot, window, RuntimeError("bug"))
    [(_kind, _title, message)] = dialogs.shown
    assert "logs" not in message and PATIENT_NAME not in message
    assert "member of staff" in message
    assert (service.paths.root / "logs" / "glabella.log").is_file()
    window.end_patient_mode()
