"""Schema migrations for the Glabella records database."""

from __future__ import annotations

import sqlite_utils

from db.audit_chain import GENESIS, event_hash
from db.errors import IMMUTABLE_MARKER, NewerDatabaseError
from db.folding import fold
from db.migration_set import KNOWN_MIGRATIONS, MIGRATION_SET, migrations  # noqa: F401
from db.migration_set import register as _migration

# Tables whose rows belong to one consent and freeze once it is signed.
CHILD_TABLES = ("screening_answers", "acknowledgements", "faq_views", "signatures")

SIGNED_CONSENT_MESSAGE = f"{IMMUTABLE_MARKER} a signed consent cannot be changed or deleted."
SIGNED_CHILD_MESSAGE = (
    f"{IMMUTABLE_MARKER} the details of a signed consent cannot be added to, changed or deleted."
)
AUDIT_MESSAGE = f"{IMMUTABLE_MARKER} the audit log cannot be changed or deleted."
UNCHAINED_MESSAGE = "An audit event must carry its hash-chain link (prev_hash and hash)."

_TABLES_SQL = """
CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE patients (
    id TEXT PRIMARY KEY NOT NULL,               -- uuid
    full_name TEXT NOT NULL CHECK (length(trim(full_name)) > 0),
    date_of_birth TEXT NOT NULL,                -- ISO date
    phone TEXT,
    email TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_patients_name_dob ON patients (full_name, date_of_birth);

CREATE TABLE content_packs (
    hash TEXT PRIMARY KEY NOT NULL,             -- sha256 hex of the pack
    pack_id TEXT NOT NULL,
    version TEXT NOT NULL,
    snapshot_json TEXT NOT NULL,
    first_seen_at TEXT NOT NULL
);

CREATE TABLE consents (
    id TEXT PRIMARY KEY NOT NULL,
    patient_id TEXT NOT NULL REFERENCES patients (id),
    status TEXT NOT NULL CHECK (status IN ('finalizing', 'signed')),
    patient_name TEXT NOT NULL,                 -- snapshot at signing
    patient_dob TEXT NOT NULL,                  -- snapshot at signing
    product_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    areas TEXT NOT NULL,                        -- comma list of area names, for display
    injector_name TEXT NOT NULL,
    injector_credentials TEXT,
    created_at TEXT NOT NULL,
    finalized_at TEXT NOT NULL,
    content_pack_id TEXT NOT NULL,
    content_version TEXT NOT NULL,
    content_hash TEXT NOT NULL REFERENCES content_packs (hash),
    consent_json TEXT NOT NULL,                 -- full consent model, for re-rendering
    pdf BLOB NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    pdf_size INTEGER NOT NULL CHECK (pdf_size >= 0)
);
CREATE INDEX idx_consents_patient_id ON consents (patient_id);
CREATE INDEX idx_consents_finalized_at ON consents (finalized_at);

CREATE TABLE screening_answers (
    consent_id TEXT NOT NULL REFERENCES consents (id),
    question_id TEXT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'no')),
    note TEXT,
    override_reason TEXT,
    PRIMARY KEY (consent_id, question_id)
);

CREATE TABLE acknowledgements (
    consent_id TEXT NOT NULL REFERENCES consents (id),
    item_id TEXT NOT NULL,
    item_kind TEXT NOT NULL CHECK (item_kind IN ('risk', 'expectation', 'disclosure')),
    acknowledged_at TEXT NOT NULL,
    method TEXT NOT NULL CHECK (method IN ('tick', 'initials')),
    initials TEXT,
    note TEXT,
    PRIMARY KEY (consent_id, item_id)
);

CREATE TABLE faq_views (
    consent_id TEXT NOT NULL REFERENCES consents (id),
    faq_id TEXT NOT NULL,
    viewed_at TEXT NOT NULL,
    discussed_in_person INTEGER NOT NULL DEFAULT 0 CHECK (discussed_in_person IN (0, 1)),
    PRIMARY KEY (consent_id, faq_id)
);

CREATE TABLE signatures (
    id TEXT PRIMARY KEY NOT NULL,
    consent_id TEXT NOT NULL REFERENCES consents (id),
    role TEXT NOT NULL,
    printed_name TEXT NOT NULL,
    meaning TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    png BLOB NOT NULL,
    png_sha256 TEXT NOT NULL,
    strokes_json TEXT NOT NULL,
    UNIQUE (consent_id, role)
);

CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    event TEXT NOT NULL,
    consent_id TEXT,
    actor TEXT,
    details_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_audit_events_consent_id ON audit_events (consent_id);
"""


def _consent_triggers() -> str:
    return "\n".join(
        f"""
CREATE TRIGGER consents_signed_no_{action.lower()}
BEFORE {action} ON consents
WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, '{SIGNED_CONSENT_MESSAGE}');
END;"""
        for action in ("UPDATE", "DELETE")
    )


def child_trigger_statements(table: str) -> list[str]:
    """The three triggers that freeze ``table``'s rows once their consent is signed."""
    signed = "(SELECT status FROM consents WHERE id = {}.consent_id) = 'signed'"
    # UPDATE checks both sides: a row may neither leave nor join a signed consent.
    conditions = {
        "INSERT": signed.format("NEW"),
        "UPDATE": f"{signed.format('OLD')} OR {signed.format('NEW')}",
        "DELETE": signed.format("OLD"),
    }
    return [
        f"""
CREATE TRIGGER {table}_signed_no_{action.lower()}
BEFORE {action} ON {table}
WHEN {condition}
BEGIN
    SELECT RAISE(ABORT, '{SIGNED_CHILD_MESSAGE}');
END"""
        for action, condition in conditions.items()
    ]


def _child_triggers(table: str) -> str:
    return "\n".join(f"{statement};" for statement in child_trigger_statements(table))


def _audit_trigger(action: str) -> str:
    return f"""
CREATE TRIGGER audit_events_no_{action.lower()}
BEFORE {action} ON audit_events
BEGIN
    SELECT RAISE(ABORT, '{AUDIT_MESSAGE}');
END;"""


def _audit_triggers() -> str:
    return "\n".join(_audit_trigger(action) for action in ("UPDATE", "DELETE"))


@_migration
def m0001_initial(database: sqlite_utils.Database) -> None:
    """Create every table, index and immutability trigger."""
    triggers = [_consent_triggers(), *map(_child_triggers, CHILD_TABLES), _audit_triggers()]
    database.executescript(_TABLES_SQL + "\n".join(triggers))


# Later migrations run statement by statement: executescript() would COMMIT and break the
# migration's transaction.


@_migration
def m0002_certified_pdfs(database: sqlite_utils.Database) -> None:
    """Keep what is needed to re-render a certified PDF and to find a record by its file."""
    for sql in (
        # SHA-256 of the PDF as rendered, before the clinic's certification was added
        "ALTER TABLE consents ADD COLUMN unsigned_sha256 TEXT",
        # the clinic as printed on the consent (name, address, phone, logo) at signing
        "ALTER TABLE consents ADD COLUMN clinic_json TEXT",
        "CREATE INDEX idx_consents_pdf_sha256 ON consents (pdf_sha256)",
    ):
        database.execute(sql)


@_migration
def m0003_audit_hash_chain(database: sqlite_utils.Database) -> None:
    """Hash-chain the audit log, chaining the events already in it in seq order."""
    database.execute("ALTER TABLE audit_events ADD COLUMN prev_hash TEXT")
    database.execute("ALTER TABLE audit_events ADD COLUMN hash TEXT")
    # The one moment the log is written to in place: its trigger is lifted for this
    # transaction only, and put back before it commits.
    database.execute("DROP TRIGGER audit_events_no_update")
    prev = GENESIS
    rows = database.execute(
        "SELECT seq, id, at, event, consent_id, actor, details_json FROM audit_events"
        " ORDER BY seq").fetchall()
    for seq, event_id, at, event, consent_id, actor, details_json in rows:
        row = {"seq": seq, "id": event_id, "at": at, "event": event, "consent_id": consent_id,
               "actor": actor, "details_json": details_json, "prev_hash": prev}
        digest = event_hash(row)
        database.execute("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?",
                         [prev, digest, seq])
        prev = digest
    database.execute(_audit_trigger("UPDATE"))
    # one successor per event: two writers can never fork the chain
    database.execute("CREATE UNIQUE INDEX idx_audit_events_prev_hash ON audit_events (prev_hash)")
    database.execute(f"""
CREATE TRIGGER audit_events_chained
BEFORE INSERT ON audit_events
WHEN NEW.prev_hash IS NULL OR NEW.hash IS NULL
BEGIN
    SELECT RAISE(ABORT, '{UNCHAINED_MESSAGE}');
END""")


@_migration
def m0004_records_search(database: sqlite_utils.Database) -> None:
    """Find patients by folded name (full text) or date of birth; filter consents fast."""
    database.execute("ALTER TABLE patients ADD COLUMN search_name TEXT NOT NULL DEFAULT ''")
    for rowid, full_name in database.execute("SELECT rowid, full_name FROM patients").fetchall():
        database.execute("UPDATE patients SET search_name = ? WHERE rowid = ?",
                         [fold(full_name), rowid])
    for sql in (
        "CREATE INDEX idx_patients_date_of_birth ON patients (date_of_birth)",
        # a patient's history and the register's filters, each walked newest first
        "CREATE INDEX idx_consents_patient_finalized ON consents (patient_id, finalized_at)",
        "CREATE INDEX idx_consents_product ON consents (product_id, finalized_at)",
        "CREATE INDEX idx_consents_injector ON consents (injector_name, finalized_at)",
    ):
        database.execute(sql)
    # patients_fts indexes the folded name; its triggers (patients_ai, _ad, _au) keep it in
    # step with every insert, update and delete of a patient. It is keyed by the patients
    # table's implicit rowid, which only VACUUM could renumber: never VACUUM without
    # rebuilding it (INSERT INTO patients_fts(patients_fts) VALUES ('rebuild')).
    database.table("patients").enable_fts(["search_name"], fts_version="FTS5", create_triggers=True)


def _applied_names(database: sqlite_utils.Database) -> list[str]:
    return [applied.name for applied in migrations.applied(database)]


def schema_version(database: sqlite_utils.Database) -> int:
    """Number of Glabella migrations applied to this database."""
    return len(_applied_names(database))


def migrate(database: sqlite_utils.Database) -> None:
    """Apply pending migrations; refuse databases from a newer Glabella."""
    known = set(KNOWN_MIGRATIONS)
    unknown = [name for name in _applied_names(database) if name not in known]
    if unknown:
        # A newer schema may have constraints this code would silently violate.
        raise NewerDatabaseError(unknown)
    migrations.apply(database)


# Migrations from m0010 on are in db.later_migrations; importing it here registers them
# after the ones above (migrations apply in the order they are registered).
from db import later_migrations  # noqa: E402, F401
