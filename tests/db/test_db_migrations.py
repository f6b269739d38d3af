"""Schema creation, idempotent re-opening and refusal of newer databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from db import NewerDatabaseError, Store, connect, migrate, schema_version
from db.migrations import CHILD_TABLES, KNOWN_MIGRATIONS

TABLES = {
    "settings",
    "patients",
    "content_packs",
    "consents",
    "screening_answers",
    "acknowledgements",
    "faq_views",
    "signatures",
    "audit_events",
    "patients_fts",
    "consent_links",
    "content_reviews",
    "consent_confirmations",
    "clinic_identity",
}
TRIGGERS = {
    "consents_signed_no_update",
    "consents_signed_no_delete",
    "audit_events_no_update",
    "audit_events_no_delete",
    "audit_events_chained",
    "patients_ai",  # keep patients_fts in step with the patients table
    "patients_ad",
    "patients_au",
    "consent_links_valid",  # an amendment or withdrawal names a live consent of its patient
    "content_reviews_no_update",  # a recorded review of the content pack is immutable
    "content_reviews_no_delete",
    "content_reviews_no_replace",
    "consent_confirmations_valid",  # a confirmation relies on a live full consent
    "clinic_identity_no_update",  # the clinic's id changes only with its audit event
    "clinic_identity_no_delete",
    "clinic_identity_no_replace",
} | {f"{t}_signed_no_{a}" for t in (*CHILD_TABLES, "consent_links", "consent_confirmations")
     for a in ("insert", "update", "delete")}
INDEXES = {
    "idx_patients_name_dob",
    "idx_consents_patient_id",
    "idx_consents_finalized_at",
    "idx_audit_events_consent_id",
    "idx_consents_pdf_sha256",
    "idx_audit_events_prev_hash",
    "idx_patients_date_of_birth",
    "idx_consents_patient_finalized",
    "idx_consents_product",
    "idx_consents_injector",
    "idx_content_reviews_hash",
    "idx_consent_confirmations_full",
}


def _schema(path: Path) -> dict[str, set[str]]:
    database = connect(path)
    try:
        rows = database.execute("SELECT type, name FROM sqlite_master").fetchall()
    finally:
        database.close()
    schema: dict[str, set[str]] = {}
    for kind, name in rows:
        schema.setdefault(kind, set()).add(name)
    return schema


def test_empty_file_gets_every_table_trigger_and_index(db_path: Path) -> None:
    Store.open(db_path).close()
    schema = _schema(db_path)
    assert TABLES <= schema["table"]
    assert schema["trigger"] == TRIGGERS
    assert INDEXES <= schema["index"]


def test_reopen_is_idempotent(db_path: Path) -> None:
    Store.open(db_path).close()
    before = _schema(db_path)
    for _ in range(2):
        with Store.open(db_path) as store:
            assert schema_version(store.database) == len(KNOWN_MIGRATIONS) == 11
            rows = store.database.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()
            assert rows[0] == 11
    assert _schema(db_path) == before


def test_constraints_are_declared(db_path: Path) -> None:
    database = connect(db_path)
    migrate(database)
    try:
        consent_fks = {
            (row[2], row[3], row[4])
            for row in database.execute("PRAGMA foreign_key_list(consents)").fetchall()
        }
        assert consent_fks == {
            ("patients", "patient_id", "id"),
            ("content_packs", "content_hash", "hash"),
        }
        notnull = {
            row[1]: row[3] for row in database.execute("PRAGMA table_info(signatures)").fetchall()
        }
        assert all(notnull.values())
    finally:
        database.close()


def test_newer_database_is_refused_untouched(db_path: Path) -> None:
    Store.open(db_path).close()
    database = connect(db_path)
    database["_sqlite_migrations"].insert(
        {"migration_set": "glabella", "name": "m9999_from_the_future", "applied_at": "x"}
    )
    database.close()
    before = _schema(db_path)
    with pytest.raises(NewerDatabaseError, match="newer version"):
        Store.open(db_path)
    assert _schema(db_path) == before


def test_other_migration_sets_are_ignored(db_path: Path) -> None:
    database = connect(db_path)
    database["_sqlite_migrations"].insert(
        {"migration_set": "someone_else", "name": "m0001_other", "applied_at": "x"}
    )
    migrate(database)
    assert schema_version(database) == len(KNOWN_MIGRATIONS)
    database.close()


def test_schema_version_of_empty_database(db_path: Path) -> None:
    database = connect(db_path)
    assert schema_version(database) == 0
    database.close()
