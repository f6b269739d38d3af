"""The clinic's id: made once, copied by a backup, changed only with its audit event."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from db import ImmutableRecordError, Store
from db.clinic_identity import change_clinic_id, clinic_id, clinic_name


def test_each_new_database_has_its_own_id_and_a_backup_copies_it(tmp_path):
    from db.upkeep import back_up_store

    with Store.open(tmp_path / "a.db") as a, Store.open(tmp_path / "b.db") as b:
        ours, theirs = clinic_id(a.database.conn), clinic_id(b.database.conn)
        assert ours and theirs and ours != theirs
        back_up_store(a, tmp_path / "copy.db")
    conn = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert clinic_id(conn) == ours
    finally:
        conn.close()


def test_a_change_goes_through_with_its_event_and_only_then(tmp_path):
    with Store.open(tmp_path / "a.db") as store:
        old, new = clinic_id(store.database.conn), str(uuid.uuid4())
        change_clinic_id(store, new, "clinic.moved", {"from": "a backup"})
        assert clinic_id(store.database.conn) == new
        event = store.audit_events()[-1]
        assert (event["event"], event["details"]["old_clinic_id"],
                event["details"]["new_clinic_id"]) == ("clinic.moved", old, new)
        assert store.audit_chain().intact
        # that event is no licence for another change, nor is one that is not the newest
        with pytest.raises(ImmutableRecordError, match="clinic id cannot be changed"):
            store.execute("UPDATE clinic_identity SET clinic_id = ?", [str(uuid.uuid4())])
        store.log_event("clinic.moved", details={"old_clinic_id": new,
                                                  "new_clinic_id": old})
        store.log_event("settings.changed", details={"key": "x"})
        with pytest.raises(ImmutableRecordError, match="clinic id cannot be changed"):
            store.execute("UPDATE clinic_identity SET clinic_id = ?", [old])
        with pytest.raises(ImmutableRecordError, match="clinic id cannot be changed"):
            store.execute("INSERT OR REPLACE INTO clinic_identity VALUES (1, ?, 'now')",
                          [str(uuid.uuid4())])
        assert clinic_id(store.database.conn) == new


def test_the_clinic_name_is_none_until_set(tmp_path):
    with Store.open(tmp_path / "a.db") as store:
        assert clinic_name(store.database.conn) is None
        store.set_setting("clinic.name", "Riverside Aesthetics")
        assert clinic_name(store.database.conn) == "Riverside Aesthetics"
