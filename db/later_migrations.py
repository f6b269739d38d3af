"""Schema migrations from m0010 on: staff, amendment links, content-pack reviews, who made
each acknowledgement; then m0015 and m0016, registered from their own modules; then m0017,
where each audit event came from.

Registered after db.migrations' first four, which imports this module at its end.
"""

from __future__ import annotations

import sqlite_utils

from db.errors import IMMUTABLE_MARKER
from db.migration_set import refusing_trigger
from db.migration_set import register as _migration

# -- staff (appended last: migrations apply in the order they are registered) -------------

STAFF_SQL = """
CREATE TABLE staff (
    id TEXT PRIMARY KEY NOT NULL,               -- uuid
    full_name TEXT NOT NULL CHECK (length(trim(full_name)) > 0),
    credentials TEXT NOT NULL DEFAULT '',       -- e.g. RN, NP, MD
    role TEXT NOT NULL DEFAULT '',              -- e.g. Nurse injector
    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    -- the PIN only as a salted key-derivation hash, with what is needed to check it again
    pin_kdf TEXT NOT NULL CHECK (pin_kdf IN ('scrypt', 'pbkdf2_sha256')),
    pin_params TEXT NOT NULL,                   -- JSON, e.g. {"n": 16384, "r": 8, "p": 1}
    pin_salt BLOB NOT NULL CHECK (length(pin_salt) >= 16),
    pin_hash BLOB NOT NULL CHECK (length(pin_hash) >= 32),
    pin_changed_at TEXT NOT NULL
)"""


@_migration
def m0010_staff(database: sqlite_utils.Database) -> None:
    """Staff profiles who sign in, unlock patient mode and change settings."""
    database.execute(STAFF_SQL)
    database.execute("CREATE INDEX idx_staff_active ON staff (active, full_name)")


# -- amendments and withdrawals -----------------------------------------------------------

LINK_KINDS = ("amendment", "withdrawal")
MAX_REASON = 500
BAD_LINK_MESSAGE = (
    "An amendment or withdrawal must name a signed consent of the same patient that has not "
    "been withdrawn."
)

# A separate table, not columns on consents: a column added to consents would sit after
# the stored PDF in every row, and listing consents would then read each PDF's pages.
CONSENT_LINKS_SQL = f"""
CREATE TABLE consent_links (
    consent_id TEXT PRIMARY KEY NOT NULL REFERENCES consents (id),
    kind TEXT NOT NULL CHECK (kind IN {LINK_KINDS!r}),
    amends_id TEXT NOT NULL UNIQUE REFERENCES consents (id),  -- a chain never forks
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0 AND length(reason) <= {MAX_REASON}),
    CHECK (amends_id <> consent_id)
)"""

LINK_TRIGGER_SQL = f"""
CREATE TRIGGER consent_links_valid
BEFORE INSERT ON consent_links
WHEN NOT EXISTS (
        SELECT 1 FROM consents AS later, consents AS earlier
        WHERE later.id = NEW.consent_id AND earlier.id = NEW.amends_id
          AND earlier.status = 'signed' AND earlier.patient_id = later.patient_id)
    OR EXISTS (
        SELECT 1 FROM consent_links WHERE consent_id = NEW.amends_id AND kind = 'withdrawal')
BEGIN
    SELECT RAISE(ABORT, '{BAD_LINK_MESSAGE}');
END"""


@_migration
def m0011_amendments(database: sqlite_utils.Database) -> None:
    """Amendments and withdrawals: new records linked to the consent they change.

    A consent without a link row is an ordinary consent (every consent stored before).
    The link is written with its consent and frozen with it once signed.
    """
    # here, not at the top: db.migrations imports this module as it finishes loading
    from db.migrations import child_trigger_statements

    database.execute(CONSENT_LINKS_SQL)
    database.execute(LINK_TRIGGER_SQL)
    for statement in child_trigger_statements("consent_links"):
        database.execute(statement)


# -- the medical director's review of a content pack ---------------------------------------

MAX_PACK_ID = 100
MAX_PACK_VERSION = 50
MAX_REVIEWER = 200  # reviewed_by ("Dr Ana Ruiz, Medical Director") and recorded_by
REVIEW_MESSAGE = f"{IMMUTABLE_MARKER} a recorded content review cannot be changed or deleted."

CONTENT_REVIEWS_SQL = f"""
CREATE TABLE content_reviews (
    id INTEGER PRIMARY KEY,
    pack_id TEXT NOT NULL
        CHECK (length(trim(pack_id)) > 0 AND length(pack_id) <= {MAX_PACK_ID}),
    version TEXT NOT NULL
        CHECK (length(trim(version)) > 0 AND length(version) <= {MAX_PACK_VERSION}),
    content_hash TEXT NOT NULL      -- sha256 hex of the pack, as content_packs.hash
        CHECK (length(content_hash) = 64 AND content_hash NOT GLOB '*[^0-9a-f]*'),
    reviewed_by TEXT NOT NULL       -- the medical director's name and title
        CHECK (length(trim(reviewed_by)) > 0 AND length(reviewed_by) <= {MAX_REVIEWER}),
    reviewed_on TEXT NOT NULL       -- ISO date
        -- a real day: the '+0 days' modifier turns 2026-02-30 into 2026-03-02
        CHECK (length(reviewed_on) = 10 AND date(reviewed_on, '+0 days') IS reviewed_on),
    recorded_by TEXT NOT NULL       -- the administrator, as audit events name actors
        CHECK (length(trim(recorded_by)) > 0 AND length(recorded_by) <= {MAX_REVIEWER}),
    recorded_at TEXT NOT NULL       -- ISO timestamp with its UTC offset
        CHECK (length(recorded_at) BETWEEN 19 AND 40 AND julianday(recorded_at) IS NOT NULL)
)"""


def _review_trigger(name: str, timing: str, condition: str = "") -> str:
    return refusing_trigger("content_reviews", name, timing, REVIEW_MESSAGE, condition)


@_migration
def m0012_content_reviews(database: sqlite_utils.Database) -> None:
    """The medical director's sign-off of a content pack, one immutable row per review.

    A review names the exact pack (id, version and content hash); a pack edited since has
    a new hash and no review until one is recorded for it.
    """
    database.execute(CONTENT_REVIEWS_SQL)
    database.execute("CREATE INDEX idx_content_reviews_hash ON content_reviews (content_hash, id)")
    for statement in (
        _review_trigger("no_update", "BEFORE UPDATE"),
        _review_trigger("no_delete", "BEFORE DELETE"),
        # INSERT OR REPLACE would delete the old row without the DELETE trigger firing
        _review_trigger("no_replace", "BEFORE INSERT",
                        "WHEN EXISTS (SELECT 1 FROM content_reviews WHERE id = NEW.id)"),
    ):
        database.execute(statement)


# -- who made each acknowledgement ---------------------------------------------------------

ACKNOWLEDGED_BY = ("patient", "staff")


@_migration
def m0013_acknowledged_by(database: sqlite_utils.Database) -> None:
    """Who ticked each acknowledgement: the patient on screen, or a named staff member who
    read it aloud with the patient. Rows stored before have neither (NULL): who ticked them
    was not recorded, and their PDFs say only how ("Acknowledged by tick")."""
    for sql in (
        "ALTER TABLE acknowledgements ADD COLUMN acknowledged_by TEXT"
        f" CHECK (acknowledged_by IS NULL OR acknowledged_by IN {ACKNOWLEDGED_BY!r})",
        # the staff member as printed ("Dana Whitfield, RN"); only for acknowledged_by 'staff'
        "ALTER TABLE acknowledgements ADD COLUMN read_aloud_by TEXT"
        " CHECK (read_aloud_by IS NULL OR length(read_aloud_by) <= 500)",
    ):
        database.execute(sql)


# m0015 (treatment-day confirmations) and m0016 (the clinic's id) sit with their queries;
# importing them registers them here, after the migrations above, in this order.
from db import reconsent  # noqa: E402, F401

# isort: split
from db import clinic_identity  # noqa: E402, F401

# -- where each audit event came from -----------------------------------------------------

@_migration
def m0017_audit_origin(database: sqlite_utils.Database) -> None:
    """Each audit event's origin (JSON: OS user, window or command, the staff member signed
    in), hashed with it (db.audit_chain). Events logged before have none (NULL) and keep
    their hashes. The index finds a member's recent wrong PINs for a command's sign-in."""
    database.execute("ALTER TABLE audit_events ADD COLUMN origin_json TEXT")
    database.execute("CREATE INDEX idx_audit_events_event_at ON audit_events (event, at)")
