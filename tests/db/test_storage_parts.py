"""The storage functions the core calls by name: the one transaction, the plain staff reads,
the audit log's append and chain on a plain connection, and upkeep's reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from db import FinalizeRecord, ImmutableRecordError, Store, audit_chain, cipher, staff, upkeep
from tests import db_keys


def test_an_outer_transaction_commits_everything_once(store: Store, db_path: Path) -> None:
    with store.transaction():
        store.set_setting("a", "1")
        assert store.database.conn.in_transaction
        with store.transaction():  # a savepoint
            store.set_setting("b", "2")
        other = db_keys.connect(db_path)  # nothing is visible before the outer commit
        assert other.execute("SELECT count(*) FROM settings").fetchone()[0] == 0
    assert not store.database.conn.in_transaction
    assert other.execute("SELECT count(*) FROM settings").fetchone()[0] == 2
    other.close()


def test_a_failed_savepoint_rolls_back_only_itself(store: Store) -> None:
    with store.transaction():
        store.set_setting("kept", "yes")
        with pytest.raises(RuntimeError), store.transaction():
            store.set_setting("dropped", "yes")
            raise RuntimeError("the inner change failed")
    assert store.all_settings() == {"kept": "yes"}
    assert [e["details"]["key"] for e in store.audit_events()] == ["kept"]


def test_the_outermost_level_takes_the_write_lock_at_once(store: Store, db_path: Path) -> None:
    other = db_keys.connect(db_path, timeout=0)
    with store.transaction():
        with pytest.raises(cipher.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.close()


def test_trigger_refusals_come_out_as_immutable_record_errors(
        store: Store, make_record: Callable[..., FinalizeRecord]) -> None:
    consent_id = store.finalize(make_record())
    with pytest.raises(ImmutableRecordError), store.transaction():
        store.database.execute("UPDATE consents SET areas = 'x' WHERE id = ?", [consent_id])
    assert store.get_consent(consent_id)["areas"] != "x"


def test_the_first_screens_connection_only_reads(store: Store, db_path: Path) -> None:
    store.set_setting("clinic.name", "Northside Skin")
    conn = staff.open_query_only(db_path, db_keys.key_of(db_path))
    try:
        assert staff.setting(conn, "clinic.name") == "Northside Skin"
        assert staff.setting(conn, "absent") is None
        assert staff.member_rows(conn) == [] and staff.staff_count(conn) == 0
        assert staff.pin_row(conn, "nobody") is None and not staff.is_active(conn, "nobody")
        with pytest.raises(cipher.OperationalError):
            conn.execute("DELETE FROM settings")
    finally:
        conn.close()


def test_staff_writes_go_with_the_store(store: Store) -> None:
    member = {"id": "s1", "full_name": "Ana Ruiz", "credentials": "MD", "role": "Injector",
              "is_admin": True}
    pin = ("scrypt", "{}", b"s" * 16, b"h" * 32)
    with store.transaction():
        staff.insert_member(store, member, pin, "2026-01-01T09:00:00+00:00")
    conn = staff.connection(store)
    assert staff.member_row(conn, "s1") == (
        "s1", "Ana Ruiz", "MD", "Injector", 1, 1, "2026-01-01T09:00:00+00:00")
    assert staff.active_admin_count(conn) == 1
    staff.set_pin(store, "s1", ("scrypt", "{}", b"t" * 16, b"i" * 32), "2026-01-02T09:00:00Z")
    assert staff.pin_row(conn, "s1") == ("scrypt", "{}", b"t" * 16, b"i" * 32)
    staff.set_active(store, "s1", False)
    assert staff.member_rows(conn) == [] and len(staff.member_rows(conn, include_inactive=True))


def test_the_chain_is_walked_on_a_read_only_connection(store: Store, db_path: Path) -> None:
    store.log_event("one")
    store.log_event("two", details={"n": 2})
    conn = db_keys.connect(db_path, read_only=True)
    try:
        report = audit_chain.chain_report(conn)
        assert report.intact and report.events == 2 and report.head == store.audit_chain().head
        assert audit_chain.last_event(conn, "two") == (
            store.audit_events()[-1]["at"], {"n": 2})
        assert audit_chain.last_event(conn, "never") is None
    finally:
        conn.close()


def test_upkeep_reads(store: Store, db_path: Path, tmp_path: Path,
                      make_record: Callable[..., FinalizeRecord]) -> None:
    assert upkeep.last_backup(store) is None and upkeep.consent_count(store) == 0
    store.finalize(make_record())
    store.log_event(upkeep.BACKUP_EVENT, details={"path": "/backups/x.db"},
                    at="2026-01-01T00:00:00+00:00")
    assert upkeep.last_backup(store) == ("2026-01-01T00:00:00+00:00", {"path": "/backups/x.db"})
    assert upkeep.consent_count(store) == 1
    assert upkeep.integrity_check(store) == "ok"
    assert upkeep.startup_problems(store, db_path.stat().st_size) == []
    copy = tmp_path / "copy.db"
    upkeep.back_up_store(store, copy)
    assert not copy.with_name("copy.db-wal").exists()  # self-contained
    with Store.open(copy) as copied:
        assert upkeep.consent_count(copied) == 1
