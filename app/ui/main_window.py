"""The consult window: steps on the left, the current step on the right, progress below.

The window is a stack of screens: first-start set-up, sign-in, the injector's consult and
patient mode. A PIN prompt (and, in patient mode, the idle lock) lies over all of them.
Every action only staff may take is in ``injector_actions``: they are switched off
whenever the injector's view is not the one shown.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.clinic.staff import PinChecker, StaffDirectory, StaffMember
from app.ui import style
from app.ui.idle import IdleWatch
from app.ui.overlay import PinOverlay
from app.ui.sign_in import SetupScreen, SignInScreen
from app.ui.widgets import Banner, label

if TYPE_CHECKING:
    # The records and the consult model load with the service, after the first paint when
    # the window opens from a FirstScreen; the consult's pages load in build_consult.
    from app.consult.consent import Consent
    from app.document.finalize import FinalizedConsent
    from app.runtime.first_screen import FirstScreen
    from app.runtime.service import Glabella
    from app.ui.steps import StepPage

DOB_MISMATCH = ("The date of birth the patient entered does not match this consult's "
                "patient. Check the patient's details with them before handing the screen "
                "over again.")


def has_input(consent: Consent) -> bool:
    """Whether anything was entered that a new consult would throw away."""
    from app.consult.consent import TreatmentPlan

    return bool(consent.patient or consent.screening or consent.plan != TreatmentPlan()
                or consent.acknowledgements or consent.faq_views or consent.signatures
                or consent.minor_override_reason)


class ConsultWindow(QMainWindow):
    """One consult at a time, from sign-in to a finalized, stored consent."""

    finalized = Signal(str)  # the stored consent's id
    first_painted = Signal()  # once, when the window has first been drawn
    service_needed = Signal()  # sign-in was asked for before ``attach``: attach now

    def __init__(self, service: Glabella | None, parent: QWidget | None = None, *,
                 staff: StaffMember | None = None, defer_consult: bool = False,
                 first_screen: FirstScreen | None = None) -> None:
        """The window for ``service``; or, with ``service`` None, only the sign-in screen
        drawn from ``first_screen`` until ``attach`` brings the opened service."""
        super().__init__(parent)
        self.service: Glabella = None  # type: ignore[assignment]  # set by attach
        self.result: FinalizedConsent | None = None
        self.staff: StaffMember | None = None
        self.last_staff_id: str | None = None
        self.mode = "signed-out"  # signed-out | injector | patient
        self.records_window: QMainWindow | None = None
        self._closing = False
        self._on_pin = None
        style.apply(self)
        self.setMinimumSize(1000, 640)
        self.resize(1366, 768)

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
        self.idle.timed_out.connect(self._idle_timed_out)
        if service is None:
            if first_screen is None:
                raise ValueError("a window without a service needs its first screen")
            # no toolbar yet: it is hidden until sign-in, and made in attach (10 ms sooner)
            self.setWindowTitle(f"Glabella — {first_screen.clinic_name}")
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
        self.consent: Consent = service.new_consent()
        self.directory = StaffDirectory(service.store)
        self.pins = PinChecker(self.directory)  # one count of wrong PINs for every prompt
        self._build_actions()
        self._set_mode(self.mode)
        self._show_title(service.clinic.name)
        self.sign_in_screen.set_checker(self.pins)
        self.setup_screen = SetupScreen(self.directory)
        self.screens.insertWidget(0, self.setup_screen)
        self.pin_overlay = PinOverlay(self._holder, self.pins)
        self.setup_screen.created.connect(self.sign_in)
        self.pin_overlay.accepted.connect(self._pin_accepted)
        self.pin_overlay.cancelled.connect(self._pin_cancelled)
        if self.mode == "signed-out" and not self.directory.is_empty():
            # the first screen may have had no fingerprint to tell the demo PIN by
            self.sign_in_screen.set_demo_hint(self.directory.demo_hint())

    def _show_title(self, clinic_name: str) -> None:
        self.setWindowTitle(f"Glabella — {clinic_name}")
        self.clinic_label.setText(clinic_name)

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
        from app.ui.document_view import DocumentPreview
        from app.ui.patient_view import PatientView
        from app.ui.step_list import StepList
        from app.ui.steps import (
            STEP_PAGES,
            DoneStep,
            FaqStep,
            PatientStep,
            PlanStep,
            ReviewStep,
            RisksStep,
            ScreeningStep,
            SignatureStep,
        )

        service = self.service
        # one render of the document to be signed, shared by both modes' review pages
        self.preview = DocumentPreview(service, self)
        # created before the pages, so Tab goes from the list into the page, then below
        self.steps = StepList([(p.step_id, p.step_name()) for p in STEP_PAGES])
        self.pages: list[StepPage] = [
            page_class(service, preview=self.preview) if page_class is ReviewStep
            else page_class(service) for page_class in STEP_PAGES]
        by_type = {type(p): p for p in self.pages}
        self.patient_page: PatientStep = by_type[PatientStep]  # type: ignore[assignment]
        self.screening_page: ScreeningStep = by_type[ScreeningStep]  # type: ignore[assignment]
        self.plan_page: PlanStep = by_type[PlanStep]  # type: ignore[assignment]
        self.faq_page: FaqStep = by_type[FaqStep]  # type: ignore[assignment]
        self.risks_page: RisksStep = by_type[RisksStep]  # type: ignore[assignment]
        self.review_page: ReviewStep = by_type[ReviewStep]  # type: ignore[assignment]
        self.signature_page: SignatureStep = by_type[SignatureStep]  # type: ignore[assignment]
        self.done_page: DoneStep = by_type[DoneStep]  # type: ignore[assignment]

        self.consult_view = self._build_consult_view()
        self.patient_view = PatientView(service, self.preview)
        self.screens.addWidget(self.consult_view)
        self.screens.addWidget(self.patient_view)

        for page in (*self.pages, *self.patient_view.pages):
            page.changed.connect(self.refresh)
        self.done_page.new_consult_requested.connect(self.new_consult)
        self.review_page.sign_requested.connect(lambda: self.go_to("signatures", focus=True))
        self.steps.currentRowChanged.connect(self._step_chosen)
        self.still_needed.item_chosen.connect(self.go_to_item)
        self.back_button.clicked.connect(
            lambda: self.go_to_index(self.current_index() - 1, focus=True))
        self.next_button.clicked.connect(
            lambda: self.go_to_index(self.current_index() + 1, focus=True))
        self.finalize_button.clicked.connect(self.finalize)
        self.patient_view.leave_requested.connect(self.ask_to_leave_patient_mode)
        self.patient_view.dob_answered.connect(self._dob_answered)
        self.start(self.consent)
        self._set_mode(self.mode)  # the new navigation actions follow the current mode

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # after this whole paint (children included) has reached the screen
            QTimer.singleShot(0, self, self.first_painted.emit)  # none once deleted

    # -- building -----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        toolbar = QToolBar("Consult")
        toolbar.setMovable(False)
        toolbar.setAccessibleName("Consult actions")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

        def action(text: str, keys: str | QKeySequence.StandardKey, tip: str) -> QAction:
            made = QAction(text, self)
            made.setShortcut(QKeySequence(keys))
            made.setToolTip(f"{tip} ({made.shortcut().toString()})")
            toolbar.addAction(made)
            return made

        self.new_action = action("New consult", QKeySequence.StandardKey.New,
                                 "Start a new consult")
        self.new_action.triggered.connect(self.new_consult)
        self.large_text_action = action("Larger text", "Ctrl+=",
                                        "Larger text for reading together with the patient")
        self.large_text_action.setCheckable(True)
        self.large_text_action.toggled.connect(self.set_large_text)
        toolbar.addSeparator()
        self.hand_action = action("Hand to patient", "Ctrl+H",
                                  "Turn the screen to the patient: full screen, large type, "
                                  "this consult only; a staff PIN returns")
        self.hand_action.triggered.connect(self.hand_to_patient)
        self.lock_action = action("Lock", "Ctrl+L",
                                  "Lock now: back to the sign-in screen, the consult is kept")
        self.lock_action.triggered.connect(lambda: self.lock("by hand"))
        self.records_action = action("Records…", "Ctrl+R",
                                     "Find a patient's consents; open, print, save or verify "
                                     "them")
        self.records_action.triggered.connect(self.open_records)
        self.settings_action = action("Settings…", "Ctrl+,",
                                      "Clinic details, logo, idle times and staff "
                                      "(administrators)")
        self.settings_action.triggered.connect(self.open_settings)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding,
                             spacer.sizePolicy().Policy.Preferred)
        toolbar.addWidget(spacer)
        self.staff_label = label("", "muted", wrap=False)
        self.staff_label.setAccessibleName("Signed in")
        toolbar.addWidget(self.staff_label)
        toolbar.addSeparator()
        self.clinic_label = label("", "muted", wrap=False)
        self.clinic_label.setContentsMargins(0, 0, 12, 0)
        toolbar.addWidget(self.clinic_label)
        self.injector_actions: list[QAction] = [
            self.new_action, self.large_text_action, self.hand_action, self.lock_action,
            self.records_action, self.settings_action]

    def _build_consult_view(self) -> QWidget:
        from app.ui.patient_view import navigation_actions
        from app.ui.review_notice import ReviewNotice
        from app.ui.still_needed import StillNeeded

        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)

        self.notice = Banner(kind="warning")
        self.dismiss_notice = QPushButton("Dismiss")
        self.dismiss_notice.setAccessibleName("Dismiss this notice")
        self.notice.add_action(self.dismiss_notice)
        self.dismiss_notice.clicked.connect(self.hide_notice)

        self.still_needed = StillNeeded()
        self.back_button = QPushButton("← Back")
        self.next_button = QPushButton("Next →")
        self.finalize_button = QPushButton("Finalize")
        self.finalize_button.setAccessibleName("Finalize the consent")
        style.set_role(self.finalize_button, "primary")
        self.finalize_reason = label("", "small")
        self.finalize_reason.setFixedWidth(400)
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.finalize_button):
            buttons.addWidget(button)
        controls = QVBoxLayout()
        controls.setSpacing(6)
        controls.addLayout(buttons)
        controls.addWidget(self.finalize_reason)
        controls.addStretch(1)

        bottom = QFrame()
        bottom.setObjectName("bottomBar")
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(20, 10, 20, 10)
        bottom_layout.setSpacing(24)
        bottom_layout.addWidget(self.still_needed, 1)
        bottom_layout.addLayout(controls)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        self.notice_holder = QWidget()
        notice_layout = QVBoxLayout(self.notice_holder)
        notice_layout.setContentsMargins(28, 12, 28, 0)
        notice_layout.addWidget(self.notice)
        self.notice_holder.setVisible(False)
        right_layout.addWidget(self.notice_holder)
        self.review_notice = ReviewNotice()  # staff only: the pack has no recorded review
        right_layout.addWidget(self.review_notice)
        right_layout.addWidget(self.stack, 1)
        right_layout.addWidget(bottom)

        view = QWidget()
        layout = QHBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.steps)
        layout.addWidget(right, 1)
        self.back_action, self.next_action = navigation_actions(view, self.back_button,
                                                                self.next_button)
        return view

    def show_notice(self, text: str, kind: str = "warning") -> None:
        """A message at the top of the injector's view, until dismissed."""
        self.build_consult()
        self.notice.set_text(text)
        self.notice.set_kind(kind)
        self.notice_holder.setVisible(True)

    def hide_notice(self) -> None:
        self.notice_holder.setVisible(False)

    def backup_failed(self, reason: str) -> None:
        """An automatic backup failed: staff must see it, the patient need not."""
        self.show_notice(f"The automatic backup failed. {reason} Glabella tries again in an "
                         "hour; run “glabella doctor” or ask your IT contact if this repeats.")

    # -- consult lifecycle ----------------------------------------------------------------------

    def start(self, consent: Consent) -> None:
        """Show ``consent`` on every page, from the first step."""
        self.consent = consent
        self.result = None
        for page in self.pages:
            page.bind(consent)
        self.done_page.show_result(None)
        self.go_to_index(0)
        self.refresh()
        if self.mode == "injector":  # never take focus from the sign-in screen's PIN field
            self.patient_page.name.setFocus()
        if consent.kind == "amendment":
            from app.consult.amendments import amendment_notice

            self.show_notice(amendment_notice(consent), "info")
        else:
            self.hide_notice()

    def new_consult(self) -> bool:
        """Start again; an unfinished consult is first saved as a draft (after asking)."""
        if not self._put_aside("Start a new consult?"):
            return False
        self.start(self.service.new_consent())
        return True

    def _put_aside(self, question: str) -> bool:
        """Keep an unfinished consult as a draft, after asking; False if the user declines."""
        if self.consent.finalized_at is None and has_input(self.consent):
            path = self.service.draft_path(self.consent)
            answer = QMessageBox.question(
                self, question,
                "This consult is not finalized. It will be kept as a draft at:\n"
                f"{path}\n\n{question}")
            if answer != QMessageBox.StandardButton.Yes:
                return False
            if not self._save_draft():
                return False
        return True

    def start_amendment(self, consent_id: str, reason: str) -> bool:
        """Amend a stored consent: a consult prefilled from it, to be reviewed and signed."""
        from app.consult.amendments import AmendmentError
        from db import StoreError

        try:
            amendment = self.service.start_amendment(
                consent_id, reason, self.staff.as_injector() if self.staff else None)
        except (AmendmentError, StoreError) as exc:
            QMessageBox.warning(self, "Not amended", exc.message)
            return False
        if not self._put_aside("Start the amendment?"):
            return False
        self.start(amendment)
        self.raise_()
        self.activateWindow()
        return True

    def _save_draft(self) -> str | None:
        """Save the draft; the path, or None after telling the user why it failed."""
        try:
            return str(self.service.save_draft(self.consent))
        except Exception as exc:  # noqa: BLE001 - reported to the user
            QMessageBox.critical(self, "Draft not saved", f"The draft could not be saved:\n{exc}")
            return None

    def finalize(self) -> bool:
        """Store the consent and its PDF; on any failure keep the consult and say why."""
        from app.document.finalize import IncompleteConsentError

        self.preview.wait()  # reportlab renders one document at a time
        try:
            result = self.service.finalize(self.consent)
        except IncompleteConsentError as exc:
            lines = "\n".join(f"• {m.message}" for m in exc.missing)
            QMessageBox.warning(self, "Not finalized yet",
                                f"The consent cannot be finalized yet:\n\n{lines}")
            self.refresh()
            return False
        except Exception as exc:  # noqa: BLE001 - storage, rendering or content problems
            where = self._save_draft()
            kept = (f"\n\nNothing was lost: the consult is still open and was saved as a "
                    f"draft at:\n{where}") if where else "\n\nThe consult is still open."
            QMessageBox.critical(self, "The consent was not finalized",
                                 f"The consent could not be finalized:\n{exc}{kept}")
            self.refresh()
            return False
        self.result = result
        if self.consent.injector is not None:
            from app.ui.steps.patient_step import remember_injector

            remember_injector(self.service.store, self.consent.injector)
        for page in self.pages:
            page.set_read_only(True)
        self.done_page.show_result(result)
        self.refresh()
        self.go_to("done")
        self.finalized.emit(result.consent_id)
        return True

    # -- navigation -----------------------------------------------------------------------------

    def current_index(self) -> int:
        return self.stack.currentIndex()

    def current_page(self) -> StepPage:
        return self.pages[self.current_index()]

    def page(self, step_id: str) -> StepPage:
        return next(p for p in self.pages if p.step_id == step_id)

    def go_to_index(self, index: int, *, focus: bool = False) -> None:
        """Show step ``index``; with ``focus`` (Next/Back) the keyboard moves into it too."""
        if 0 <= index < len(self.pages):
            self.steps.setCurrentRow(index)
            target = self.pages[index].first_focus() if focus else None
            if target is not None and target.isEnabled():
                target.setFocus()

    def go_to(self, step_id: str, *, focus: bool = False) -> None:
        self.go_to_index(self.pages.index(self.page(step_id)), focus=focus)

    def go_to_item(self, step_id: str, item_id: str) -> None:
        self.go_to(step_id)
        self.page(step_id).focus_item(item_id)

    def _step_chosen(self, index: int) -> None:
        if index < 0:
            return
        previous = self.stack.currentIndex()
        if previous != index:
            self.pages[previous].leave()
        self.stack.setCurrentIndex(index)
        self.pages[index].enter()
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.pages) - 1)
        if index < len(self.pages) - 1:
            name = self.pages[index + 1].step_name().replace("&", "&&")
            self.next_button.setText(f"Next: {name} →")
        else:
            self.next_button.setText("Next →")

    # -- progress -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """After any change: let pages update, then marks, "Still needed" and Finalize."""
        for page in self.pages:
            page.sync()
        finalized = self.consent.finalized_at is not None
        missing = [] if finalized else self.consent.missing(self.pack)
        self.still_needed.show_missing(missing, finalized)
        steps_missing = {m.step for m in missing}
        for page in self.pages:
            if page.step_id == "faq":
                state = "complete" if self.consent.faq_views else "optional"
            elif page.step_id == "done":
                state = "complete" if finalized else "optional"
            elif page.step_id == "review":
                state = "complete" if finalized or self.review_page.is_reviewed() \
                    else "optional"
            else:
                state = "missing" if page.step_id in steps_missing else "complete"
            self.steps.set_mark(page.step_id, state)
        self.finalize_button.setEnabled(not finalized and not missing)
        if finalized:
            reason = "Finalized. Use “New consult” to start another."
        elif missing:
            reason = (f"Finalize becomes available when nothing is still needed "
                      f"({len(missing)} item{'s' if len(missing) != 1 else ''} left).")
        else:
            reason = "Everything needed is in place."
        self.finalize_reason.setText(reason)
        self.finalize_button.setToolTip(reason)
        if self.mode == "patient":
            self.patient_view.refresh()

    def set_large_text(self, on: bool) -> None:
        body_pt = style.LARGE_BODY_PT if on else style.BODY_PT
        style.apply(self, body_pt)
        self.steps.fit_text(body_pt)

    # -- staff: sign-in, locking, settings ------------------------------------------------

    def _set_mode(self, mode: str) -> None:
        """Which screen is up decides which staff actions exist at all."""
        self.mode = mode
        injector = mode == "injector"
        self.toolbar.setVisible(injector)
        navigation = (self.back_action, self.next_action) if self._built else ()
        for action in (*self.injector_actions, *navigation):
            action.setEnabled(injector)
        if self._built:  # hidden whenever the staff's own view is not the one up
            self.review_notice.update_for(self.service, injector)
        if not injector and self.records_window is not None:
            self.records_window.close()  # never left open behind a lock or the patient

    def open_records(self) -> None:
        """The records window, for staff: every stored consent, not just this consult's."""
        if self.mode != "injector":
            return
        if self.records_window is None:
            from app.ui.records import RecordsWindow

            records = RecordsWindow(self.service, self, actor=lambda: (
                self.staff.display_name if self.staff else None), injector=lambda: (
                self.staff.as_injector() if self.staff else None))
            records.amend_requested.connect(self.start_amendment)
            records.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            records.closed.connect(lambda: setattr(self, "records_window", None))
            self.records_window = records
        self.records_window.show()
        self.records_window.raise_()
        self.records_window.activateWindow()

    def show_sign_in(self, note: str = "") -> None:
        """The sign-in screen (or first-start set-up when nobody is on the staff list)."""
        self.idle.stop()
        self._set_mode("signed-out")
        if self.directory.is_empty():
            self.screens.setCurrentWidget(self.setup_screen)
            self.setup_screen.form.name.setFocus()
            return
        self.screens.setCurrentWidget(self.sign_in_screen)  # shown first: focus needs it
        self.sign_in_screen.show_staff(self.service.clinic.name, self.directory.members(),
                                       self.directory.demo_hint(), self.last_staff_id, note)

    def sign_in(self, member: StaffMember) -> None:
        """``member`` proved their PIN: the consult (kept, or new) is theirs to run."""
        self.build_consult()
        self.staff = member
        self.last_staff_id = member.id
        self.service.log("staff.signed_in", actor=member.display_name,
                         details={"staff_id": member.id})
        self.staff_label.setText(f"Signed in: {member.display_name}")
        self.patient_page.offer_injector(member.as_injector())
        self._set_mode("injector")
        self.screens.setCurrentWidget(self.consult_view)
        self.idle.start(self._idle_minutes("app"))
        self.refresh()
        target = self.current_page().first_focus() or self.steps
        target.setFocus()

    def lock(self, reason: str = "idle") -> None:
        """Back to the sign-in screen; the consult stays in memory and as a draft."""
        if self.mode != "injector":
            return
        kept = self._keep_draft()
        self.service.log("staff.locked", actor=self.staff.display_name if self.staff else None,
                         details={"reason": reason, "mode": "injector",
                                  "consent_id": self.consent.id, "draft": kept})
        self.staff = None
        self.staff_label.setText("")
        note = ("Locked after a while without use. " if reason == "idle" else "Locked. ")
        if has_input(self.consent) and self.consent.finalized_at is None:
            note += "The consult in progress is kept: sign in to continue it."
        self.show_sign_in(note)

    def _idle_minutes(self, mode: str) -> int:
        """The clinic's idle time for ``mode`` ("app" or "patient")."""
        from app.clinic.settings import APP_IDLE, PATIENT_IDLE, idle_minutes

        return idle_minutes(self.service.store, PATIENT_IDLE if mode == "patient" else APP_IDLE)

    def keep_draft(self) -> str:
        return self._keep_draft()

    def _keep_draft(self) -> str:
        """Save the consult as a draft if there is one to keep; its path, or ""."""
        if self.consent.finalized_at is not None or not has_input(self.consent):
            return ""
        try:
            return str(self.service.save_draft(self.consent))
        except Exception as exc:  # noqa: BLE001 - still kept in memory; say so at sign-in
            return f"not saved: {exc}"

    def _idle_timed_out(self) -> None:
        if self.mode == "patient":
            self.lock_patient_screen()
        else:
            self.lock("idle")

    def ask_pin(self, title: str, text: str, purpose: str, on_ok, *,  # noqa: ANN001
                actions: tuple[tuple[str, str], ...] = (("ok", "OK"),),
                cancellable: bool = True, admins_only: bool = False,
                opaque: bool = False) -> None:
        """Ask for a staff PIN over the whole window; ``on_ok(action, member)`` follows."""
        self._on_pin = on_ok
        style.apply(self.pin_overlay, self.patient_view.body_pt() if self.mode == "patient"
                    else style.BODY_PT + 2)
        self.pin_overlay.ask(title, text, purpose, actions=actions, cancellable=cancellable,
                             admins_only=admins_only, opaque=opaque)

    def _pin_accepted(self, action: str, member: StaffMember) -> None:
        handler, self._on_pin = self._on_pin, None
        if handler is not None:
            handler(action, member)

    def _pin_cancelled(self) -> None:
        self._on_pin = None

    def open_settings(self) -> None:
        """Settings are for administrators: any active administrator's PIN opens them."""
        if self.mode != "injector":
            return
        self.ask_pin("Settings", "Settings are for administrators.", "open settings",
                     self._show_settings, actions=(("open", "Open Settings"),),
                     admins_only=True)

    def _show_settings(self, _action: str, admin: StaffMember) -> None:
        from app.ui.settings_dialog import SettingsDialog

        self.settings_dialog = SettingsDialog(self.service, self.directory, admin, self)
        self.settings_dialog.saved.connect(self._settings_saved)
        self.settings_dialog.finished.connect(  # a review recorded there removes the notice
            lambda _result: self.review_notice.update_for(self.service, self.mode == "injector"))
        self.settings_dialog.open()

    def _settings_saved(self) -> None:
        self._show_title(self.service.clinic.name)
        if self.mode == "injector":
            self.idle.start(self._idle_minutes("app"))
        self.refresh()  # the clinic is printed: the document to review has changed

    # -- patient mode ---------------------------------------------------------------------------

    def hand_to_patient(self) -> bool:
        """Turn the screen to the patient: full screen, large type, this consult only."""
        if self.mode != "injector":
            return False
        if self.consent.finalized_at is not None:
            self.show_notice("This consult is finalized. Start a new consult first.", "info")
            return False
        if self.consent.patient is None:
            self.show_notice("Enter the patient's name and date of birth first: at hand-over "
                             "the patient confirms their date of birth.")
            self.go_to("patient", focus=True)
            return False
        self.hide_notice()
        self._window_state = self.windowState()
        self._set_mode("patient")
        self.patient_view.start(self.consent)
        self.screens.setCurrentWidget(self.patient_view)
        self.showFullScreen()
        self.service.log("patient_mode.started",
                         actor=self.staff.display_name if self.staff else None,
                         details={"consent_id": self.consent.id})
        self.idle.start(self._idle_minutes("patient"))
        return True

    def _dob_answered(self, answer: date | None) -> None:
        patient = self.consent.patient
        if patient is not None and answer == patient.date_of_birth:
            self.service.log("patient_mode.dob_confirmed", details={"consent_id":
                                                                    self.consent.id})
            self.patient_view.show_consult()
            return
        self.service.log("patient_mode.dob_mismatch", details={"consent_id": self.consent.id})
        self.end_patient_mode()
        self.show_notice(DOB_MISMATCH, "danger")
        self.go_to("patient", focus=True)

    def ask_to_leave_patient_mode(self) -> None:
        self.ask_pin("Return to the staff view", "A member of staff enters their PIN.",
                     "leave patient mode", lambda _a, member: self.end_patient_mode(member),
                     actions=(("leave", "Return to staff view"),))

    def lock_patient_screen(self) -> None:
        """Idle in patient mode: an opaque lock; the consult is kept (and saved)."""
        kept = self._keep_draft()
        self.idle.stop()
        self.service.log("staff.locked", details={"reason": "idle", "mode": "patient",
                                                  "consent_id": self.consent.id,
                                                  "draft": kept})
        minutes = self._idle_minutes("patient")
        self.ask_pin("This screen is locked",
                     f"Nobody has used it for {minutes} minute{'s' if minutes != 1 else ''}. "
                     "The consult is kept. A member of staff enters their PIN to unlock it.",
                     "unlock patient mode", self._unlocked,
                     actions=(("patient", "Unlock for the patient"),
                              ("staff", "Unlock to staff view")),
                     cancellable=False, opaque=True)

    def _unlocked(self, action: str, member: StaffMember) -> None:
        if action == "staff":
            self.end_patient_mode(member)
        else:
            self.idle.start(self._idle_minutes("patient"))

    def end_patient_mode(self, member: StaffMember | None = None) -> None:
        """Back to the injector's view; the patient's questions come first."""
        if self.mode != "patient":
            return
        self.pin_overlay.hide()
        self._set_mode("injector")
        self.screens.setCurrentWidget(self.consult_view)
        self.setWindowState(getattr(self, "_window_state", Qt.WindowState.WindowNoState))
        self.service.log("patient_mode.ended", actor=member.display_name if member else None,
                         details={"consent_id": self.consent.id})
        self.idle.start(self._idle_minutes("app"))
        self.refresh()
        questions = self.risks_page.open_questions()
        if questions:
            count = len(questions)
            self.show_notice(f"⚑  The patient flagged {count} question{'s' if count != 1 else ''}"
                             f". Go through {'them' if count != 1 else 'it'} in person and "
                             f"note your answer{'s' if count != 1 else ''} on “Risks & "
                             f"expectations” before finalizing.")
            self.go_to_item("risks", questions[0])
        elif member is not None:
            self.go_to("signatures", focus=True)

    # -- closing --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing mid-consult keeps the work as a draft; in patient mode it needs a PIN."""
        if self.mode == "patient" and not self._closing:
            event.ignore()
            self._keep_draft()
            self.ask_pin("Close Glabella?", "The consult is kept as a draft. A member of staff "
                         "enters their PIN to close.", "close the window", self._close_anyway,
                         actions=(("close", "Close Glabella"),))
            return
        if self.attached and self.consent.finalized_at is None and has_input(self.consent):
            try:
                self.service.save_draft(self.consent)
            except Exception as exc:  # noqa: BLE001 - the user decides what happens next
                answer = QMessageBox.question(
                    self, "Draft not saved",
                    f"This consult could not be saved as a draft:\n{exc}\n\nClose anyway and "
                    "lose it?")
                if answer != QMessageBox.StandardButton.Yes:
                    event.ignore()
                    return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop everything that could still fire: the idle watch, a render in progress."""
        self.idle.stop()
        if self._built:
            self.preview.wait()

    def _close_anyway(self, _action: str, member: StaffMember) -> None:
        self.end_patient_mode(member)
        self._closing = True
        self.close()
