"""Patient mode's rules without a window (issue 13, defects 2-4): a complete plan before the
hand-over, the patient's own ticks and answered questions before their signature, nothing
signed cleared without saying why, and who ticked each item, kept and printed."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from pypdf import PdfReader

from app.clinic.details import Clinic
from app.clinic.staff import StaffDirectory, StaffMember
from app.consult import draft
from app.consult.consent import Consent, PlannedArea, TreatmentPlan
from app.consult.demo import DEMO_INJECTOR, DEMO_PATIENT, build_demo_consent, demo_strokes
from app.consult.patient_rules import (
    BY_PATIENT,
    BY_STAFF,
    QUESTION_FIRST,
    cleared_for_patient,
    cleared_notice,
    patient_may_change,
)
from app.consult.session import NO_PATIENT, NOT_READY, ConsultSession, HandOverRefused
from app.consult.signature_image import strokes_to_png
from app.document.finalize import render_pdf
from app.runtime.service import Glabella
from tests.conftest import fixed_clock


@pytest.fixture
def member(service: Glabella) -> StaffMember:
    return StaffDirectory(service.store).add("Jane Doe", "RN", "Nurse injector", "482916",
                                             is_admin=True)


@pytest.fixture
def session(service: Glabella, member: StaffMember) -> ConsultSession:
    made = ConsultSession(service, StaffDirectory(service.store), remember_injector=lambda _: None)
    made.sign_in(member)
    return made


def planned(session: ConsultSession) -> Consent:
    """The patient's details and a plan: what a hand-over needs, nothing more."""
    consent = session.consent
    consent.set_patient(DEMO_PATIENT)
    consent.set_injector(DEMO_INJECTOR)
    consent.set_plan(TreatmentPlan("product.botox-cosmetic", [PlannedArea("area.glabellar", 20)]))
    return consent


def sign(consent: Consent, pack, role: str = "patient") -> None:
    strokes = demo_strokes(0)
    consent.sign(pack, role, "Zoë Ñúñez-Łukasz", strokes_to_png(strokes), strokes, fixed_clock)


def tick_all(session: ConsultSession) -> None:
    by, name = session.ticked_by()
    for item in session.consent.required_items(session.service.pack):
        session.consent.acknowledge(item, fixed_clock, by=by, staff_name=name)


# -- defect 2: the hand-over and the signature ----------------------------------------------

def test_hand_over_needs_a_complete_plan_and_says_what_is_missing(session) -> None:
    with pytest.raises(HandOverRefused) as nobody:
        session.enter_patient_mode()
    assert nobody.value.reason == NO_PATIENT
    session.consent.set_patient(DEMO_PATIENT)
    session.consent.set_injector(DEMO_INJECTOR)
    # a patient but no product: today's code handed over anyway
    with pytest.raises(HandOverRefused) as refused:
        session.enter_patient_mode()
    assert refused.value.reason == NOT_READY and session.mode == "injector"
    assert [(m.step, m.message) for m in refused.value.missing] == [
        ("plan", "No product chosen in the treatment plan."),
        ("plan", "No treatment area chosen.")]
    planned(session)
    assert session.hand_over_problem() is None  # screening, ticks, signatures may follow
    session.enter_patient_mode()
    assert session.mode == "patient"


def test_in_patient_mode_the_pad_opens_only_when_the_patient_ticked_everything(session
                                                                                ) -> None:
    pack = session.service.pack
    consent = planned(session)
    session.enter_patient_mode()
    left = session.before_patient_signs()
    # handed over and straight to "Sign": refused, with everything still to tick
    assert not left.ready
    assert [i.item_id for i in left.to_tick] == [i.item_id for i in consent.required_items(pack)]
    tick_all(session)
    assert session.before_patient_signs().ready
    assert {a.by for a in consent.acknowledgements.values()} == {BY_PATIENT}


def test_items_staff_read_aloud_do_not_count_as_ticked_by_the_patient(session, member
                                                                      ) -> None:
    pack = session.service.pack
    consent = planned(session)
    tick_all(session)  # in the staff view: read aloud, by the signed-in staff member
    ack = next(iter(consent.acknowledgements.values()))
    assert (ack.by, ack.staff_name) == (BY_STAFF, member.display_name) == (BY_STAFF,
                                                                          "Jane Doe, RN")
    assert consent.missing(pack)[0].step != "risks"  # enough for a consult read aloud
    session.enter_patient_mode()
    left = session.before_patient_signs()
    assert len(left.to_tick) == len(consent.required_items(pack))
    first = consent.required_items(pack)[0]
    by, _name = session.ticked_by()
    consent.acknowledge(first, fixed_clock, by=by)  # the patient ticks it themselves
    assert consent.acknowledgements[first.item_id].by == BY_PATIENT
    assert consent.acknowledgements[first.item_id].staff_name == ""
    assert first not in session.before_patient_signs().to_tick


# -- defect 3: questions first, and nothing cleared without saying why ------------------------

def test_a_raised_question_goes_to_staff_before_the_patient_signs(session, member) -> None:
    pack = session.service.pack
    consent = planned(session)
    session.enter_patient_mode()
    tick_all(session)
    asked = pack.risks[2].id
    consent.ask_question(asked, fixed_clock)
    left = session.before_patient_signs()
    assert [i.item_id for i in left.questions] == [asked] and not left.ready
    assert QUESTION_FIRST.startswith("Your injector will answer your question first")
    session.leave_patient_mode(member)
    consent.answer_question(asked, "Rare, and it wears off in weeks.")
    session.enter_patient_mode()
    assert session.before_patient_signs().ready
    sign(consent, pack)
    assert "patient" in consent.signatures and consent.cleared == {}  # signed once


def test_a_change_that_clears_signatures_says_whose_and_why(session, member) -> None:
    pack = session.service.pack
    consent = planned(session)
    tick_all(session)
    sign(consent, pack, "patient")
    sign(consent, pack, "injector")
    assert cleared_notice(consent, pack) == ""
    consent.set_plan(TreatmentPlan("product.botox-cosmetic", [PlannedArea("area.glabellar", 24)]))
    assert consent.signatures == {}
    assert consent.cleared == {"patient": "the treatment plan changed",
                               "injector": "the treatment plan changed"}
    notice = cleared_notice(consent, pack)
    assert notice.startswith("Signatures cleared: Patient and Injector, because the treatment "
                             "plan changed.")
    assert "the patient is told why" in notice
    assert cleared_for_patient(consent) == (
        "Your signature was cleared because the treatment plan changed after you signed. "
        "Please check your consent again, then sign again.")
    sign(consent, pack, "patient")  # signing again settles it for that role
    assert "patient" not in consent.cleared and cleared_for_patient(consent) == ""
    assert cleared_notice(consent, pack).startswith("Signature cleared: Injector")


def test_once_the_patient_signed_their_ticks_and_questions_are_closed(session) -> None:
    pack = session.service.pack
    consent = planned(session)
    session.enter_patient_mode()
    tick_all(session)
    assert patient_may_change(consent)
    sign(consent, pack)
    assert not patient_may_change(consent)


# -- defect 4: who ticked each item, kept and printed ------------------------------------------

def test_who_ticked_is_kept_in_the_draft_and_the_finalized_row(session, service, member
                                                               ) -> None:
    pack = service.pack
    consent = build_demo_consent(pack, fixed_clock)
    staff_item, patient_item = consent.required_items(pack)[:2]
    consent.acknowledge(staff_item, fixed_clock, by=BY_STAFF, staff_name=member.display_name)
    for role in ("patient", "injector"):
        strokes = demo_strokes(0)
        consent.sign(pack, role, "Someone", strokes_to_png(strokes), strokes, fixed_clock)
    loaded = draft.from_json(draft.to_json(consent))
    assert loaded.acknowledgements == consent.acknowledgements
    session.start(consent)
    result = session.finalize()
    rows = {r["item_id"]: r for r in service.store.acknowledgements(result.consent_id)}
    assert (rows[staff_item.item_id]["acknowledged_by"],
            rows[staff_item.item_id]["read_aloud_by"]) == ("staff", "Jane Doe, RN")
    assert (rows[patient_item.item_id]["acknowledged_by"],
            rows[patient_item.item_id]["read_aloud_by"]) == ("patient", None)
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(BytesIO(service.store.get_pdf(result.consent_id))).pages)
    assert ("✓ Read aloud by Jane Doe, RN, with the patient at 23 Nov 2026, 14:05 "
            "(UTC+01:00); the patient said they understand") in text
    assert "✓ Ticked by the patient on screen at 23 Nov 2026, 14:05 (UTC+01:00)" in text
    assert "Acknowledged by tick" not in text
    assert "the line under each says who ticked it and when" in text


def test_a_record_without_who_ticked_prints_the_old_words(pack) -> None:
    """A consent stored before: its acknowledgements have no "by" in the JSON."""
    consent = build_demo_consent(pack, fixed_clock)
    data = draft.to_dict(consent)
    for ack in data["acknowledgements"].values():
        del ack["by"], ack["staff_name"]
    legacy = draft.from_json(json.dumps(data))
    assert {a.by for a in legacy.acknowledgements.values()} == {""}
    legacy.finalized_at = fixed_clock()
    pdf = render_pdf(legacy, pack, Clinic.demo())
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    assert "✓ Acknowledged by tick at 23 Nov 2026, 14:05 (UTC+01:00)" in text
    assert "The patient read and acknowledged each risk one by one." in text
    assert "Ticked by" not in text and "Read aloud" not in text


def test_a_draft_with_an_unknown_ticker_is_refused(pack) -> None:
    data = draft.to_dict(build_demo_consent(pack, fixed_clock))
    first = next(iter(data["acknowledgements"]))
    data["acknowledgements"][first]["by"] = "robot"
    with pytest.raises(draft.DraftError, match=r"\.by must be 'patient' or 'staff'"):
        draft.from_dict(data)
