"""Signed consents, their details and the audit log cannot be changed, even with raw SQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from db import FinalizeRecord, ImmutableRecordError, Store, cipher
from tests import db_keys

Factory = Callable[..., FinalizeRecord]

# Each statement takes the signed consent id as its only parameter.
FORBIDDEN = {
    "update consent": "UPDATE consents SET patient_name = 'Mallory' WHERE id = ?",
    "unsign consent": "UPDATE consents SET status = 'finalizing' WHERE id = ?",
    "replace pdf": "UPDATE consents SET pdf = x'00' WHERE id = ?",
    "delete consent": "DELETE FROM consents WHERE id = ?",
    "update screening": "UPDATE screening_answers SET answer = 'yes' WHERE consent_id = ?",
    "delete screening": "DELETE FROM screening_answers WHERE consent_id = ?",
    "insert screening": "INSERT INTO screening_answers (consent_id, question_id, answer)"
    " VALUES (?, 'new', 'no')",
    "update acknowledgement": "UPDATE acknowledgements SET note = 'x' WHERE consent_id = ?",
    "delete acknowledgement": "DELETE FROM acknowledgements WHERE consent_id = ?",
    "insert acknowledgement": "INSERT INTO acknowledgements"
    " (consent_id, item_id, item_kind, acknowledged_at, method)"
    " VALUES (?, 'new', 'risk', '2025-01-01', 'tick')",
    "update faq view": "UPDATE faq_views SET discussed_in_person = 0 WHERE consent_id = ?",
    "delete faq view": "DELETE FROM faq_views WHERE consent_id = ?",
    "insert faq view": "INSERT INTO faq_views (consent_id, faq_id, viewed_at)"
    " VALUES (?, 'new', '2025-01-01')",
    "update signature": "UPDATE signatures SET png = x'00' WHERE consent_id = ?",
    "delete signature": "DELETE FROM signatures WHERE consent_id = ?",
    "insert signature": "INSERT INTO signatures (id, consent_id, role, printed_name, meaning,"
    " signed_at, png, png_sha256, strokes_json)"
    " VALUES ('s', ?, 'witness', 'W', 'witnessed', '2025-01-01', x'00', 'h', '[]')",
}


def _snapshot(store: Store) -> list[tuple]:
    """Every row of every consent-related table, to prove nothing changed."""
    tables = ("consents", "screening_answers", "acknowledgements", "faq_views", "signatures")
    return [
        row
        for table in tables
        for row in store.database.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    ]


@pytest.fixture
def signed(store: Store, make_record: Factory) -> str:
    return store.finalize(make_record())


@pytest.mark.parametrize("sql", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_store_execute_raises_immutable(store: Store, signed: str, sql: str) -> None:
    before = _snapshot(store)
    with pytest.raises(ImmutableRecordError, match="signed consent"):
        store.execute(sql, [signed])
    assert _snapshot(store) == before


@pytest.mark.parametrize("sql", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_plain_sqlite_connection_is_blocked_too(
    db_path: Path, store: Store, signed: str, sql: str
) -> None:
    before = _snapshot(store)
    conn = db_keys.connect(db_path)
    try:
        with pytest.raises(cipher.IntegrityError, match="Immutable record"):
            conn.execute(sql, [signed])
        conn.commit()
    finally:
        conn.close()
    assert _snapshot(store) == before


def test_child_row_cannot_be_moved_into_signed_consent(
    store: Store, signed: str, make_record: Factory
) -> None:
    # A second consent left in 'finalizing' (as if mid-transaction) is still editable.
    draft = make_record()
    consent = dict(draft.consent)
    consent.update(
        status="finalizing",
        pdf_sha256="h",
        pdf_size=1,
        pdf=b"x",
        patient_id=store.list_patients()[0]["id"],
    )
    columns = ", ".join(consent)
    store.execute(
        f"INSERT INTO consents ({columns}) VALUES ({', '.join('?' * len(consent))})",
        list(consent.values()),
    )
    store.execute(
        "INSERT INTO faq_views (consent_id, faq_id, viewed_at) VALUES (?, 'f', 'now')",
        [consent["id"]],
    )
    store.execute("UPDATE faq_views SET viewed_at = 'later' WHERE consent_id = ?", [consent["id"]])
    with pytest.raises(ImmutableRecordError):
        store.execute("UPDATE faq_views SET consent_id = ? WHERE faq_id = 'f'", [signed])
    store.execute("DELETE FROM faq_views WHERE consent_id = ?", [consent["id"]])
    store.execute("DELETE FROM consents WHERE id = ?", [consent["id"]])


def test_audit_events_cannot_be_updated_or_deleted(store: Store, signed: str) -> None:
    event_id = store.log_event("test.event", actor="tester", details={"n": 1})
    before = store.audit_events()
    for sql in (
        "UPDATE audit_events SET event = 'forged' WHERE id = ?",
        "UPDATE audit_events SET details_json = '{}' WHERE id = ?",
        "DELETE FROM audit_events WHERE id = ?",
    ):
        with pytest.raises(ImmutableRecordError, match="audit log"):
            store.execute(sql, [event_id])
    with pytest.raises(ImmutableRecordError):
        store.execute("DELETE FROM audit_events")
    assert store.audit_events() == before


def test_signed_consent_stays_readable(store: Store, signed: str) -> None:
    assert store.get_consent(signed)["status"] == "signed"
    assert store.get_pdf(signed).startswith(b"%PDF")
