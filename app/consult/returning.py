"""Returning patients: finding them as their name is typed, what their last visit was, and
the plan that starts from it.

Most toxin patients come back every three to four months. The clinic finds them by name or
date of birth (accent-insensitive, as the records search does), keeps their patient id so
every visit lands on the same record, and starts the plan from the last visit's product,
areas and units. Screening is never carried over: it is asked again at every visit, with
last visit's answer shown beside each question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from app.consult import draft
from app.consult.consent import Answer, PlannedArea, TreatmentPlan
from app.consult.content import ContentPack
from app.consult.patient import Patient
from app.records.search import PatientMatch, RecordsQueryError, patient_history, search_patients
from db.errors import RecordNotFoundError
from db.folding import fold

if TYPE_CHECKING:
    from db import Store

SUGGESTIONS = 5  # rows under the name field: enough to tell namesakes apart, no scrolling
_MIN_LETTERS = 2  # one letter matches half the clinic


@dataclass(frozen=True)
class LastVisit:
    """The newest standing consent of a patient: when, the plan, the screening answers."""

    consent_id: str
    on: date  # the clinic's local date of finalizing
    plan: TreatmentPlan
    answers: dict[str, Answer] = field(default_factory=dict)

    @property
    def day(self) -> str:
        """The date as people say it: "3 Sep 2026"."""
        return f"{self.on.day} {self.on:%b %Y}"

    def answer_text(self, question_id: str) -> str:
        """"Last visit (3 Sep 2026): No", or "" when that question was not asked then."""
        answer = self.answers.get(question_id)
        return f"Last visit ({self.day}): {answer.capitalize()}" if answer else ""

    def same_area(self, planned: PlannedArea) -> bool:
        """Whether this area, with these units, is as it was last time."""
        return any(a.area_id == planned.area_id and a.units == planned.units
                   for a in self.plan.areas)


def suggestions(store: Store, name: str, date_of_birth: date | None = None,
                exclude: str = "") -> list[PatientMatch]:
    """Patients matching what is typed so far: the name's words (partial, accents ignored)
    and the date of birth when one is given; never ``exclude`` (the patient already chosen).
    Nothing is suggested for fewer than two letters and no date."""
    letters = sum(ch.isalpha() for ch in name)
    if letters < _MIN_LETTERS and date_of_birth is None:
        return []
    try:
        found = search_patients(store, name if letters >= _MIN_LETTERS else "",
                                date_of_birth.isoformat() if date_of_birth else None,
                                limit=SUGGESTIONS + 1)
    except RecordsQueryError:
        return []  # half a date typed into the name: nothing to suggest yet
    return [m for m in found if m.id != exclude][:SUGGESTIONS]


def as_patient(match: PatientMatch) -> Patient:
    """The patient as the records hold them, with their id."""
    return Patient(match.full_name, date.fromisoformat(match.date_of_birth),
                   match.phone or "", match.email or "", match.id)


def namesake(store: Store, patient: Patient) -> PatientMatch | None:
    """Another patient on record with the same name (accents and case aside) and date of
    birth: creating this one as new would split one person's records in two."""
    for match in search_patients(store, patient.full_name, patient.date_of_birth.isoformat(),
                                 limit=50):
        if match.id != patient.id and fold(match.full_name) == fold(patient.full_name):
            return match
    return None


def is_on_record(store: Store, patient: Patient | None) -> bool:
    """Whether the consult's patient is one the clinic already has."""
    if patient is None or not patient.id:
        return False
    try:
        store.get_patient(patient.id)
    except RecordNotFoundError:
        return False
    return True


def last_visit(store: Store, patient_id: str) -> LastVisit | None:
    """The patient's newest consent that still stands (not amended since, not withdrawn),
    or None for a patient with none (or not on record yet)."""
    try:
        history = patient_history(store, patient_id)
    except RecordNotFoundError:
        return None
    for summary in history:
        if summary.status != "signed" or summary.kind == "withdrawal":
            continue
        consent = draft.from_json(store.get_consent(summary.id)["consent_json"])
        return LastVisit(summary.id, datetime.fromisoformat(summary.finalized_at).date(),
                         consent.plan,
                         {qid: a.answer for qid, a in consent.screening.items()})
    return None


def starting_plan(visit: LastVisit, pack: ContentPack) -> TreatmentPlan:
    """The last visit's product, areas and units, as far as today's pack still offers
    them; the vial's lot and expiry are new at every visit, so they start empty."""
    product = pack.product(visit.plan.product_id)
    if product is None:
        return TreatmentPlan()
    known = {a.id for a in pack.areas}
    return TreatmentPlan(product.id, [PlannedArea(a.area_id, a.units)
                                      for a in visit.plan.areas if a.area_id in known])


class ReturningPatients:
    """What the consult's steps ask about patients seen before (``Glabella.records
    .returning()``): the window holds this, never the store. A last visit found is kept
    until ``forget``; a patient without one may get one when this consult is finalized."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._visits: dict[str, LastVisit] = {}

    def suggestions(self, name: str, date_of_birth: date | None = None,
                    exclude: str = "") -> list[PatientMatch]:
        return suggestions(self._store, name, date_of_birth, exclude)

    def namesake(self, patient: Patient) -> PatientMatch | None:
        return namesake(self._store, patient)

    def is_on_record(self, patient: Patient | None) -> bool:
        return is_on_record(self._store, patient)

    def last_visit(self, patient: Patient | None) -> LastVisit | None:
        if patient is None or not patient.id:
            return None
        if patient.id not in self._visits:
            visit = last_visit(self._store, patient.id)
            if visit is None:
                return None
            self._visits[patient.id] = visit
        return self._visits[patient.id]

    def forget(self) -> None:
        """A new consult: the next lookup reads the records again (a visit may have been
        amended or withdrawn since)."""
        self._visits.clear()
