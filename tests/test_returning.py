"""Returning patients on a real database: consents finalized in the test's data folder, then
found as a name is typed, their last visit read back, namesakes caught."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.consult.consent import PlannedArea, TreatmentPlan
from app.consult.demo import DEMO_PATIENT, build_demo_consent
from app.consult.patient import Patient
from app.consult.returning import (
    ReturningPatients,
    as_patient,
    is_on_record,
    last_visit,
    namesake,
    starting_plan,
    suggestions,
)
from app.runtime.service import Glabella
from tests.conftest import FIXED_NOW
from tests.test_amendments import sign_all

PATIENT = replace(DEMO_PATIENT, id="patient-zoe")
OTHER = Patient("Ana Núñez", date(1975, 9, 2), id="patient-ana")
FIRST = FIXED_NOW - timedelta(days=180)  # 27 May 2026
LAST = FIXED_NOW - timedelta(days=81)  # 3 Sep 2026
LAST_PLAN = TreatmentPlan("product.botox-cosmetic", [PlannedArea("area.glabellar", 18.0),
                                                     PlannedArea("area.lateral-canthal", None)],
                          lot_number="OLD-LOT", expiry=date(2026, 12, 1), notes="Tired look")


def flag_question(pack) -> str:
    return next(q.id for q in pack.screening if not q.is_hard_stop)


def visit(service: Glabella, now: list, when, patient: Patient,
          plan: TreatmentPlan | None = None, yes: str = "") -> str:
    now[0] = when
    consent = build_demo_consent(service.pack, service.clock, patient)
    if plan is not None:
        consent.set_plan(plan)
    if yes:
        consent.answer(yes, "yes", "Slight droop after the last one")
    sign_all(service, consent)
    return service.finalize(consent).consent_id


@pytest.fixture(scope="module")
def clinic_dir(pack, tmp_path_factory) -> Path:
    """Zoë came twice (the last time with another plan and one "yes"); Ana once."""
    data = tmp_path_factory.mktemp("returning") / "data"
    now = [FIRST]
    service = Glabella.open(data, clock=lambda: now[0])
    try:
        visit(service, now, FIRST, PATIENT)
        visit(service, now, FIRST + timedelta(hours=1), OTHER)
        visit(service, now, LAST, PATIENT, LAST_PLAN, flag_question(pack))
    finally:
        service.close()
    return data


@dataclass
class Clinic:
    service: Glabella
    now: list


@pytest.fixture
def clinic(clinic_dir, tmp_path) -> Iterator[Clinic]:
    data = tmp_path / "data"
    shutil.copytree(clinic_dir, data)
    now = [FIXED_NOW]
    service = Glabella.open(data, clock=lambda: now[0])
    yield Clinic(service, now)
    service.close()


def test_typed_names_find_the_patient_without_regard_to_accents_or_case(clinic):
    store = clinic.service.store
    for typed in ("nunez", "NÚÑEZ", "zoe", "lukasz", "Zoë Ñú", "nunez 1988"):
        assert PATIENT.id in [m.id for m in suggestions(store, typed)], typed
    assert [m.id for m in suggestions(store, "ana nu")] == [OTHER.id]
    assert {m.id for m in suggestions(store, "nunez")} == {PATIENT.id, OTHER.id}


def test_a_date_of_birth_alone_finds_the_patient(clinic):
    found = suggestions(clinic.service.store, "", date(1988, 4, 17))
    assert [(m.id, m.consents) for m in found] == [(PATIENT.id, 2)]
    assert suggestions(clinic.service.store, "ana", date(1988, 4, 17)) == []


def test_too_little_typed_or_half_a_date_suggests_nothing(clinic):
    store = clinic.service.store
    assert suggestions(store, "") == suggestions(store, "n") == []
    assert suggestions(store, "nunez 03/04/1988") == []  # refused by the search, not raised
    assert suggestions(store, "nobody") == []


def test_the_patient_already_chosen_is_not_suggested_again(clinic):
    found = suggestions(clinic.service.store, "nunez", exclude=PATIENT.id)
    assert [m.id for m in found] == [OTHER.id]


def test_a_picked_match_is_the_same_patient_with_the_same_id(clinic):
    match = suggestions(clinic.service.store, "zoe")[0]
    assert as_patient(match) == PATIENT
    assert is_on_record(clinic.service.store, as_patient(match))
    assert not is_on_record(clinic.service.store, replace(PATIENT, id="new-one"))
    assert not is_on_record(clinic.service.store, None)


def test_the_last_visit_is_the_newest_consent_with_its_plan_and_answers(clinic, pack):
    visit_ = last_visit(clinic.service.store, PATIENT.id)
    assert visit_ is not None
    assert visit_.on == date(2026, 9, 3) and visit_.day == "3 Sep 2026"
    assert visit_.plan.product_id == "product.botox-cosmetic"
    assert visit_.plan.areas == LAST_PLAN.areas
    flag = flag_question(pack)
    assert visit_.answer_text(flag) == "Last visit (3 Sep 2026): Yes"
    others = [q.id for q in pack.screening if q.id != flag]
    assert visit_.answer_text(others[0]) == "Last visit (3 Sep 2026): No"
    assert visit_.answer_text("question.not-in-any-pack") == ""


def test_a_patient_without_visits_or_not_on_record_has_no_last_visit(clinic):
    assert last_visit(clinic.service.store, "no-such-patient") is None
    assert ReturningPatients(clinic.service.store).last_visit(replace(PATIENT, id="")) is None


def test_the_plan_starts_from_the_last_visit_but_never_its_vial(clinic, pack):
    visit_ = last_visit(clinic.service.store, PATIENT.id)
    plan = starting_plan(visit_, pack)
    assert plan == TreatmentPlan("product.botox-cosmetic", LAST_PLAN.areas)
    assert (plan.lot_number, plan.expiry, plan.notes) == ("", None, "")
    assert all(visit_.same_area(a) for a in plan.areas)
    assert not visit_.same_area(PlannedArea("area.glabellar", 20.0))
    gone = replace(visit_, plan=replace(visit_.plan, product_id="product.withdrawn"))
    assert starting_plan(gone, pack) == TreatmentPlan()


def test_a_withdrawn_last_visit_is_not_the_one_started_from(clinic):
    service = clinic.service
    newest = last_visit(service.store, PATIENT.id)
    withdrawal = service.start_withdrawal(newest.consent_id, "She decided not to go ahead.")
    sign_all(service, withdrawal)
    service.finalize(withdrawal)
    fallback = last_visit(service.store, PATIENT.id)
    assert fallback is not None and fallback.on == FIRST.date()
    assert fallback.consent_id != newest.consent_id


def test_an_amended_last_visit_is_read_from_its_amendment(clinic):
    service = clinic.service
    newest = last_visit(service.store, PATIENT.id)
    amendment = service.start_amendment(newest.consent_id, "Units were 16, not 18.")
    amendment.set_plan(replace(amendment.plan, areas=[PlannedArea("area.glabellar", 16.0)]))
    sign_all(service, amendment)
    amended = service.finalize(amendment).consent_id
    read = last_visit(service.store, PATIENT.id)
    assert read.consent_id == amended and read.plan.areas == [PlannedArea("area.glabellar", 16.0)]


def test_last_visits_are_read_again_for_a_new_consult(clinic):
    visits = clinic.service.records.returning()  # what the window holds
    assert visits.last_visit(PATIENT).on == date(2026, 9, 3)
    clinic.now[0] = FIXED_NOW
    visit(clinic.service, clinic.now, FIXED_NOW, PATIENT)
    assert visits.last_visit(PATIENT).on == date(2026, 9, 3)  # kept while this consult lasts
    visits.forget()
    assert visits.last_visit(PATIENT).on == FIXED_NOW.date()


def test_same_name_and_birth_date_typed_as_new_is_caught(clinic):
    store = clinic.service.store
    typed = Patient("ZOE nunez-lukasz", date(1988, 4, 17), id="typed-as-new")
    assert namesake(store, typed).id == PATIENT.id
    assert namesake(store, PATIENT) is None  # the record itself is no namesake
    assert namesake(store, replace(typed, date_of_birth=date(1988, 4, 18))) is None
    assert namesake(store, replace(typed, full_name="Zoë Núñez")) is None


def test_the_window_asks_the_service_records_the_same_questions(clinic):
    returning = clinic.service.records.returning()
    assert isinstance(returning, ReturningPatients)
    assert [m.id for m in returning.suggestions("ana nu")] == [OTHER.id]
    typed = Patient("zoe nunez-lukasz", date(1988, 4, 17), id="typed-as-new")
    assert returning.namesake(typed).id == PATIENT.id
    assert returning.is_on_record(PATIENT) and not returning.is_on_record(typed)
