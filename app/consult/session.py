"""One consult at a time, from sign-in to a finalized consent: the window's state, Qt-free.

The session knows who is signed in, which mode the screen is in (signed out, the
injector's view, or patient mode), the consent being built and every audit event these
changes write. It never asks the user anything: the window asks, then calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Literal

from app.consult.patient_rules import (
    BY_PATIENT,
    BY_STAFF,
    BeforeSigning,
    before_patient_signs,
    hand_over_missing,
)
from app.consult.progress import Progress, has_input, staff_progress

if TYPE_CHECKING:
    from app.clinic.staff import StaffDirectory, StaffMember
    from app.consult.consent import Consent, Missing
    from app.consult.patient import Injector
    from app.document.finalize import FinalizedConsent, Finalizing
    from app.runtime.service import Glabella

Mode = Literal["signed-out", "injector", "patient"]
SIGNED_OUT: Mode = "signed-out"  # locked: the sign-in screen
INJECTOR: Mode = "injector"  # staff: the injector's view
PATIENT: Mode = "patient"  # the screen turned to the patient

# why a hand-over is refused (None: it may go ahead)
FINALIZED = "finalized"
NO_PATIENT = "no patient"
NOT_READY = "plan not complete"
NOT_STAFF_VIEW = "not in the injector's view"


class HandOverRefused(Exception):
    """The screen cannot go to the patient now; ``reason``: FINALIZED, NO_PATIENT,
    NOT_READY (``missing`` says what, each with its step) or NOT_STAFF_VIEW."""

    def __init__(self, reason: str, missing: list[Missing] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing or []


class ConsultSession:
    """The consult's state machine; the window is a view over it."""

    def __init__(self, service: Glabella, directory: StaffDirectory, *,
                 remember_injector: Callable[[Injector], None] | None = None) -> None:
        """``remember_injector`` saves the injector of a finalized consult for the next one
        (the patient page reads it back); by default the clinic's settings keep it."""
        self.service = service
        self.directory = directory
        self._remember = remember_injector or service.settings.remember_injector
        self.mode: Mode = SIGNED_OUT
        self.staff: StaffMember | None = None
        self.last_staff_id: str | None = None
        self.consent: Consent = service.new_consent()
        self.result: FinalizedConsent | None = None

    # -- the consent ---------------------------------------------------------------------------

    def start(self, consent: Consent) -> None:
        """Work on ``consent`` from now on (a new consult, a draft or an amendment)."""
        self.consent = consent
        self.result = None

    def new_consult(self) -> Consent:
        """Start a fresh consent (the window first puts an unfinished one aside)."""
        self.start(self.service.new_consent())
        return self.consent

    def prepare_amendment(self, consent_id: str, reason: str) -> Consent:
        """A prefilled amendment of a stored consent, not yet started (the window first puts
        the current consult aside). Raises AmendmentError or StoreError when refused."""
        return self.service.start_amendment(
            consent_id, reason, self.staff.as_injector() if self.staff else None)

    @property
    def finalized(self) -> bool:
        return self.consent.finalized_at is not None

    def has_input(self) -> bool:
        """Whether anything was entered that a new consult would throw away."""
        return has_input(self.consent)

    def unfinished(self) -> bool:
        """Work that would be lost: input, not finalized. It is kept as a draft."""
        return not self.finalized and self.has_input()

    def draft_path(self) -> str:
        return str(self.service.draft_path(self.consent))

    def save_draft(self) -> str:
        """Save the consult as a draft; its path. Raises whatever saving raised."""
        return str(self.service.save_draft(self.consent))

    def keep_draft(self) -> str:
        """Save the consult as a draft if there is one to keep; its path, or "" (or why not:
        the consult is still in memory, and the sign-in screen says so)."""
        if not self.unfinished():
            return ""
        try:
            return self.save_draft()
        except Exception as exc:  # noqa: BLE001 - still kept in memory; say so at sign-in
            return f"not saved: {exc}"

    def finalize(self) -> FinalizedConsent:
        """Store the consent and its PDF; raises IncompleteConsentError or whatever storing
        raised, the consult unchanged."""
        steps = self.begin_finalize()
        self.service.certify(steps)
        return self.complete_finalize(steps)

    def begin_finalize(self) -> Finalizing:
        """Finalize's checks; then ``service.certify(steps)`` (on any thread, the slow part)
        and ``complete_finalize(steps)`` on this one (see ``Glabella.begin_finalize``)."""
        return self.service.begin_finalize(self.consent)

    def complete_finalize(self, steps: Finalizing) -> FinalizedConsent:
        result = self.service.complete_finalize(steps)
        self.result = result
        if self.consent.injector is not None:
            self._remember(self.consent.injector)
        return result

    def progress(self, step_ids: list[str], *, reviewed: bool) -> Progress:
        """The staff view's marks, what is still needed and whether Finalize is available."""
        return staff_progress(self.consent, self.service.pack, step_ids, reviewed=reviewed)

    # -- staff: sign-in and locking ------------------------------------------------------------

    def sign_in(self, member: StaffMember) -> None:
        """``member`` proved their PIN: the consult (kept, or new) is theirs to run."""
        self.staff = member
        self.last_staff_id = member.id
        self.service.log("staff.signed_in", actor=member.display_name,
                         details={"staff_id": member.id})
        self.mode = INJECTOR

    def lock(self, reason: str = "idle") -> bool:
        """Back to signed out (``reason``: "idle" or "by hand"); the consult stays in memory
        and as a draft. False, and nothing done, unless in the injector's view."""
        if self.mode != INJECTOR:
            return False
        self._sign_out(reason, INJECTOR)
        return True

    def _sign_out(self, reason: str, mode: Mode) -> None:
        kept = self.keep_draft()
        self.service.log("staff.locked", actor=self._actor(),
                         details={"reason": reason, "mode": mode,
                                  "consent_id": self.consent.id, "draft": kept})
        self.staff = None
        self.mode = SIGNED_OUT

    def lock_patient_screen(self, reason: str = "idle") -> str:
        """The patient screen locks (``reason``: "idle", or "focus_lost" when the window was
        left in patient mode); the consult is kept. The draft's path."""
        kept = self.keep_draft()
        self.service.log("staff.locked", details={"reason": reason, "mode": PATIENT,
                                                  "consent_id": self.consent.id,
                                                  "draft": kept})
        return kept

    def unlock(self, member: StaffMember, *, to_staff: bool) -> bool:
        """A staff PIN unlocked the patient screen: for the patient again, or ``to_staff``
        (patient mode ends). Whether patient mode ended."""
        return self.leave_patient_mode(member) if to_staff else False

    def idle_minutes(self, mode: Mode | None = None) -> int:
        """The clinic's idle time for ``mode`` (default: the current one)."""

        return self.service.settings.idle_minutes("patient" if (mode or self.mode) == PATIENT
                                                  else "app")

    def _actor(self) -> str | None:
        return self.staff.display_name if self.staff else None

    # -- patient mode --------------------------------------------------------------------------

    def hand_over_problem(self) -> str | None:
        """Why the screen cannot go to the patient now (FINALIZED, NO_PATIENT, NOT_READY:
        the patient's details or the plan are not complete), or None."""
        if self.finalized:
            return FINALIZED
        if self.consent.patient is None:
            return NO_PATIENT
        if self.hand_over_missing():
            return NOT_READY
        return None

    def hand_over_missing(self) -> list[Missing]:
        """What the patient's details and the plan still need before a hand-over."""
        return hand_over_missing(self.consent, self.service.pack)

    def enter_patient_mode(self) -> None:
        """Turn the screen to the patient; raises HandOverRefused (and stays) if it may not."""
        if self.mode != INJECTOR:
            raise HandOverRefused(NOT_STAFF_VIEW)
        problem = self.hand_over_problem()
        if problem is not None:
            raise HandOverRefused(problem, self.hand_over_missing())
        self.mode = PATIENT
        self.service.log("patient_mode.started", actor=self._actor(),
                         details={"consent_id": self.consent.id})

    def ticked_by(self) -> tuple[str, str]:
        """Who a tick made now is by, and the staff member's name: the patient in patient
        mode; otherwise the signed-in staff member, reading the item aloud with them."""
        if self.mode == PATIENT:
            return BY_PATIENT, ""
        return BY_STAFF, self.staff.display_name if self.staff else ""

    def before_patient_signs(self) -> BeforeSigning:
        """What stops the patient's signature pad opening in patient mode (see
        ``patient_rules.before_patient_signs``)."""
        return before_patient_signs(self.consent, self.service.pack)

    def check_dob(self, answer: date | None) -> bool:
        """The patient typed their date of birth at hand-over: whether it matched."""
        patient = self.consent.patient
        matched = patient is not None and answer == patient.date_of_birth
        event = "patient_mode.dob_confirmed" if matched else "patient_mode.dob_mismatch"
        self.service.log(event, details={"consent_id": self.consent.id})
        if not matched:
            self._after_dob_mismatch()
        return matched

    def _after_dob_mismatch(self) -> None:
        """The rule for a wrong date of birth: the screen locks (patient mode ends, nobody
        is signed in, the consult kept as a draft). Whoever typed it, it never opens a
        signed-in staff view: staff sign in again, then check the details with the
        patient."""
        self.leave_patient_mode()
        self._sign_out("dob_mismatch", PATIENT)

    def leave_patient_mode(self, member: StaffMember | None = None) -> bool:
        """Back to the injector's view (``member``: who entered their PIN, if anyone).
        False, and nothing done, unless in patient mode."""
        if self.mode != PATIENT:
            return False
        self.mode = INJECTOR
        self.service.log("patient_mode.ended", actor=member.display_name if member else None,
                         details={"consent_id": self.consent.id})
        return True
