"""Patient mode in the consult window: handing the screen over, the date-of-birth check,
the lock over the patient's screen (when idle, or when the window is left), and handing
back to staff (with a PIN)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.consult.patient_rules import cleared_notice
from app.consult.session import FINALIZED, NOT_READY, HandOverRefused
from app.ui.focus_watch import FocusWatch

if TYPE_CHECKING:
    from app.clinic.staff import StaffMember
    from app.ui.main_window import ConsultWindow

DOB_LOCKED = ("Locked: the date of birth typed at hand-over did not match this consult's "
              "patient. The consult is kept: sign in to continue it.")
DOB_MISMATCH = ("The date of birth the patient entered does not match this consult's "
                "patient. Check the patient's details with them before handing the screen "
                "over again.")
LOCK_TEXT = {
    "focus_lost": "The screen was left: another window or the desktop was opened. ",
}


class PatientMode:
    """The consult ``window``'s screen turned to the patient, and back."""

    def __init__(self, window: ConsultWindow) -> None:
        self.w = window
        self._window_state = Qt.WindowState.WindowNoState  # the window's, before full screen
        self._cleared_seen: dict[str, str] = {}  # the clearing staff were last told about
        self.locked = False  # the opaque lock card is over the patient's screen
        self.focus_watch = FocusWatch(window, self.focus_lost)

    def hand_to_patient(self) -> bool:
        """Turn the screen to the patient: full screen, large type, this consult only."""
        if self.w.mode != "injector":
            return False
        try:
            self.w.session.enter_patient_mode()
        except HandOverRefused as refused:
            if refused.reason == FINALIZED:
                self.w.show_notice("This consult is finalized. Start a new consult first.", "info")
            elif refused.reason == NOT_READY and refused.missing:
                first = refused.missing[0]
                lines = "\n".join(f"•  {m.message}" for m in refused.missing)
                self.w.show_notice("Before handing the screen to the patient, finish the "
                                   f"patient's details and the treatment plan:\n{lines}")
                self.w.go_to_item(first.step, first.item_id)
            else:
                self.w.show_notice("Enter the patient's name and date of birth first: at "
                                   "hand-over the patient confirms their date of birth.")
                self.w.go_to("patient", focus=True)
            return False
        self.w.hide_notice()
        self._window_state = self.w.windowState()
        self.w.paint_mode()
        self.w.patient_view.start(self.w.consent)
        self.w.screens.setCurrentWidget(self.w.patient_view)
        self.w.showFullScreen()
        self.w.idle.start(self.w.session.idle_minutes("patient"))
        return True

    def dob_answered(self, answer: date | None) -> None:
        if self.w.session.check_dob(answer):
            self.w.patient_view.show_consult()
            return
        # the session's rule locked it: the sign-in screen, and the reason for staff after
        self.w.pin_overlay.hide()
        self.w.setWindowState(self._window_state)
        self.w.staff_label.setText("")
        self.w.show_notice(DOB_MISMATCH, "danger")
        self.w.go_to("patient")
        self.w.staff_access.show_sign_in(DOB_LOCKED)

    def ask_to_leave(self) -> None:
        self.w.staff_access.ask_pin(
            "Return to the staff view", "A member of staff enters their PIN.",
            "leave patient mode", lambda _a, member: self.end(member),
            actions=(("leave", "Return to staff view"),))

    def lock_screen(self, reason: str = "idle") -> None:
        """An opaque lock over the patient's screen (idle, or ``reason`` "focus_lost"); the
        consult is kept (and saved). Only a staff PIN takes it away."""
        if self.locked:
            return
        self.locked = True
        self.w.idle.stop()
        self.w.session.lock_patient_screen(reason)
        minutes = self.w.session.idle_minutes("patient")
        why = LOCK_TEXT.get(reason) or (
            f"Nobody has used it for {minutes} minute{'s' if minutes != 1 else ''}. ")
        self.w.staff_access.ask_pin(
            "This screen is locked",
            why + "The consult is kept. A member of staff enters their PIN to unlock it.",
            "unlock patient mode", self._unlocked,
            actions=(("patient", "Unlock for the patient"), ("staff", "Unlock to staff view")),
            cancellable=False, opaque=True)

    def focus_lost(self) -> None:
        """The window was left (another window, the desktop, minimised) in patient mode:
        the same lock as when idle, so nothing of the consult shows when it comes back."""
        if self.w.mode == "patient" and not self.locked:
            self.lock_screen("focus_lost")

    def _unlocked(self, action: str, member: StaffMember) -> None:
        self.locked = False
        if self.w.session.unlock(member, to_staff=action == "staff"):
            self._show_staff_view(member)
        else:
            self.w.idle.start(self.w.session.idle_minutes("patient"))

    def end(self, member: StaffMember | None = None) -> None:
        """Back to the injector's view (``member``: who entered their PIN)."""
        if self.w.session.leave_patient_mode(member):
            self._show_staff_view(member)

    def _show_staff_view(self, member: StaffMember | None) -> None:
        """Patient mode has ended: the injector's view again, the patient's questions first,
        and whatever a change cleared while the patient had the screen."""
        self.w.pin_overlay.hide()
        self.w.paint_mode()
        self.w.screens.setCurrentWidget(self.w.consult_view)
        self.w.setWindowState(self._window_state)
        self.w.idle.start(self.w.session.idle_minutes("injector"))
        notices = [self._newly_cleared()]  # before refresh() tells it on its own
        self.w.refresh()
        questions = self.w.risks_page.open_questions()
        if questions:
            count = len(questions)
            notices.append(
                f"⚑  The patient flagged {count} question{'s' if count != 1 else ''}. Go "
                f"through {'them' if count != 1 else 'it'} in person and note your "
                f"answer{'s' if count != 1 else ''} on “Risks & expectations”, then hand the "
                f"screen back: the patient reads your answer and signs after that.")
            self.w.go_to_item("risks", questions[0])
        elif member is not None:
            self.w.go_to("signatures", focus=True)
        if text := "\n".join(n for n in notices if n):
            self.w.show_notice(text)

    def tell_cleared(self) -> None:
        """After any change in the staff view: if it cleared signatures, staff are told
        whose and why (the patient reads it on their signature page). In patient mode it
        waits for the hand-back."""
        if self.w.mode == "injector" and (text := self._newly_cleared()):
            self.w.show_notice(text)

    def _newly_cleared(self) -> str:
        """The notice for signatures cleared since staff were last told ("" if none)."""
        consent = self.w.consent
        cleared = dict(consent.cleared)
        new = any(self._cleared_seen.get(role) != why for role, why in cleared.items())
        self._cleared_seen = cleared
        return cleared_notice(consent, self.w.pack) if new else ""

    def ask_to_close(self) -> None:
        """Closing from patient mode: the consult is kept, and a staff PIN closes the window.
        Over the lock card closing does nothing: a cancellable prompt would lift the lock."""
        self.w.session.keep_draft()
        if self.locked:
            return
        self.w.staff_access.ask_pin(
            "Close Glabella?", "The consult is kept as a draft. A member of staff enters their "
            "PIN to close.", "close the window", self._close_anyway,
            actions=(("close", "Close Glabella"),))

    def _close_anyway(self, _action: str, member: StaffMember) -> None:
        self.end(member)
        self.w.closing = True
        self.w.close()
