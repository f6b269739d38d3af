"""Staff access to the consult window: signing in, locking (by hand and when idle), the PIN
prompts that lie over the whole window, and Settings (administrators only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.ui import style

if TYPE_CHECKING:
    from app.clinic.staff import StaffMember
    from app.ui.main_window import ConsultWindow
    from app.ui.pin_notice import ChangePinDialog

PinHandler = Callable[[str, "StaffMember"], object]  # (the action chosen, who entered a PIN)


class StaffAccess:
    """Who may use the consult ``window``, and when it locks."""

    def __init__(self, window: ConsultWindow) -> None:
        self.w = window
        self._on_pin: PinHandler | None = None
        self._pin_notice_wired = False
        self.change_pin_dialog: ChangePinDialog | None = None

    def show_sign_in(self, note: str = "") -> None:
        """The sign-in screen (or first-start set-up when nobody is on the staff list)."""
        self.w.idle.stop()
        self.w.paint_mode()
        if self.w.directory.is_empty():
            self.w.screens.setCurrentWidget(self.w.setup_screen)
            self.w.setup_screen.form.name.setFocus()
            return
        self.w.screens.setCurrentWidget(self.w.sign_in_screen)  # shown first: focus needs it
        directory = self.w.directory
        self.w.sign_in_screen.show_staff(self.w.service.clinic.name, directory.members(),
                                         directory.demo_hint(), self.w.last_staff_id, note)

    def sign_in(self, member: StaffMember) -> None:
        """``member`` proved their PIN: the consult (kept, or new) is theirs to run."""
        self.w.build_consult()
        self.w.session.sign_in(member)
        self._ask_for_stronger_pin(member if self.w.sign_in_screen.entry.asks_for_stronger
                                   else None)
        self.w.staff_label.setText(f"Signed in: {member.display_name}")
        self.w.patient_page.offer_injector(member.as_injector())
        self.w.paint_mode()
        self.w.screens.setCurrentWidget(self.w.consult_view)
        self.w.idle.start(self.w.session.idle_minutes("injector"))
        self.w.refresh()
        target = self.w.current_page().first_focus() or self.w.steps
        target.setFocus()

    def _ask_for_stronger_pin(self, member: StaffMember | None) -> None:
        """The notice for ``member``'s weak PIN, or (None) no notice."""
        notice = self.w.consult_view.pin_notice
        if not self._pin_notice_wired:
            notice.change_requested.connect(self.change_pin)
            self._pin_notice_wired = True
        if member is None:
            notice.setVisible(False)
        else:
            notice.ask(member)

    def change_pin(self) -> None:
        """The signed-in member chooses a stronger PIN; the notice goes once it is saved."""
        from app.ui.pin_notice import ChangePinDialog

        if self.w.staff is None:
            return
        dialog = ChangePinDialog(self.w.directory, self.w.staff, self.w)
        self.change_pin_dialog = dialog  # kept: a test or the next call reaches it
        dialog.accepted.connect(lambda: self.w.consult_view.pin_notice.setVisible(False))
        dialog.open()

    def lock(self, reason: str = "idle") -> None:
        """Back to the sign-in screen; the consult stays in memory and as a draft."""
        if not self.w.session.lock(reason):
            return
        self.w.staff_label.setText("")
        note = ("Locked after a while without use. " if reason == "idle" else "Locked. ")
        if self.w.session.unfinished():
            note += "The consult in progress is kept: sign in to continue it."
        self.show_sign_in(note)

    def idle_timed_out(self) -> None:
        if self.w.mode == "patient":
            self.w.lock_patient_screen()
        else:
            self.lock("idle")

    # -- PIN prompts ----------------------------------------------------------------------------

    def ask_pin(self, title: str, text: str, purpose: str, on_ok: PinHandler, *,
                actions: tuple[tuple[str, str], ...] = (("ok", "OK"),),
                cancellable: bool = True, admins_only: bool = False,
                opaque: bool = False) -> None:
        """Ask for a staff PIN over the whole window; ``on_ok(action, member)`` follows."""
        self._on_pin = on_ok
        style.apply(self.w.pin_overlay, self.w.patient_view.body_pt()
                    if self.w.mode == "patient" else style.BODY_PT + 2)
        self.w.pin_overlay.ask(title, text, purpose, actions=actions, cancellable=cancellable,
                               admins_only=admins_only, opaque=opaque)

    def pin_accepted(self, action: str, member: StaffMember) -> None:
        handler, self._on_pin = self._on_pin, None
        if handler is not None:
            handler(action, member)

    def pin_cancelled(self) -> None:
        self._on_pin = None

    # -- records and settings ---------------------------------------------------------------

    def open_records(self) -> None:
        """The records window, for staff: every stored consent, not just this consult's."""
        if self.w.mode != "injector":
            return
        if self.w.records_window is None:
            from app.ui.records import RecordsWindow

            records = RecordsWindow(self.w.service, self.w, actor=lambda: (
                self.w.staff.display_name if self.w.staff else None), injector=lambda: (
                self.w.staff.as_injector() if self.w.staff else None))
            records.amend_requested.connect(self.w.start_amendment)
            records.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            records.closed.connect(lambda: setattr(self.w, "records_window", None))
            self.w.records_window = records
        self.w.records_window.show()
        self.w.records_window.raise_()
        self.w.records_window.activateWindow()

    def open_settings(self) -> None:
        """Settings are for administrators: any active administrator's PIN opens them."""
        if self.w.mode != "injector":
            return
        self.ask_pin("Settings", "Settings are for administrators.", "open settings",
                     self._show_settings, actions=(("open", "Open Settings"),),
                     admins_only=True)

    def _show_settings(self, _action: str, admin: StaffMember) -> None:
        from app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.w.service, self.w.directory, admin, self.w)
        self.w.settings_dialog = dialog
        dialog.saved.connect(self._settings_saved)
        dialog.finished.connect(  # a review recorded there removes the notice
            lambda _result: self.w.review_notice.update_for(self.w.service,
                                                            self.w.mode == "injector"))
        dialog.open()

    def _settings_saved(self) -> None:
        self.w.show_title(self.w.service.clinic.name)
        if self.w.mode == "injector":
            self.w.idle.start(self.w.session.idle_minutes("injector"))
        self.w.refresh()  # the clinic is printed: the document to review has changed
