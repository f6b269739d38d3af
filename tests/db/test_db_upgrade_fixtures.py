"""A database made by each earlier schema version opens, upgrades, and keeps its consent."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
import uuid
from pathlib import Path

import pytest

from app.records.search import search_patients
from app.upkeep.backup import check_backup
from db import Store, schema_version
from db.migrations import KNOWN_MIGRATIONS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
import make_fixtures  # noqa: E402

from tests import db_keys  # noqa: E402

VERSIONS = range(1, len(KNOWN_MIGRATIONS))
# the schemas from before m0016 gave the clinic its id
BEFORE_IDS = range(1, KNOWN_MIGRATIONS.index("m0016_clinic_identity") + 1)


def test_there_is_a_fixture_for_every_earlier_schema():
    made = sorted(p.name for p in FIXTURES.glob("schema-*.db"))
    assert made == sorted(make_fixtures.fixture_name(v) for v in VERSIONS), (
        "run python tests/fixtures/make_fixtures.py after adding a migration")


@pytest.mark.parametrize("version", VERSIONS)
def test_old_database_upgrades_with_its_consent_intact(version, tmp_path):
    db = tmp_path / "glabella.db"
    shutil.copy(FIXTURES / make_fixtures.fixture_name(version), db)
    raw = db_keys.connect(db)
    assert [r[0] for r in raw.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")] \
        == KNOWN_MIGRATIONS[:version]
    raw.close()

    with Store.open(db) as store:
        assert schema_version(store.database) == len(KNOWN_MIGRATIONS)
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.execute("PRAGMA foreign_key_check").fetchall() == []
        row = store.get_consent(make_fixtures.CONSENT_ID)
        pdf = store.get_pdf(make_fixtures.CONSENT_ID)
        assert row["status"] == "signed"
        assert pdf == make_fixtures.PDF
        assert row["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
        assert [s["role"] for s in store.signatures(make_fixtures.CONSENT_ID)] == \
            ["patient", "injector"]
        [ack] = store.acknowledgements(make_fixtures.CONSENT_ID)
        # before m0013 who ticked it was not recorded, and stays unknown; from m0013 it is kept
        recorded = "m0013_acknowledged_by" in KNOWN_MIGRATIONS[:version]
        assert (ack["acknowledged_by"], ack["read_aloud_by"]) == \
            (("patient" if recorded else None), None)
        chain = store.audit_chain()
        assert chain.intact, chain.problem
        assert chain.events >= 2
        # m0004 folded the old name into the search index
        [match] = search_patients(store, "nunez lukasz")
        assert (match.id, match.consents) == (make_fixtures.PATIENT_ID, 1)
        # and the upgraded record is still frozen
        with pytest.raises(Exception, match="signed consent cannot be changed"):
            store.execute("UPDATE consents SET areas = 'x'")


@pytest.mark.parametrize("version", VERSIONS)
def test_old_database_takes_a_content_review_after_upgrading(version, tmp_path):
    db = tmp_path / "glabella.db"
    shutil.copy(FIXTURES / make_fixtures.fixture_name(version), db)
    with Store.open(db) as store:
        assert store.content_review(make_fixtures.PACK_HASH) is None  # m0012: none yet
        row = store.add_content_review(
            pack_id="default", version="1.0.0", content_hash=make_fixtures.PACK_HASH,
            reviewed_by="Dr Ana Ruiz, Medical Director", reviewed_on="2025-03-01",
            recorded_by="Dana Whitfield, RN", recorded_at="2025-03-04T11:00:00+01:00")
        assert store.content_review(make_fixtures.PACK_HASH) == row
        chain = store.audit_chain()
        assert chain.intact, chain.problem
        assert store.audit_events()[-1]["event"] == "content.reviewed"
        with pytest.raises(Exception, match="content review cannot be changed"):
            store.execute("DELETE FROM content_reviews")


def test_the_newest_fixture_is_the_schema_before_the_current_one():
    newest = make_fixtures.fixture_name(len(KNOWN_MIGRATIONS) - 1)
    assert (FIXTURES / newest).is_file(), "run python tests/fixtures/make_fixtures.py"
    raw = db_keys.connect(FIXTURES / newest)
    try:
        applied = [r[0] for r in raw.execute("SELECT name FROM _sqlite_migrations")]
    finally:
        raw.close()
    assert applied == KNOWN_MIGRATIONS[:-1]


@pytest.mark.parametrize("version", VERSIONS)
def test_old_backup_is_accepted_for_restore(version):
    check = check_backup(FIXTURES / make_fixtures.fixture_name(version))
    assert check.ok, check.problems
    assert check.consents == 1


def test_the_app_opens_the_oldest_database(tmp_path):
    from app.runtime.service import Glabella

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES / make_fixtures.fixture_name(1), data / "glabella.db")
    service = Glabella.open(data)
    try:
        assert service.store.get_consent(make_fixtures.CONSENT_ID)["status"] == "signed"
        assert service.clinic.name == "Fixture Clinic"
    finally:
        service.close()


@pytest.mark.parametrize("version", BEFORE_IDS)
def test_old_database_takes_one_clinic_id_that_stays(version, tmp_path):
    from db.clinic_identity import clinic_id

    db = tmp_path / "glabella.db"
    shutil.copy(FIXTURES / make_fixtures.fixture_name(version), db)
    raw = sqlite3.connect(db)
    assert clinic_id(raw) is None  # from before ids existed
    raw.close()
    with Store.open(db) as store:
        made = clinic_id(store.database.conn)
        assert made is not None and str(uuid.UUID(made, version=4)) == made
        with pytest.raises(Exception, match="clinic id cannot be changed"):
            store.execute("UPDATE clinic_identity SET clinic_id = ?", [str(uuid.uuid4())])
        with pytest.raises(Exception, match="clinic id cannot be changed"):
            store.execute("DELETE FROM clinic_identity")
    with Store.open(db) as store:  # made once: opening again keeps it
        assert clinic_id(store.database.conn) == made
