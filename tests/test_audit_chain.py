"""The audit log's hash chain: written by the store, checked by ``glabella audit verify``.

Tampering is done the way someone with the database file would: in a copy, with the
triggers (and the one-successor index) dropped, then editing, deleting, reordering or
inserting rows directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from app.cli.main import main
from db import ImmutableRecordError, Store, cipher, connect
from db.audit_chain import GENESIS, event_hash, os_user
from db.migrations import migrations
from tests import db_keys
from tests.conftest import CertifiedClinic

LOCKS = ("DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete",
         "DROP TRIGGER audit_events_chained", "DROP INDEX idx_audit_events_prev_hash")


@pytest.fixture
def session(certified: CertifiedClinic, tmp_path: Path) -> Path:
    """A real session's log: identity made, consent finalized, settings changed, and more."""
    data = certified.copy(tmp_path / "data")
    with db_keys.open_store(data.data_dir / "glabella.db") as store:
        store.set_setting("clinic.phone", "555-0111")
        store.log_event("consent.exported", consent_id=certified.consent_id,
                        details={"path": "/tmp/x.pdf"})
        store.log_event("session.locked", actor="Dana Whitfield")
        store.log_event("consent.viewed", consent_id=certified.consent_id, actor="Dr Ruiz")
    return data.data_dir / "glabella.db"


def _tamper(db_path: Path, *statements: str, params: list[list] | None = None) -> None:
    conn = db_keys.connect(db_path)
    try:
        for sql in LOCKS:
            conn.execute(sql)
        for i, sql in enumerate(statements):
            conn.execute(sql, (params or [[]] * len(statements))[i])
        conn.commit()
    finally:
        conn.close()


def _rows(db_path: Path) -> list[dict]:
    database = connect(db_path, db_keys.key_of(db_path))
    try:
        return list(database.query("SELECT * FROM audit_events ORDER BY seq"))
    finally:
        database.close()


def _verify(db_path: Path, capsys) -> tuple[int, str]:
    code = main(["audit", "verify", "--data-dir", str(db_path.parent)])
    return code, capsys.readouterr().out


def test_a_real_session_log_is_intact(session: Path, capsys):
    code, out = _verify(session, capsys)
    assert code == 0, out
    rows = _rows(session)
    assert f"Audit log intact: {len(rows)} events" in out
    assert f"Head hash: {rows[-1]['hash']}" in out
    events = [r["event"] for r in rows]
    assert {"signing.identity_created", "consent.finalized", "settings.changed",
            "consent.exported"} <= set(events)
    assert rows[0]["prev_hash"] == GENESIS and [r["seq"] for r in rows] == list(
        range(1, len(rows) + 1))
    for before, after in zip(rows, rows[1:], strict=False):
        assert after["prev_hash"] == before["hash"] == event_hash(before)


def test_an_edited_event_is_named(session: Path, capsys):
    _tamper(session, "UPDATE audit_events SET details_json = ? WHERE seq = 3",
            params=[[json.dumps({"key": "clinic.name", "old": None, "new": "Someone else"})]])
    code, out = _verify(session, capsys)
    assert code == 1
    assert "TAMPERED at seq 3" in out and "edited: seq 3" in out


def test_an_edited_timestamp_is_named(session: Path, capsys):
    last = _rows(session)[-1]["seq"]
    _tamper(session, f"UPDATE audit_events SET at = '2020-01-01T00:00:00+00:00' WHERE seq = {last}")
    code, out = _verify(session, capsys)
    assert code == 1 and f"edited: seq {last}" in out


@pytest.mark.parametrize("origin", [
    None,  # stripped, to pass the event off as one logged before origins were recorded
    json.dumps({"os_user": "someone", "via": "window", "staff": "Dr Ruiz", "staff_id": "x"}),
])
def test_an_edited_or_removed_origin_is_named(session: Path, capsys, origin):
    last = _rows(session)[-1]
    assert json.loads(last["origin_json"])["os_user"] == os_user()  # every new event has one
    _tamper(session, f"UPDATE audit_events SET origin_json = ? WHERE seq = {last['seq']}",
            params=[[origin]])
    code, out = _verify(session, capsys)
    assert code == 1 and f"edited: seq {last['seq']}" in out


def test_events_logged_before_origins_still_verify_beside_new_ones(tmp_path: Path, capsys):
    """A clinic's log from before m0017: its events have no origin and keep their hashes;
    the events logged after the upgrade carry one, and the chain runs on through both."""
    import shutil

    fixture = sorted((Path(__file__).parent / "fixtures").glob("schema-9-*.db"))[0]
    db = tmp_path / "glabella.db"
    shutil.copy(fixture, db)
    with Store.open(db) as store:
        store.log_event("consent.viewed", actor="Dr Ruiz")
    rows = _rows(db)
    assert [r["origin_json"] is None for r in rows] == [True] * (len(rows) - 1) + [False]
    code, out = _verify(db, capsys)
    assert code == 0, out


def test_a_deleted_event_is_named(session: Path, capsys):
    _tamper(session, "DELETE FROM audit_events WHERE seq = 2")
    code, out = _verify(session, capsys)
    assert code == 1
    assert "TAMPERED at seq 3" in out and "deleted" in out and "seq 2 missing" in out


def test_deleting_the_last_events_is_caught(session: Path, capsys):
    last = _rows(session)[-1]["seq"]
    _tamper(session, f"DELETE FROM audit_events WHERE seq >= {last - 1}")
    code, out = _verify(session, capsys)
    assert code == 1
    assert f"the log ends at seq {last - 2} but had reached seq {last}" in out


def test_a_deletion_hidden_by_rewriting_the_links_is_caught(session: Path, capsys):
    """Deleting seq 2 and re-chaining what follows still leaves the numbering gap."""
    _tamper(session, "DELETE FROM audit_events WHERE seq = 2")
    rows = _rows(session)
    prev = rows[0]["hash"]
    statements, params = [], []
    for row in rows[1:]:
        row["prev_hash"] = prev
        row["hash"] = prev = event_hash(row)
        statements.append("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?")
        params.append([row["prev_hash"], row["hash"], row["seq"]])
    _relink(session, statements, params)
    code, out = _verify(session, capsys)
    assert code == 1 and "deleted" in out and "seq 2 missing" in out


def _relink(db_path: Path, statements: list[str], params: list[list]) -> None:
    conn = db_keys.connect(db_path)  # the locks are already gone in this copy
    try:
        for sql, values in zip(statements, params, strict=True):
            conn.execute(sql, values)
        conn.commit()
    finally:
        conn.close()


def test_reordered_events_are_named(session: Path, capsys):
    _tamper(session,
            "UPDATE audit_events SET seq = -1 WHERE seq = 3",
            "UPDATE audit_events SET seq = 3 WHERE seq = 4",
            "UPDATE audit_events SET seq = 4 WHERE seq = -1")
    code, out = _verify(session, capsys)
    assert code == 1
    assert "TAMPERED at seq 3" in out and "reordered" in out
    assert "written right after seq 4" in out  # its true predecessor, now numbered 4


def test_an_inserted_event_is_named(session: Path, capsys):
    """A forged event slipped in after seq 2, properly hashed, later events renumbered."""
    rows = _rows(session)
    statements = ["UPDATE audit_events SET seq = seq + 1000 WHERE seq > 2",
                  "UPDATE audit_events SET seq = seq - 999 WHERE seq > 1000"]
    forged = {"seq": 3, "id": "forged", "at": rows[1]["at"], "event": "consent.withdrawn",
              "consent_id": None, "actor": "nobody", "details_json": "{}",
              "prev_hash": rows[1]["hash"]}
    forged["hash"] = event_hash(forged)
    columns = ", ".join(forged)
    statements.append(f"INSERT INTO audit_events ({columns}) VALUES "
                      f"({', '.join('?' * len(forged))})")
    _tamper(session, *statements, params=[[], [], list(forged.values())])
    code, out = _verify(session, capsys)
    assert code == 1
    assert "TAMPERED at seq 3" in out and "inserted: seq 3 (consent.withdrawn)" in out


def test_an_appended_event_without_a_valid_hash_is_caught(session: Path, capsys):
    last = _rows(session)[-1]
    _tamper(session, "INSERT INTO audit_events (id, at, event, details_json, prev_hash, hash)"
                     " VALUES ('x', '2026-11-23T10:00:00+00:00', 'consent.viewed', '{}', ?, ?)",
            params=[[last["hash"], "f" * 64]])
    code, out = _verify(session, capsys)
    assert code == 1 and f"edited: seq {last['seq'] + 1}" in out


def test_triggers_still_refuse_changes_and_unchained_inserts(session: Path):
    with db_keys.open_store(session) as store:
        with pytest.raises(ImmutableRecordError):
            store.execute("UPDATE audit_events SET actor = 'x' WHERE seq = 1")
        with pytest.raises(ImmutableRecordError):
            store.execute("DELETE FROM audit_events WHERE seq = 1")
        with pytest.raises(cipher.IntegrityError, match="hash-chain"):
            store.execute("INSERT INTO audit_events (id, at, event) VALUES ('y', 'now', 'e')")


def test_a_rolled_back_event_leaves_no_gap(tmp_path: Path):
    with db_keys.open_store(tmp_path / "glabella.db") as store:
        store.log_event("one")
        with pytest.raises(RuntimeError), store.database.atomic():
            store.log_event("never")
            raise RuntimeError
        store.log_event("two")
        report = store.audit_chain()
        assert report.intact and report.events == 2
        assert [e["seq"] for e in store.audit_events()] == [1, 2]


def test_a_database_from_before_the_chain_is_upgraded_and_chained(tmp_path: Path, capsys):
    path = tmp_path / "glabella.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m0002_certified_pdfs")
    old.execute("INSERT INTO settings VALUES ('clinic.name', 'Old Clinic', '2025-01-01')")
    for n, event in enumerate(("settings.changed", "consent.finalized", "consent.exported")):
        old.execute("INSERT INTO audit_events (id, at, event, details_json) VALUES (?, ?, ?, ?)",
                    [f"old-{n}", f"2025-01-0{n + 1}T09:00:00+00:00", event,
                     json.dumps({"n": n})])
    old.conn.commit()
    assert "hash" not in {c.name for c in old["audit_events"].columns}
    old.close()

    with db_keys.open_store(path) as store:
        store.log_event("consent.verified")
        rows = store.audit_events()
        report = store.audit_chain()
        columns = {c.name for c in store.database["consents"].columns}
    assert report.intact and report.events == 4
    assert [r["id"] for r in rows[:3]] == ["old-0", "old-1", "old-2"]
    assert rows[0]["prev_hash"] == GENESIS and rows[3]["prev_hash"] == rows[2]["hash"]
    assert {"unsigned_sha256", "clinic_json"} <= columns
    code = main(["audit", "verify", "--data-dir", str(tmp_path)])
    assert code == 0, capsys.readouterr().out


def test_audit_verify_usage_error_without_a_database(tmp_path: Path, capsys):
    assert main(["audit", "verify", "--data-dir", str(tmp_path / "none")]) == 2
    assert "no clinic database" in capsys.readouterr().err
