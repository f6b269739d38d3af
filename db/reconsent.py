"""Treatment-day confirmations: the m0015 table linking each to the full consent it relies
on, and the reads the re-consent rule makes.

A separate table, not consent_links: many confirmations rely on one full consent, where a
chain of amendments never forks (consent_links.amends_id is unique), and a confirmation
does not change the consent it relies on (that consent stays the head of its chain).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlite_utils

from db.base import Row
from db.migration_set import register as _migration

if TYPE_CHECKING:
    from db.store import Store

BAD_CONFIRMATION_MESSAGE = (
    "A treatment-day confirmation must rely on a signed full consent of the same patient "
    "that has not been amended or withdrawn."
)

CONFIRMATIONS_SQL = """
CREATE TABLE consent_confirmations (
    consent_id TEXT PRIMARY KEY NOT NULL REFERENCES consents (id),
    full_consent_id TEXT NOT NULL REFERENCES consents (id),
    CHECK (full_consent_id <> consent_id)
)"""

# The full consent must be signed, the same patient's, the newest record of its chain (not
# amended or withdrawn since), no withdrawal and no confirmation itself.
CONFIRMATION_TRIGGER_SQL = f"""
CREATE TRIGGER consent_confirmations_valid
BEFORE INSERT ON consent_confirmations
WHEN NOT EXISTS (
        SELECT 1 FROM consents AS later, consents AS earlier
        WHERE later.id = NEW.consent_id AND earlier.id = NEW.full_consent_id
          AND earlier.status = 'signed' AND earlier.patient_id = later.patient_id)
    OR EXISTS (SELECT 1 FROM consent_links WHERE amends_id = NEW.full_consent_id)
    OR EXISTS (SELECT 1 FROM consent_links
               WHERE consent_id = NEW.full_consent_id AND kind = 'withdrawal')
    OR EXISTS (SELECT 1 FROM consent_confirmations WHERE consent_id = NEW.full_consent_id)
BEGIN
    SELECT RAISE(ABORT, '{BAD_CONFIRMATION_MESSAGE}');
END"""

# The patient's newest record that is not a confirmation and that nothing amends or
# withdraws: the full consent on file, or a withdrawal (then none is).
LAST_FULL_CONSENT_SQL = """
SELECT c.id, c.finalized_at, c.content_pack_id, c.content_version, c.product_id,
       c.product_name, coalesce(l.kind, 'consent') AS kind
FROM consents AS c LEFT JOIN consent_links AS l ON l.consent_id = c.id
WHERE c.patient_id = ? AND c.status = 'signed'
  AND NOT EXISTS (SELECT 1 FROM consent_links AS n WHERE n.amends_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM consent_confirmations AS f WHERE f.consent_id = c.id)
ORDER BY julianday(c.finalized_at) DESC, c.rowid DESC
LIMIT 1"""


@_migration
def m0015_confirmations(database: sqlite_utils.Database) -> None:
    """Treatment-day confirmations: each row names the full consent a confirmation relies
    on. Written with its consent in the finalize transaction and frozen with it once signed;
    a consent without a row here is no confirmation (every consent stored before)."""
    from db.migrations import child_trigger_statements  # db.migrations imports this module

    database.execute(CONFIRMATIONS_SQL)
    database.execute("CREATE INDEX idx_consent_confirmations_full "
                     "ON consent_confirmations (full_consent_id)")
    database.execute(CONFIRMATION_TRIGGER_SQL)
    for statement in child_trigger_statements("consent_confirmations"):
        database.execute(statement)


def last_full_consent(store: Store, patient_id: str) -> Row | None:
    """The patient's newest full consent still standing, or the withdrawal that ended the
    newest one (``kind`` says which); None when the patient has neither."""
    rows = list(store.database.query(LAST_FULL_CONSENT_SQL, [patient_id]))
    return rows[0] if rows else None


def confirmed_consent(store: Store, consent_id: str) -> str | None:
    """The id of the full consent this treatment-day confirmation relies on; None when the
    record is no confirmation."""
    row = store.database.execute(
        "SELECT full_consent_id FROM consent_confirmations WHERE consent_id = ?",
        [consent_id]).fetchone()
    return row[0] if row else None
