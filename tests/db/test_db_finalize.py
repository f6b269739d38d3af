"""Finalizing writes everything in one transaction, or nothing at all."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from db import FinalizeRecord, RecordNotFoundError, Store, StoreError

Factory = Callable[..., FinalizeRecord]

ALL_TABLES = (
    "patients",
    "content_packs",
    "consents",
    "screening_answers",
    "acknowledgements",
    "faq_views",
    "signatures",
    "audit_events",
)


def _counts(store: Store) -> dict[str, int]:
    return {
        table: store.database.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ALL_TABLES
    }


def test_finalize_writes_every_row(store: Store, make_record: Factory) -> None:
    record = make_record()
    consent_id = store.finalize(record)

    assert consent_id == record.consent["id"]
    assert not store.database.conn.in_transaction
    assert _counts(store) == {
        "patients": 1,
        "content_packs": 1,
        "consents": 1,
        "screening_answers": 2,
        "acknowledgements": 2,
        "faq_views": 1,
        "signatures": 2,
        "audit_events": 1,
    }
    consent = store.get_consent(consent_id)
    assert consent["status"] == "signed"
    assert "pdf" not in consent
    pdf = record.consent["pdf"]
    assert consent["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    assert consent["pdf_size"] == len(pdf)
    assert store.get_pdf(consent_id) == pdf
    assert hashlib.sha256(store.get_pdf(consent_id)).hexdigest() == consent["pdf_sha256"]
    assert consent["content_hash"] == record.content_pack["hash"]

    pack = store.content_pack(consent["content_hash"])
    assert pack["snapshot_json"] == record.content_pack["snapshot_json"]
    assert pack["first_seen_at"].endswith("+00:00")

    patient = store.get_patient(record.patient["id"])
    assert patient["full_name"] == "Jane Doe"
    assert patient["created_at"] == patient["updated_at"]

    answers = store.screening_answers(consent_id)
    assert [(a["question_id"], a["answer"]) for a in answers] == [
        ("pregnant", "no"),
        ("neuromuscular", "yes"),
    ]
    assert answers[1]["override_reason"] == "cleared by GP"
    acks = store.acknowledgements(consent_id)
    assert [(a["item_id"], a["method"], a["initials"]) for a in acks] == [
        ("risk.ptosis", "initials", "JD"),
        ("expect.onset", "tick", None),
    ]
    assert store.faq_views(consent_id)[0]["discussed_in_person"] is True

    signatures = store.signatures(consent_id)
    assert [s["role"] for s in signatures] == ["patient", "injector"]
    assert signatures[0]["png"] == record.signatures[0]["png"]
    for signature in signatures:
        assert signature["png_sha256"] == hashlib.sha256(signature["png"]).hexdigest()
        assert uuid.UUID(signature["id"]).version == 4

    (event,) = store.audit_events()
    assert event["event"] == "consent.finalized"
    assert event["consent_id"] == consent_id
    assert event["details"]["pdf_sha256"] == consent["pdf_sha256"]


def test_child_consent_id_and_snapshots_default_from_record(
    store: Store, make_record: Factory
) -> None:
    record = make_record()
    for row in record.screening + record.signatures:
        del row["consent_id"]
    for key in ("patient_id", "patient_name", "content_hash", "created_at", "finalized_at"):
        del record.consent[key]
    consent_id = store.finalize(record)
    consent = store.get_consent(consent_id)
    assert consent["patient_name"] == "Jane Doe"
    assert consent["content_hash"] == record.content_pack["hash"]
    assert consent["finalized_at"] == consent["created_at"]
    assert len(store.signatures(consent_id)) == 2


def test_second_consent_updates_patient_and_reuses_pack(store: Store, make_record: Factory) -> None:
    first = make_record()
    store.finalize(first)
    patient_id = first.patient["id"]
    second = make_record(patient_id=patient_id, full_name="Jane Smith")
    second.consent["finalized_at"] = "2025-03-01T09:00:00+00:00"
    second.patient["phone"] = None
    store.finalize(second)

    patient = store.get_patient(patient_id)
    assert patient["full_name"] == "Jane Smith"
    assert patient["phone"] is None
    assert _counts(store)["patients"] == 1
    assert _counts(store)["content_packs"] == 1
    # The first consent keeps the name the patient had when signing it.
    assert store.get_consent(first.consent["id"])["patient_name"] == "Jane Doe"

    listed = store.list_consents(patient_id)
    assert [c["id"] for c in listed] == [second.consent["id"], first.consent["id"]]
    assert all("pdf" not in c and "consent_json" not in c for c in listed)
    assert store.list_consents("someone-else") == []
    assert len(store.list_consents()) == 2


def test_missing_not_null_field_rolls_back_everything(store: Store, make_record: Factory) -> None:
    record = make_record()
    # The last thing inserted before the audit event and the status flip.
    del record.signatures[-1]["printed_name"]
    with pytest.raises(StoreError, match="NOT NULL"):
        store.finalize(record)
    assert not store.database.conn.in_transaction
    assert set(_counts(store).values()) == {0}


def test_check_constraint_failure_rolls_back_everything(store: Store, make_record: Factory) -> None:
    record = make_record()
    record.acknowledgements[0]["method"] = "nod"
    with pytest.raises(StoreError):
        store.finalize(record)
    assert set(_counts(store).values()) == {0}


def test_duplicate_consent_id_leaves_nothing_new(store: Store, make_record: Factory) -> None:
    first = make_record()
    store.finalize(first)
    before = _counts(store)
    duplicate = make_record(consent_id=first.consent["id"], full_name="Someone Else")
    with pytest.raises(StoreError):
        store.finalize(duplicate)
    assert _counts(store) == before
    with pytest.raises(RecordNotFoundError):
        store.get_patient(duplicate.patient["id"])


def test_failed_finalize_on_fresh_store_leaves_no_rows(db_path: Path, make_record: Factory) -> None:
    # Reopen to be sure nothing was committed behind the connection's back.
    with Store.open(db_path) as store:
        record = make_record()
        record.signatures.append(dict(record.signatures[0]))  # duplicate role
        with pytest.raises(StoreError):
            store.finalize(record)
    with Store.open(db_path) as store:
        assert set(_counts(store).values()) == {0}


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: r.consent.update(status="signed"),
        lambda r: r.consent.update(pdf_sha256="0" * 64),
        lambda r: r.consent.update(bogus=1),
        lambda r: r.signatures[0].update(id="mine"),
        lambda r: r.screening[0].update(consent_id="other"),
        lambda r: r.consent.update(content_hash="f" * 64),
        lambda r: r.consent.update(pdf="not bytes"),
    ],
)
def test_invalid_records_are_rejected_before_writing(
    store: Store, mutate, make_record: Factory
) -> None:
    record = make_record()
    mutate(record)
    with pytest.raises((ValueError, TypeError)):
        store.finalize(record)
    assert set(_counts(store).values()) == {0}


@pytest.mark.parametrize(
    "name",
    ["Zoë Ångström-Núñez", "山田 花子", "محمد الأحمد", "שרה כהן", "Ana 💉✨ Lee", "Ǆemal Ğ̈"],
)
def test_unicode_names_round_trip(store: Store, name: str, make_record: Factory) -> None:
    record = make_record(full_name=name)
    record.acknowledgements[0]["initials"] = name[:2]
    consent_id = store.finalize(record)
    assert store.get_patient(record.patient["id"])["full_name"] == name
    assert store.get_consent(consent_id)["patient_name"] == name
    assert store.signatures(consent_id)[0]["printed_name"] == name
    assert store.acknowledgements(consent_id)[0]["initials"] == name[:2]
    assert store.list_patients()[0]["full_name"] == name


def test_unknown_ids_raise_record_not_found(store: Store) -> None:
    for read in (
        store.get_consent,
        store.get_pdf,
        store.get_patient,
        store.screening_answers,
        store.acknowledgements,
        store.faq_views,
        store.signatures,
        store.content_pack,
    ):
        with pytest.raises(RecordNotFoundError, match="nope"):
            read("nope")
