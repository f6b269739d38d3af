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
