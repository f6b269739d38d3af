"""The content_reviews table: constraints, immutability, and one transaction with its audit
event (db.content_reviews)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from db import ImmutableRecordError, Store, cipher
from tests import db_keys

HASH = "1a2b3c4d5e6f" + "0" * 52
OTHER_HASH = "f" * 64


def review(**overrides: Any) -> dict[str, str]:
    fields = {"pack_id": "glabella-default", "version": "2.0.0", "content_hash": HASH,
              "reviewed_by": "Dr Ana Ruiz, Medical Director", "reviewed_on": "2026-11-20",
              "recorded_by": "Dana Whitfield, RN", "recorded_at": "2026-11-23T14:05:00+01:00"}
    return {**fields, **overrides}


def rows(store: Store) -> list[tuple]:
    return store.database.execute("SELECT * FROM content_reviews ORDER BY id").fetchall()


def reviewed_events(store: Store) -> list[dict]:
    return [e for e in store.audit_events() if e["event"] == "content.reviewed"]


def test_a_review_is_stored_with_its_audit_event(store: Store) -> None:
    row = store.add_content_review(**review())
    assert row == {"id": 1, **review()}
    assert store.content_review(HASH) == row
    [event] = reviewed_events(store)
    assert event["actor"] == "Dana Whitfield, RN"
    assert event["at"] == "2026-11-23T14:05:00+01:00"
    assert event["consent_id"] is None
    assert event["details"] == {"review_id": 1, "pack_id": "glabella-default",
                                "version": "2.0.0", "content_hash": HASH,
                                "reviewed_by": "Dr Ana Ruiz, Medical Director",
                                "reviewed_on": "2026-11-20"}
    chain = store.audit_chain()
    assert chain.intact, chain.problem


def test_the_newest_review_of_exactly_that_hash_is_returned(store: Store) -> None:
    assert store.content_review(HASH) is None
    store.add_content_review(**review())
    newer = store.add_content_review(**review(reviewed_by="Dr Ben Ode", reviewed_on="2026-11-22"))
    store.add_content_review(**review(content_hash=OTHER_HASH, reviewed_by="Dr Other"))
    assert store.content_review(HASH) == newer
    assert store.content_review(OTHER_HASH)["reviewed_by"] == "Dr Other"
    assert store.content_review(HASH.upper()) is None
    assert store.content_review("0" * 64) is None
    assert len(reviewed_events(store)) == 3
    assert store.audit_chain().intact


FORBIDDEN = {
    "update": "UPDATE content_reviews SET reviewed_by = 'Mallory'",
    "update date": "UPDATE content_reviews SET reviewed_on = '2026-01-01' WHERE id = 1",
    "delete": "DELETE FROM content_reviews",
    "replace": "INSERT OR REPLACE INTO content_reviews (id, pack_id, version, content_hash,"
               " reviewed_by, reviewed_on, recorded_by, recorded_at) VALUES (1, 'p', '1',"
               f" '{OTHER_HASH}', 'Mallory', '2026-01-01', 'x', '2026-01-01T00:00:00+00:00')",
}


@pytest.mark.parametrize("sql", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_a_recorded_review_cannot_be_changed_or_deleted(store: Store, db_path: Path,
                                                        sql: str) -> None:
    store.add_content_review(**review())
    before = rows(store)
    with pytest.raises(ImmutableRecordError, match="content review cannot be changed"):
        store.execute(sql)
    conn = db_keys.connect(db_path)  # nor with a plain connection, outside Glabella
    try:
        with pytest.raises(cipher.IntegrityError, match="Immutable record"):
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()
    assert rows(store) == before


BAD = {
    "empty reviewer": {"reviewed_by": "   "},
    "reviewer too long": {"reviewed_by": "x" * 201},
    "recorded_by empty": {"recorded_by": ""},
    "recorded_by too long": {"recorded_by": "x" * 201},
    "pack id empty": {"pack_id": ""},
    "pack id too long": {"pack_id": "p" * 101},
    "version too long": {"version": "1" * 51},
    "short hash": {"content_hash": "1a2b3c"},
    "upper-case hash": {"content_hash": HASH.upper()},
    "not a date": {"reviewed_on": "20/11/2026"},
    "no such day": {"reviewed_on": "2026-02-30"},
    "not a timestamp": {"recorded_at": "yesterday at noon"},
}


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_constraints_refuse_bad_rows_and_nothing_is_written(store: Store, bad) -> None:
    events = len(store.audit_events())
    with pytest.raises(cipher.IntegrityError, match="CHECK constraint"):
        store.add_content_review(**review(**bad))
    assert rows(store) == []
    assert len(store.audit_events()) == events


def test_the_row_is_not_kept_when_its_audit_event_fails(store: Store, db_path: Path) -> None:
    """One transaction: a real trigger (made from another connection) refuses the event."""
    conn = db_keys.connect(db_path)
    conn.execute("CREATE TRIGGER refuse_review_event BEFORE INSERT ON audit_events"
                 " WHEN NEW.event = 'content.reviewed'"
                 " BEGIN SELECT RAISE(ABORT, 'no review events today'); END")
    conn.commit()
    conn.close()
    with pytest.raises(cipher.IntegrityError, match="no review events today"):
        store.add_content_review(**review())
    assert rows(store) == []
    assert reviewed_events(store) == []
    assert store.content_review(HASH) is None
    assert not store.database.conn.in_transaction
    store.execute("DROP TRIGGER refuse_review_event")
    store.add_content_review(**review())  # and the next one goes through
    assert len(rows(store)) == 1 and len(reviewed_events(store)) == 1
    assert store.audit_chain().intact


def test_a_review_inside_a_wider_transaction_is_a_savepoint(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.add_content_review(**review())
        raise RuntimeError("the wider change failed")
    assert rows(store) == [] and reviewed_events(store) == []
