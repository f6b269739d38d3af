"""The consult window: steps on the left, the current step on the right, progress below.

The window is a stack of screens: first-start set-up, sign-in, the injector's consult and
patient mode. A PIN prompt (and, in patient mode, the idle lock) lies over all of them.
Every action only staff may take is in ``injector_actions``: they are switched off
whenever the injector's view is not the one shown. The window is a view: the consult's
state (who is signed in, the mode, the consent, the audit trail of it all) is a
``ConsultSession``; the toolbar, the consult view, its course, staff access and patient
mode are in their own modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent, QPaintEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from app.base.titles import window_title
from app.clinic.pin_lockout import PinChecker
from app.clinic.staff import StaffMember
from app.consult.progress import has_input
from app.consult.session import ConsultSession, Mode
from app.ui import style
from app.ui.consult_lifecycle import ConsultLifecycle
from app.ui.consult_toolbar import ConsultToolbar
from app.ui.idle import IdleWatch
from app.ui.overlay import PinOverlay
from app.ui.patient_mode import DOB_MISMATCH, PatientMode
from app.ui.sign_in import SetupScreen, SignInScreen
from app.ui.staff_access import StaffAccess

if TYPE_CHECKING:
    # The records and the consult model load with the service, after the first paint when
    # the window opens from a FirstScreen; the consult's pages load in build_consult.
    from app.consult.consent import Consent
    from app.document.finalize import FinalizedConsent
    from app.runtime.first_screen import FirstScreen
    from app.runtime.service import Glabella
    from app.ui.consult_view import ConsultView
    from app.ui.patient_view import PatientView
    from app.ui.settings_dialog import SettingsDialog
    from app.ui.steps import StepPage

__all__ = ["DOB_MISMATCH", "ConsultWindow", "has_input"]


class ConsultWindow(QMainWindow):
    """One consult at a time, from sign-in to a finalized, stored consent."""

    finalized = Signal(str)  # the stored consent's id
    first_painted = Signal()  # once, when the window has first been drawn
    service_needed = Signal()  # sign-in was asked for before ``attach``: attach now
    settings_dialog: SettingsDialog  # the last one opened; none before Settings is first

    def __init__(self, service: Glabella | None, parent: QWidget | None = None, *,
                 staff: StaffMember | None = None, defer_consult: bool = False,
                 first_screen: FirstScreen | None = None) -> None:
        """The window for ``service``; or, with ``service`` None, only the sign-in screen
        drawn from ``first_screen`` until ``attach`` brings the opened service."""
        super().__init__(parent)
        self.service: Glabella = None  # type: ignore[assignment]  # set by attach
        self.session: ConsultSession = None  # type: ignore[assignment]  # set by attach
        self.records_window: QMainWindow | None = None
        self.closing = False  # a staff PIN allowed closing from patient mode
        self.staff_access = StaffAccess(self)
        self.patient_mode = PatientMode(self)
        self.lifecycle = ConsultLifecycle(self)
        style.apply(self)
        self.setMinimumSize(*style.MIN_WINDOW)
        style.fit_to_screen(self)  # when not maximised (it opens maximised: show_sign_in)

        self._built = False
        self._painted = False

        self.sign_in_screen = SignInScreen()
        self.screens = QStackedWidget()
        self.screens.addWidget(self.sign_in_screen)
        self._holder = QWidget()
        holder_layout = QVBoxLayout(self._holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.screens)
        self.setCentralWidget(self._holder)
        self.idle = IdleWatch(self)
        self.sign_in_screen.signed_in.connect(self.sign_in)
        # only before attach: until then the sign-in screen has no PIN checker to ask
        self.sign_in_screen.sign_in_requested.connect(self.service_needed)
        self.idle.timed_out.connect(self.staff_access.idle_timed_out)
        if service is None:
            if first_screen is None:
                raise ValueError("a window without a service needs its first screen")
            # no toolbar yet: it is hidden until sign-in, and made in attach (10 ms sooner)
            self.setWindowTitle(window_title(first_screen.clinic_name))
            self.sign_in_screen.show_staff(first_screen.clinic_name, first_screen.members,
                                           first_screen.demo_hint)
            return
        self.attach(service)
        if staff is not None or not defer_consult:
            self.build_consult()
        if staff is not None:
            self.sign_in(staff)
        else:
            self.show_sign_in()

    # -- the session's state, as the window's --------------------------------------------------

    @property
    def mode(self) -> Mode:
        return self.session.mode if self.session is not None else "signed-out"

    @property
    def staff(self) -> StaffMember | None:
        return self.session.staff if self.session is not None else None

    @property
    def last_staff_id(self) -> str | None:
        return self.session.last_staff_id if self.session is not None else None

    @property
    def consent(self) -> Consent:
        return self.session.consent

    @property
    def result(self) -> FinalizedConsent | None:
        return self.session.result if self.session is not None else None

    @property
    def consult_built(self) -> bool:
        return self._built

    @property
    def attached(self) -> bool:
        return self.service is not None

    def attach(self, service: Glabella) -> None:
        """Everything that needs the opened records: PIN checks, set-up, the consult."""
        if self.attached:
            raise RuntimeError("this window already has its service")
        self.service = service
        self.pack = service.pack
        self.directory = service.staff
        self.session = ConsultSession(service, self.directory)
        self.pins = PinChecker(self.directory)  # one count of wrong PINs for every prompt
        self._build_toolbar()
        self.paint_mode()
        self.show_title(service.clinic.name)
        self.sign_in_screen.set_checker(self.pins)
        self.setup_screen = SetupScreen(self.directory)
        self.screens.insertWidget(0, self.setup_screen)
        self.pin_overlay = PinOverlay(self._holder, self.pins)
        self.setup_screen.created.connect(self.sign_in)
        self.pin_overlay.accepted.connect(self.staff_access.pin_accepted)
        self.pin_overlay.cancelled.connect(self.staff_access.pin_cancelled)
        if self.mode == "signed-out" and not self.directory.is_empty():
            # the first screen may have had no fingerprint to tell the demo PIN by
            self.sign_in_screen.set_demo_hint(self.directory.demo_hint())

    def build_consult(self) -> None:
        """The consult's pages for both modes: most of the window, built once.

        With ``defer_consult`` the window opens on the sign-in screen and ``run_gui`` calls
        this right after that screen is first painted, so Glabella is on screen sooner; a
        PIN typed meanwhile waits in Qt's queue, and signing in builds it if still needed.
        """
        if self._built:
            return
        self._built = True
        # imported here: about a fifth of the start-up time, not needed for signing in
        from app.ui.background import Background
        from app.ui.consult_view import ConsultView
        from app.ui.document_view import DocumentPreview
        from app.ui.patient_view import PatientView
        from app.ui.steps import STEP_PAGES, ReviewStep

        service = self.service
        # one render of the document to be signed, shared by both modes' review pages
        self.preview = DocumentPreview(service, self)
        self.work = Background(self)  # finalize's render and certification
        pages: list[StepPage] = [
            page_class(service, preview=self.preview) if page_class is ReviewStep
            else page_class(service) for page_class in STEP_PAGES]
        self.consult_view: ConsultView = ConsultView(
            [(p.step_id, p.step_name()) for p in STEP_PAGES], pages)
        self._name_parts(self.consult_view)
        self.patient_view: PatientView = PatientView(service, self.preview)
        self.screens.addWidget(self.consult_view)
        self.screens.addWidget(self.patient_view)

        for page in (*self.pages, *self.patient_view.pages):
            page.changed.connect(self.refresh)
        self.done_page.new_consult_requested.connect(self.new_consult)
        self.review_page.sign_requested.connect(lambda: self.go_to("signatures", focus=True))
        self.finalize_button.clicked.connect(self.finalize)
        self.patient_view.leave_requested.connect(self.patient_mode.ask_to_leave)
        self.patient_view.dob_answered.connect(self.patient_mode.dob_answered)
        for risks in (self.risks_page, self.patient_view.risks_page):
            risks.ticked_by = self.session.ticked_by  # the patient, or staff reading aloud
        self.start(self.consent)
        self.paint_mode()  # the new navigation actions follow the current mode

    def _name_parts(self, view: ConsultView) -> None:
        """The consult view's parts, by the names the rest of the window uses."""
        from app.ui import steps

        self.pages, self.steps, self.stack = view.pages, view.steps, view.stack
        self.back_button, self.next_button = view.back_button, view.next_button
        self.back_action, self.next_action = view.back_action, view.next_action
        self.notice, self.notice_holder = view.notice, view.notice_holder
        self.dismiss_notice, self.review_notice = view.dismiss_notice, view.review_notice
        self.still_needed, self.finalize_button = view.still_needed, view.finalize_button
        self.finalize_reason = view.finalize_reason
        self.patient_page = view.page_of(steps.PatientStep)
        self.screening_page = view.page_of(steps.ScreeningStep)
        self.plan_page = view.page_of(steps.PlanStep)
        self.faq_page = view.page_of(steps.FaqStep)
        self.risks_page = view.page_of(steps.RisksStep)
        self.review_page = view.page_of(steps.ReviewStep)
        self.signature_page = view.page_of(steps.SignatureStep)
        self.done_page = view.page_of(steps.DoneStep)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # after this whole paint (children included) has reached the screen
            QTimer.singleShot(0, self, self.first_painted.emit)  # none once deleted

    # -- the toolbar ------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        toolbar = ConsultToolbar(self)
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        self.new_action, self.large_text_action = toolbar.new_action, toolbar.large_text_action
        self.hand_action, self.lock_action = toolbar.hand_action, toolbar.lock_action
        self.records_action, self.settings_action = toolbar.records_action, toolbar.settings_action
        self.staff_label, self.clinic_label = toolbar.staff_label, toolbar.clinic_label
        self.injector_actions = toolbar.injector_actions
        self.new_action.triggered.connect(self.new_consult)
        self.large_text_action.toggled.connect(self.set_large_text)
        self.hand_action.triggered.connect(self.hand_to_patient)
        self.lock_action.triggered.connect(lambda: self.lock("by hand"))
        self.records_action.triggered.connect(self.open_records)
        self.settings_action.triggered.connect(self.open_settings)

    def show_title(self, clinic_name: str) -> None:
        self.setWindowTitle(window_title(clinic_name))
        self.toolbar.show_clinic(clinic_name)

    def paint_mode(self) -> None:
        """Which screen is up decides which staff actions exist at all."""
        injector = self.mode == "injector"
        self.toolbar.setVisible(injector)
        navigation = (self.back_action, self.next_action) if self._built else ()
        for action in (*self.injector_actions, *navigation):
            action.setEnabled(injector)
        if self._built:  # hidden whenever the staff's own view is not the one up
            self.review_notice.update_for(self.service, injector)
        if not injector and self.records_window is not None:
            self.records_window.close()  # never left open behind a lock or the patient

    def set_large_text(self, on: bool) -> None:
        body_pt = style.LARGE_BODY_PT if on else style.BODY_PT
        style.apply(self, body_pt)
        style.apply(self.toolbar)  # staff's own controls: larger text is for the pages
        self.steps.fit_text(body_pt)

    # -- staff access and patient mode (their own modules) ---------------------------------------

    def show_sign_in(self, note: str = "") -> None:
        self.staff_access.show_sign_in(note)

    def sign_in(self, member: StaffMember) -> None:
        self.staff_access.sign_in(member)

    def lock(self, reason: str = "idle") -> None:
        self.staff_access.lock(reason)

    def open_settings(self) -> None:
        self.staff_access.open_settings()

    def open_records(self) -> None:
        self.staff_access.open_records()

    def hand_to_patient(self) -> bool:
        return self.patient_mode.hand_to_patient()

    def lock_patient_screen(self) -> None:
        self.patient_mode.lock_screen()

    def end_patient_mode(self, member: StaffMember | None = None) -> None:
        self.patient_mode.end(member)

    # -- notices --------------------------------------------------------------------------------

    def show_notice(self, text: str, kind: str = "warning") -> None:
        """A message at the top of the injector's view, until dismissed."""
        self.build_consult()
        self.consult_view.show_notice(text, kind)

    def hide_notice(self) -> None:
        self.consult_view.hide_notice()

    def backup_failed(self, reason: str) -> None:
        """An automatic backup failed: staff must see it, the patient need not."""
        self.show_notice(f"The automatic backup failed. {reason} Glabella tries again in an "
                         "hour; run “glabella doctor” or ask your IT contact if this repeats.")

    # -- consult lifecycle (its own module) ----------------------------------------------------

    def start(self, consent: Consent) -> None:
        """Show ``consent`` on every page, from the first step."""
        self.lifecycle.start(consent)

    def new_consult(self) -> bool:
        return self.lifecycle.new_consult()

    def start_amendment(self, consent_id: str, reason: str) -> bool:
        return self.lifecycle.start_amendment(consent_id, reason)

    def finalize(self) -> bool:
        """Start storing the consent and its PDF (``finalized`` follows); on any failure the
        consult is kept and the user told why. False if it could not start."""
        return self.lifecycle.finalize()

    @property
    def finalizing(self) -> bool:
        return self.lifecycle.finalizing

    def keep_draft(self) -> str:
        """Save the consult as a draft if there is one to keep (never raises); its path, ""
        when there is nothing to keep, or why it could not be saved."""
        return self.session.keep_draft() if self.attached else ""

    # -- navigation -----------------------------------------------------------------------------

    def current_index(self) -> int:
        return self.consult_view.current_index()

    def current_page(self) -> StepPage:
        return self.consult_view.current_page()

    def page(self, step_id: str) -> StepPage:
        return self.consult_view.page(step_id)

    def go_to_index(self, index: int, *, focus: bool = False) -> None:
        """Show step ``index``; with ``focus`` (Next/Back) the keyboard moves into it too."""
        self.consult_view.go_to_index(index, focus=focus)

    def go_to(self, step_id: str, *, focus: bool = False) -> None:
        self.consult_view.go_to(step_id, focus=focus)

    def go_to_item(self, step_id: str, item_id: str) -> None:
        self.consult_view.go_to_item(step_id, item_id)

    # -- progress -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """After any change: let pages update, then marks, "Still needed" and Finalize."""
        self.consult_view.reconsent_notice.update_for(self.service, self.consent)  # kind first
        for page in self.pages:
            page.sync()
        self.consult_view.show_progress(self.session.progress(
            self.steps.step_ids, reviewed=self.review_page.is_reviewed()))
        if self.finalizing:  # the consent is timestamped already, but not yet stored
            self.finalize_button.setEnabled(False)
            self.finalize_reason.setText("Finalizing: rendering and certifying the PDF…")
        if self.mode == "patient":
            self.patient_view.refresh()
        self.patient_mode.tell_cleared()

    # -- closing --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing mid-consult keeps the work as a draft; in patient mode it needs a PIN."""
        if self.attached and self.finalizing:  # a second at most: the record is being stored
            event.ignore()
            return
        if self.mode == "patient" and not self.closing:
            event.ignore()
            self.patient_mode.ask_to_close()
            return
        if self.attached and not self.lifecycle.draft_kept_to_close():
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop everything that could still fire: the idle and focus watches, a render."""
        self.idle.stop()
        self.patient_mode.focus_watch.stop()
        if self._built:
            self.preview.wait()
            self.work.wait()
