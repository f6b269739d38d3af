"""The recovery code shown once to a new clinic: it waits for the confirmation."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.security.clinic_key import ClinicKey
from app.ui import WindowStartup
from app.ui.recovery_dialog import RecoveryCodeDialog


def test_the_dialog_shows_the_code_and_closes_only_once_confirmed(qtbot):
    code = ClinicKey.generate().recovery_code()
    dialog = RecoveryCodeDialog(code)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.code_label.text().split() == code.replace("-", " ").split()  # in two rows
    assert ClinicKey.from_recovery_code(dialog.code_label.text()).recovery_code() == code
    assert code in dialog.page_text()
    assert not dialog.done_button.isEnabled()
    dialog.reject()  # Escape before confirming: it stays
    assert dialog.isVisible()
    dialog.check.setChecked(True)
    with qtbot.waitSignal(dialog.confirmed):
        dialog.done_button.click()
    assert not dialog.isVisible()


def test_a_new_clinic_window_shows_its_code_once(qtbot, tmp_path):
    from app.runtime.service import open_service

    service = open_service(tmp_path / "data")
    startup = WindowStartup(lambda: service, None)
    startup.app = QApplication.instance()  # type: ignore[assignment]
    startup.bench = False
    try:
        startup.show_sign_in()
        qtbot.addWidget(startup.window)
        assert startup.attach_records()
        dialog = startup.recovery_dialog
        assert isinstance(dialog, RecoveryCodeDialog) and dialog.isVisible()
        assert dialog.code == service.new_recovery_code
        assert startup.attach_records()  # asked again (another sign-in): not shown twice
        assert startup.recovery_dialog is dialog
        dialog.check.setChecked(True)
        dialog.done_button.click()
    finally:
        for undo in startup._undo:
            undo()
        startup.window.close()
        service.close()
