"""Re-consent over stored records: the rule reads them, a treatment-day confirmation is
stored linked to its full consent, re-renders to the same bytes, verifies, is listed with
its kind and exports (CSV, FHIR)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.clinic.settings import RECONSENT_MONTHS, ClinicSettings, reconsent_months
from app.consult.consent import Consent, PlannedArea, TreatmentPlan
from app.consult.demo import DEMO_INJECTOR, DEMO_PATIENT, build_demo_consent, demo_strokes
from app.consult.reconsent import ConfirmationError
from app.consult.signature_image import strokes_to_png
from app.document.finalize import build_record
from app.records.export_csv import export_register
from app.records.export_fhir import build_bundle, validate_bundle
from app.runtime.service import Glabella
from db.errors import ImmutableRecordError
from db.reconsent import confirmed_consent, last_full_consent
from tests import db_keys
from tests.conftest import CLINIC_TZ

FULL_AT = datetime(2026, 9, 3, 10, 0, tzinfo=CLINIC_TZ)
VISIT_AT = datetime(2026, 12, 1, 9, 30, tzinfo=CLINIC_TZ)


def pdf_text(pdf: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)


def visit(service: Glabella, patient_id: str, product_index: int = 0) -> Consent:
    """Today's consult for the returning patient: the rule applied, then completed."""
    consent = service.new_consent()
    consent.set_patient(replace(DEMO_PATIENT, id=patient_id))
    consent.set_injector(DEMO_INJECTOR)
    product = service.pack.products[product_index]
    area = next(a.area for a in product.approvals if not a.with_areas)
    consent.set_plan(TreatmentPlan(product.id, [PlannedArea(area, 16.0)], lot_number="C77"))
    service.reconsent(consent)
    for question in service.pack.screening:
        consent.answer(question.id, "no")
    for item in consent.required_items(service.pack):
        consent.acknowledge(item, service.clock)
    for n, role in enumerate(r for r in consent.signature_roles(service.pack) if r.required):
        name = DEMO_PATIENT.full_name if role.id == "patient" else DEMO_INJECTOR.display_name
        consent.sign(service.pack, role.id, name, strokes_to_png(demo_strokes(n)),
                     demo_strokes(n), service.clock)
    return consent


@dataclass
class Clinic:
    service: Glabella
    now: list[datetime]
    full_id: str
    patient_id: str
    confirmation_id: str
    confirmation_pdf: bytes


@pytest.fixture(scope="module")
def clinic(tmp_path_factory) -> Iterator[Clinic]:
    """A full consent on 3 Sep 2026, then a confirmation on 1 Dec 2026 (6 months valid)."""
    now = [FULL_AT]
    service = Glabella.open(tmp_path_factory.mktemp("reconsent") / "data",
                            clock=lambda: now[0])
    try:
        service.store.set_setting(RECONSENT_MONTHS, "6")
        full = service.finalize(build_demo_consent(service.pack, service.clock))
        patient_id = service.store.get_consent(full.consent_id)["patient_id"]
        now[0] = VISIT_AT
        consent = visit(service, patient_id)
        assert consent.kind == "confirmation"
        result = service.finalize(consent)
        yield Clinic(service, now, full.consent_id, patient_id, result.consent_id, result.pdf)
    finally:
        service.close()


def test_the_confirmation_is_stored_linked_to_its_full_consent(clinic):
    store = clinic.service.store
    assert confirmed_consent(store, clinic.confirmation_id) == clinic.full_id
    assert confirmed_consent(store, clinic.full_id) is None
    # the full consent stays the one on file: a confirmation never replaces it
    assert last_full_consent(store, clinic.patient_id)["id"] == clinic.full_id
    [event] = [e for e in store.audit_events(clinic.confirmation_id)
               if e["event"] == "consent.confirmation"]
    assert event["details"] == {"full_consent_id": clinic.full_id}
    acks = store.acknowledgements(clinic.confirmation_id)
    assert [a["item_id"] for a in acks] == ["reconsent.reminder"]
    assert len(store.screening_answers(clinic.confirmation_id)) == len(
        clinic.service.pack.screening)


def test_the_link_is_frozen_once_signed(clinic):
    with pytest.raises(ImmutableRecordError, match="signed consent cannot be"):
        clinic.service.store.execute("DELETE FROM consent_confirmations")
    with pytest.raises(ImmutableRecordError, match="signed consent cannot be"):
        clinic.service.store.execute("UPDATE consent_confirmations SET full_consent_id = ?",
                                     [clinic.confirmation_id])


def test_the_pdf_names_the_full_consent_and_skips_the_checklist(clinic):
    text = " ".join(pdf_text(clinic.confirmation_pdf).split())
    assert "Treatment-day confirmation of consent to botulinum-toxin treatment" in text
    assert (f"Treatment-day confirmation of full consent {clinic.full_id[:8]} signed "
            f"3 Sep 2026, 10:00 (UTC+01:00)") in text
    assert f"Relies on full consent: {clinic.full_id}, signed 3 Sep 2026" in text
    assert "A reminder of the risks you agreed to" in text
    assert "Screening" in text and "Signatures" in text and "Aftercare" in text
    # the full checklist, the FAQ and the alternatives are the full consent's
    for absent in ("Realistic expectations", "FAQ topics reviewed", "Alternatives",
                   "Off-label disclosure"):
        assert absent not in text


def test_the_confirmation_rerenders_and_verifies(clinic):
    assert clinic.service.rerender(clinic.confirmation_id).match
    report = clinic.service.verify_pdf(clinic.confirmation_pdf)
    assert report.intact and report.known


def test_the_records_list_shows_the_kind(clinic):
    rows = {c.id: c for c in clinic.service.records.patient_history(clinic.patient_id)}
    assert rows[clinic.confirmation_id].kind == "confirmation"
    assert rows[clinic.confirmation_id].amends == clinic.full_id
    assert (rows[clinic.full_id].kind, rows[clinic.full_id].status) == ("consent", "signed")
    from app.records.view_model import ConsentRow

    row = ConsentRow.of(rows[clinic.confirmation_id])
    assert row.kind == "Confirmation"
    assert row.link_text == f"Confirmation of {clinic.full_id[:8]}"


def test_exports_carry_the_confirmation(clinic, tmp_path):
    bundle = build_bundle(clinic.service.store, clinic.confirmation_id)
    validate_bundle(bundle)
    [document] = [e["resource"] for e in bundle["entry"]
                  if e["resource"]["resourceType"] == "DocumentReference"]
    assert document["description"].startswith("Signed treatment-day confirmation of consent")
    [relates] = document["relatesTo"]
    assert relates["code"] == "appends"
    assert relates["target"]["display"] == f"Consent record {clinic.full_id}"
    [consent] = [e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "Consent"]
    assert consent["status"] == "active"
    out = tmp_path / "register.csv"
    assert export_register(clinic.service.store, out) == 2
    ids = [r["consent_id"] for r in csv.DictReader(
        out.read_bytes().decode("utf-8-sig").splitlines())]
    assert clinic.confirmation_id in ids


def test_the_next_visit_decides_from_the_records(clinic):
    service = clinic.service
    consent = service.new_consent()
    consent.set_patient(replace(DEMO_PATIENT, id=clinic.patient_id))
    decision = service.reconsent(consent)
    assert decision is not None and decision.confirmation
    assert decision.on_file is not None and decision.on_file.id == clinic.full_id
    # another product today: a full consent
    consent.set_plan(TreatmentPlan(service.pack.products[1].id))
    assert service.reconsent(consent).why == "product_changed"
    assert (consent.kind, consent.full_consent_id) == ("consent", "")
    # a patient with no records yet
    stranger = service.new_consent()
    stranger.set_patient(replace(DEMO_PATIENT, id="no-such-patient"))
    assert service.reconsent(stranger).why == "none_on_file"


def test_a_confirmation_the_rule_no_longer_allows_is_refused(clinic):
    service = clinic.service
    consent = visit(service, clinic.patient_id)
    assert consent.kind == "confirmation"
    service.store.set_setting(RECONSENT_MONTHS, "0")  # the clinic changed its mind
    try:
        with pytest.raises(ConfirmationError, match="can no longer be finalized"):
            service.finalize(consent)
        assert service.store.find_consent(consent.id) is None
    finally:
        service.store.set_setting(RECONSENT_MONTHS, "6")


def test_a_confirmation_draft_finalized_after_its_full_consent_ended_is_refused(clinic):
    service = clinic.service
    consent = visit(service, clinic.patient_id)  # started 1 Dec 2026: valid until 3 Mar 2027
    assert consent.kind == "confirmation"
    clinic.now[0] = datetime(2027, 3, 4, 9, 0, tzinfo=CLINIC_TZ)
    try:
        with pytest.raises(ConfirmationError, match="ended on 3 Mar 2027"):
            service.finalize(consent)
        assert consent.finalized_at is None
    finally:
        clinic.now[0] = VISIT_AT


def test_the_database_refuses_a_confirmation_of_a_superseded_consent(clinic, tmp_path):
    """Even past the checks: the trigger names what a confirmation may rely on."""
    service = clinic.service
    consent = visit(service, clinic.patient_id)
    consent.full_consent_id = clinic.confirmation_id  # a confirmation is no full consent
    consent.finalized_at = VISIT_AT
    record = build_record(consent, service.pack, b"%PDF-1.7 stand-in", unsigned_sha256="0" * 64,
                          clinic=service.clinic)
    from db import StoreError

    with pytest.raises(StoreError, match="must rely on a signed full consent"):
        service.store.finalize(record)
    assert service.store.find_consent(consent.id) is None


def test_amending_the_full_consent_moves_the_rule_to_the_amendment(tmp_path):
    now = [FULL_AT]
    service = Glabella.open(tmp_path / "data", clock=lambda: now[0])
    try:
        service.store.set_setting(RECONSENT_MONTHS, "12")
        full = service.finalize(build_demo_consent(service.pack, service.clock))
        patient_id = service.store.get_consent(full.consent_id)["patient_id"]
        now[0] = datetime(2026, 9, 4, 9, 0, tzinfo=CLINIC_TZ)
        amendment = service.start_amendment(full.consent_id, "Units corrected.",
                                            DEMO_INJECTOR)
        for n, role in enumerate(r for r in service.pack.signature_roles if r.required):
            amendment.sign(service.pack, role.id, "Zoë" if role.id == "patient" else "Dana",
                           strokes_to_png(demo_strokes(n)), demo_strokes(n), service.clock)
        amended = service.finalize(amendment)
        assert last_full_consent(service.store, patient_id)["id"] == amended.consent_id
        withdrawal = service.start_withdrawal(amended.consent_id, "Not today.", DEMO_INJECTOR)
        for n, role in enumerate(withdrawal.signature_roles(service.pack)):
            withdrawal.sign(service.pack, role.id, "Zoë", strokes_to_png(demo_strokes(n)),
                            demo_strokes(n), service.clock)
        service.finalize(withdrawal)
        now[0] = VISIT_AT
        consent = service.new_consent()
        consent.set_patient(replace(DEMO_PATIENT, id=patient_id))
        assert service.reconsent(consent).why == "withdrawn"
        assert consent.kind == "consent"
    finally:
        service.close()


def test_the_setting_is_saved_and_checked(tmp_path):
    service = Glabella.open(tmp_path / "data")
    try:
        assert service.settings.reconsent_months() == 0  # the default: every visit
        values = service.settings.load()
        service.settings.save(replace(values, reconsent_months=9))
        assert service.settings.load().reconsent_months == 9
        with pytest.raises(ValueError, match="1 to 24 months"):
            service.settings.save(replace(values, reconsent_months=25))
        service.store.set_setting(RECONSENT_MONTHS, "many")
        assert reconsent_months(service.store) == 0
    finally:
        service.close()
    assert isinstance(values, ClinicSettings)


def test_an_old_database_upgrades_with_its_consent_on_file(tmp_path):
    import shutil

    from tests.fixtures import make_fixtures

    db_path = tmp_path / "glabella.db"
    shutil.copy(Path(make_fixtures.__file__).parent / make_fixtures.fixture_name(7), db_path)
    with db_keys.open_store(db_path) as store:
        row = last_full_consent(store, make_fixtures.PATIENT_ID)
        assert row is not None and row["id"] == make_fixtures.CONSENT_ID
        assert row["kind"] == "consent"
        assert confirmed_consent(store, make_fixtures.CONSENT_ID) is None
