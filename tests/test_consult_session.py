"""The consult session without any window: a real service on a temporary data folder, a
real staff member, and the audit rows and draft files it really writes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.clinic.staff import StaffDirectory, StaffMember
from app.consult.consent import PlannedArea, TreatmentPlan
from app.consult.demo import DEMO_PATIENT, build_demo_consent
from app.consult.patient import Injector
from app.consult.progress import FINALIZED_REASON, READY_REASON
from app.consult.session import (
    FINALIZED,
    INJECTOR,
    NO_PATIENT,
    NOT_STAFF_VIEW,
    PATIENT,
    SIGNED_OUT,
    ConsultSession,
    HandOverRefused,
)
from app.runtime.service import Glabella
from tests.conftest import fixed_clock

STEPS = ["patient", "screening", "plan", "faq", "risks", "review", "signatures", "done"]


@pytest.fixture
def directory(service: Glabella) -> StaffDirectory:
    return StaffDirectory(service.store)


@pytest.fixture
def member(directory: StaffDirectory) -> StaffMember:
    return directory.add("Dana Whitfield", "RN", "Nurse injector", "482916", is_admin=True)


@pytest.fixture
def remembered() -> list[Injector]:
    return []


@pytest.fixture
def session(service: Glabella, directory: StaffDirectory,
            remembered: list[Injector]) -> ConsultSession:
    return ConsultSession(service, directory, remember_injector=remembered.append)


def events(service: Glabella, name: str) -> list[dict]:
    return [e for e in service.store.audit_events() if e["event"] == name]


def signed_in_with_patient(session: ConsultSession, member: StaffMember) -> ConsultSession:
    """Signed in, with what a hand-over needs: the patient, the injector and a plan."""
    session.sign_in(member)
    session.consent.set_patient(DEMO_PATIENT)
    session.consent.set_injector(member.as_injector())
    session.consent.set_plan(TreatmentPlan("product.botox-cosmetic",
                                           [PlannedArea("area.glabellar", 20)]))
    return session


def test_sign_in_logs_the_staff_id(session, service, member) -> None:
    assert session.mode == SIGNED_OUT and session.staff is None
    session.sign_in(member)
    assert session.mode == INJECTOR and session.staff == member
    assert session.last_staff_id == member.id
    [row] = events(service, "staff.signed_in")
    assert row["actor"] == member.display_name
    assert row["details"] == {"staff_id": member.id}


def test_lock_keeps_a_draft_and_logs_its_path(session, service, member) -> None:
    signed_in_with_patient(session, member)
    assert session.lock("by hand")
    assert session.mode == SIGNED_OUT and session.staff is None
    assert session.last_staff_id == member.id  # the sign-in screen preselects them
    [row] = events(service, "staff.locked")
    assert row["actor"] == member.display_name
    assert row["details"] == {"reason": "by hand", "mode": "injector",
                              "consent_id": session.consent.id,
                              "draft": str(service.draft_path(session.consent))}
    assert Path(row["details"]["draft"]).is_file()
    assert session.unfinished()  # still in memory for whoever signs in next


def test_lock_does_nothing_unless_in_the_injectors_view(session, service) -> None:
    assert not session.lock("idle")
    assert events(service, "staff.locked") == []


def test_nothing_entered_keeps_no_draft(session, service, member) -> None:
    session.sign_in(member)
    assert session.keep_draft() == ""
    assert session.lock("idle")
    [row] = events(service, "staff.locked")
    assert row["details"]["draft"] == ""
    assert not service.draft_path(session.consent).exists()


def test_hand_over_is_refused_without_a_patient(session, service, member) -> None:
    with pytest.raises(HandOverRefused) as signed_out:
        session.enter_patient_mode()
    assert signed_out.value.reason == NOT_STAFF_VIEW and session.mode == SIGNED_OUT
    session.sign_in(member)
    assert session.hand_over_problem() == NO_PATIENT
    with pytest.raises(HandOverRefused) as refused:
        session.enter_patient_mode()
    assert refused.value.reason == NO_PATIENT and session.mode == INJECTOR
    assert events(service, "patient_mode.started") == []


def test_hand_over_is_refused_once_finalized(session, service, member, remembered) -> None:
    session.sign_in(member)
    session.start(build_demo_consent(service.pack, fixed_clock))
    result = session.finalize()
    assert session.result is result and session.finalized
    assert remembered == [session.consent.injector]  # for the next consult's patient page
    assert service.store.get_consent(result.consent_id) is not None
    with pytest.raises(HandOverRefused) as refused:
        session.enter_patient_mode()
    assert refused.value.reason == FINALIZED and session.mode == INJECTOR
    assert events(service, "patient_mode.started") == []


def test_patient_mode_started_and_ended_are_logged(session, service, member) -> None:
    signed_in_with_patient(session, member)
    session.enter_patient_mode()
    assert session.mode == PATIENT
    [started] = events(service, "patient_mode.started")
    assert started["actor"] == member.display_name
    assert started["details"] == {"consent_id": session.consent.id}
    assert session.leave_patient_mode(member)
    assert session.mode == INJECTOR
    [ended] = events(service, "patient_mode.ended")
    assert ended["actor"] == member.display_name
    assert ended["details"] == {"consent_id": session.consent.id}
    assert not session.leave_patient_mode(member)  # not in patient mode: nothing more
    assert len(events(service, "patient_mode.ended")) == 1


def test_matching_date_of_birth_is_confirmed(session, service, member) -> None:
    signed_in_with_patient(session, member)
    session.enter_patient_mode()
    assert session.check_dob(DEMO_PATIENT.date_of_birth)
    assert session.mode == PATIENT
    [row] = events(service, "patient_mode.dob_confirmed")
    assert row["actor"] is None and row["details"] == {"consent_id": session.consent.id}
    assert events(service, "patient_mode.dob_mismatch") == []


def test_wrong_date_of_birth_locks_the_screen(session, service, member) -> None:
    signed_in_with_patient(session, member)
    session.enter_patient_mode()
    assert not session.check_dob(date(1988, 4, 18))
    # never a signed-in staff view: signed out, the consult kept as a draft
    assert session.mode == SIGNED_OUT and session.staff is None
    assert service.draft_path(session.consent).exists()
    names = [e["event"] for e in service.store.audit_events()]
    assert names[-3:] == ["patient_mode.dob_mismatch", "patient_mode.ended", "staff.locked"]
    [locked] = events(service, "staff.locked")
    assert locked["details"]["reason"] == "dob_mismatch"
    assert locked["details"]["mode"] == PATIENT
    [ended] = events(service, "patient_mode.ended")
    assert ended["actor"] is None  # nobody entered a PIN
    assert events(service, "patient_mode.dob_confirmed") == []


def test_idle_lock_in_patient_mode_keeps_the_draft(session, service, member) -> None:
    signed_in_with_patient(session, member)
    session.enter_patient_mode()
    kept = session.lock_patient_screen()
    assert Path(kept).is_file() and session.mode == PATIENT
    [row] = events(service, "staff.locked")
    assert row["actor"] is None
    assert row["details"] == {"reason": "idle", "mode": "patient",
                              "consent_id": session.consent.id, "draft": kept}
    assert not session.unlock(member, to_staff=False) and session.mode == PATIENT
    assert session.unlock(member, to_staff=True) and session.mode == INJECTOR


def test_leaving_the_window_in_patient_mode_locks_with_its_reason(session, service, member
                                                                  ) -> None:
    signed_in_with_patient(session, member)
    session.enter_patient_mode()
    kept = session.lock_patient_screen("focus_lost")
    assert Path(kept).is_file() and session.mode == PATIENT
    [row] = events(service, "staff.locked")
    assert row["details"]["reason"] == "focus_lost" and row["details"]["mode"] == "patient"


def test_idle_minutes_follow_the_mode(session, member) -> None:
    assert session.idle_minutes() == 5  # signed out: the app's time
    assert (session.idle_minutes(INJECTOR), session.idle_minutes(PATIENT)) == (5, 3)


def test_an_empty_consult_has_everything_still_needed(session) -> None:
    progress = session.progress(STEPS, reviewed=False)
    assert progress.missing and not progress.can_finalize and not progress.finalized
    assert progress.marks["faq"] == progress.marks["review"] == "optional"
    assert progress.marks["done"] == "optional"
    assert {progress.marks[s] for s in ("patient", "risks", "signatures")} == {"missing"}
    count = len(progress.missing)
    assert progress.reason == (f"Finalize becomes available when nothing is still needed "
                               f"({count} item{'s' if count != 1 else ''} left).")


def test_a_complete_consult_can_be_finalized(session, service, member) -> None:
    session.sign_in(member)
    session.start(build_demo_consent(service.pack, fixed_clock))
    progress = session.progress(STEPS, reviewed=False)
    assert progress.missing == [] and progress.can_finalize
    assert progress.reason == READY_REASON
    assert all(progress.marks[s] == "complete" for s in STEPS if s not in ("review", "done"))
    assert progress.marks["review"] == "optional"
    assert session.progress(STEPS, reviewed=True).marks["review"] == "complete"
    session.finalize()
    after = session.progress(STEPS, reviewed=False)
    assert after.finalized and not after.can_finalize and after.reason == FINALIZED_REASON
    assert after.marks["done"] == after.marks["review"] == "complete"


def test_a_new_consult_replaces_the_finalized_one(session, service, member) -> None:
    session.sign_in(member)
    session.start(build_demo_consent(service.pack, fixed_clock))
    session.finalize()
    finalized_id = session.consent.id
    fresh = session.new_consult()
    assert session.consent is fresh and fresh.id != finalized_id
    assert session.result is None and not session.has_input()
