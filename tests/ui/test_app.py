"""Starting the window through ``run_gui`` and closing it mid-consult."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from app.ui import ConsultWindow, run_gui


def test_run_gui_shows_the_window_and_returns_the_exit_code(qapp, service) -> None:
    titles: list[str] = []

    def look_then_quit() -> None:
        titles.extend(w.windowTitle() for w in qapp.topLevelWidgets()
                      if isinstance(w, ConsultWindow) and w.isVisible())
        qapp.exit(0)

    QTimer.singleShot(0, look_then_quit)
    assert run_gui(service) == 0
    assert titles == ["Glabella — Glabella Demo Clinic"]
    # the window is deleted before run_gui returns, not left to interpreter shutdown
    assert not any(isinstance(w, ConsultWindow) for w in qapp.topLevelWidgets())


def test_closing_mid_consult_keeps_a_draft(window, driver, service) -> None:
    driver.fill_patient()
    path = service.draft_path(window.consent)
    assert not path.exists()
    window.close()
    assert path.exists()
    assert "Zoë Ñúñez-Łukasz" in path.read_text(encoding="utf-8")


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
    window.sign_in_screen.entry.field.setText("2468")
    window.sign_in_screen.submit()
    assert window.consult_built and window.mode == "injector"
    assert window.screens.currentWidget() is window.consult_view
    assert window.consent.injector.display_name == "Dana Whitfield, RN"
    window.close()
