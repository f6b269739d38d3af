"""Starting the window through ``run_gui`` and closing it mid-consult."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from app.cli.main import run_gui, run_gui_first
from app.runtime.first_screen import FirstScreen, read_first_screen
from app.runtime.service import Glabella, OpenError
from app.ui import ConsultWindow
from db.audit_chain import Origin, os_user
from tests.ui.conftest import ui_clock


def test_run_gui_shows_the_window_and_returns_the_exit_code(qapp, service) -> None:
    titles: list[tuple[str, bool]] = []

    def look_then_quit() -> None:
        titles.extend((w.windowTitle(), w.isMaximized()) for w in qapp.topLevelWidgets()
                      if isinstance(w, ConsultWindow) and w.isVisible())
        qapp.exit(0)

    QTimer.singleShot(0, look_then_quit)
    assert run_gui(service) == 0
    assert titles == [("Glabella Demo Clinic — Glabella", True)]  # opens maximised
    # what the window logs says it came from the window, and the OS account
    assert service.store.origin == Origin(os_user(), "window")
    service.log("consent.viewed")
    assert service.store.audit_events()[-1]["origin"]["via"] == "window"
    # the window is deleted before run_gui returns, not left to interpreter shutdown
    assert not any(isinstance(w, ConsultWindow) for w in qapp.topLevelWidgets())


def test_closing_mid_consult_keeps_a_draft(window, driver, service) -> None:
    driver.fill_patient()
    path = service.draft_path(window.consent)
    assert not path.exists()
    window.close()
    assert path.exists()
    assert "Zoë Ñúñez-Łukasz".encode() not in path.read_bytes()  # sealed with the clinic key
    assert service.drafts.load(path).patient.full_name == "Zoë Ñúñez-Łukasz"


def test_run_gui_opens_on_sign_in_and_builds_the_consult_once_drawn(qtbot, service) -> None:
    window = ConsultWindow(service, defer_consult=True)
    qtbot.addWidget(window)
    window.first_painted.connect(window.build_consult)  # as run_gui wires it
    assert not window.consult_built
    assert window.screens.currentWidget() is window.sign_in_screen
    assert window.screens.count() == 2  # set-up and sign-in only
    with qtbot.waitSignal(window.first_painted, timeout=5000):
        window.show()
    assert window.consult_built and window.screens.count() == 4
    # a PIN typed meanwhile goes to the PIN field, not to the hidden consult's first field
    assert window.focusWidget() is window.sign_in_screen.entry.field
    assert window.screens.currentWidget() is window.sign_in_screen  # still signing in
    assert not window.back_action.isEnabled()  # no consult navigation before sign-in
    window.close()


def test_signing_in_before_the_consult_is_built_builds_it(qtbot, service) -> None:
    window = ConsultWindow(service, defer_consult=True)
    qtbot.addWidget(window)
    window.sign_in_screen.entry.field.setText("246813")
    window.sign_in_screen.submit()
    assert window.consult_built and window.mode == "injector"
    assert window.screens.currentWidget() is window.consult_view
    assert window.consent.injector.display_name == "Dana Whitfield, RN"
    window.close()


# -- the every-day start: the sign-in screen before the records are open ----------------------

@pytest.fixture
def first_screen(tmp_path: Path) -> Iterator[FirstScreen]:
    Glabella.open(tmp_path / "data", clock=ui_clock).close()
    first = read_first_screen(tmp_path / "data")
    assert first is not None
    yield first
    first.lock.release()


def _open_with(first: FirstScreen, opened: list[Glabella]) -> Callable[[], Glabella]:
    def open_records() -> Glabella:
        opened.append(Glabella.open(first.lock.path.parent, clock=ui_clock, lock=first.lock))
        return opened[-1]
    return open_records


def test_the_first_screen_is_the_real_sign_in_screen(qtbot, first_screen) -> None:
    window = ConsultWindow(None, first_screen=first_screen)
    qtbot.addWidget(window)
    screen = window.sign_in_screen
    assert window.windowTitle() == "Glabella Demo Clinic — Glabella"
    assert window.screens.currentWidget() is screen and window.mode == "signed-out"
    assert screen.staff_list.item(0).text() == "Dana Whitfield, RN  ·  Nurse injector"
    assert screen.demo_hint.text() == "Demo clinic: PIN 246813 — change it in Settings"
    assert not window.attached and not window.consult_built
    assert not hasattr(window, "toolbar")  # no staff actions before the records are open
    window.close()  # closing before the records opened is fine, and saves nothing


def test_a_pin_typed_before_the_records_open_signs_in_once_they_are(qtbot, first_screen
                                                                    ) -> None:
    window = ConsultWindow(None, first_screen=first_screen)
    qtbot.addWidget(window)
    opened: list[Glabella] = []
    open_records = _open_with(first_screen, opened)
    window.service_needed.connect(lambda: window.attach(open_records()))
    qtbot.keyClicks(window.sign_in_screen.entry.field, "246813")
    qtbot.keyClick(window.sign_in_screen.entry.field, Qt.Key.Key_Return)
    # Enter asked for the records, they opened, and the same PIN signed in
    assert len(opened) == 1 and window.attached
    assert window.mode == "injector" and window.staff.display_name == "Dana Whitfield, RN"
    assert window.consent.injector.display_name == "Dana Whitfield, RN"
    events = [e["event"] for e in opened[0].store.audit_events()]
    assert events[-1] == "staff.signed_in"
    window.close()
    opened[0].close()


def test_without_records_a_pin_is_kept_not_checked(qtbot, first_screen) -> None:
    window = ConsultWindow(None, first_screen=first_screen)
    qtbot.addWidget(window)
    window.sign_in_screen.entry.field.setText("246813")
    assert window.sign_in_screen.submit() is None  # nobody attached the records
    assert window.mode == "signed-out"
    assert "still opening" in window.sign_in_screen.entry.message.text()
    window.close()


def test_run_gui_first_opens_the_records_after_the_first_paint(qapp, first_screen) -> None:
    opened: list[Glabella] = []
    seen: dict[str, bool] = {}
    looks: list[int] = []

    def look_then_quit() -> None:
        window = next(w for w in qapp.topLevelWidgets() if isinstance(w, ConsultWindow))
        looks.append(1)
        if not window.consult_built and len(looks) < 200:  # not yet: a slow machine
            QTimer.singleShot(50, look_then_quit)
            return
        seen.update(attached=window.attached, built=window.consult_built,
                    signing_in=window.mode == "signed-out")
        qapp.exit(0)

    QTimer.singleShot(0, look_then_quit)
    assert run_gui_first(first_screen, _open_with(first_screen, opened)) == 0
    assert seen == {"attached": True, "built": True, "signing_in": True}
    assert len(opened) == 1
    assert opened[0].store.origin == Origin(os_user(), "window")
    opened[0].close()


def test_records_that_fail_to_open_after_the_first_screen_are_explained(
        qapp, first_screen, dialogs) -> None:
    def broken() -> Glabella:
        raise OpenError("The clinic database is damaged (test).")

    assert run_gui_first(first_screen, broken) == 2
    assert dialogs.shown == [("critical", "Glabella cannot start",
                              "The clinic database is damaged (test).")]
    assert not any(isinstance(w, ConsultWindow) for w in qapp.topLevelWidgets())
