"""The store keeps amendment and withdrawal chains linear, per patient, and frozen."""

from __future__ import annotations

import pytest

from db import FinalizeRecord, ImmutableRecordError, Store, StoreError

PACK = {"hash": "a" * 64, "pack_id": "default", "version": "1.0.0", "snapshot_json": "{}"}


def record(consent_id: str, patient_id: str = "p1", link: dict | None = None
           ) -> FinalizeRecord:
    return FinalizeRecord(
        patient={"id": patient_id, "full_name": f"Patient {patient_id}",
                 "date_of_birth": "1988-04-17"},
        consent={"id": consent_id, "product_id": "product.botox-cosmetic",
                 "product_name": "Botox Cosmetic", "areas": "Glabellar lines",
                 "injector_name": "Dana Whitfield", "consent_json": "{}",
                 "pdf": f"%PDF {consent_id}".encode()},
        content_pack=PACK, link=link)


def link(kind: str, amends_id: str, reason: str = "Corrected") -> dict:
    return {"kind": kind, "amends_id": amends_id, "reason": reason}


@pytest.fixture
def store(tmp_path) -> Store:
    with Store.open(tmp_path / "glabella.db") as opened:
        opened.finalize(record("c1"))
        yield opened


def test_chain_is_linked_and_logged(store):
    store.finalize(record("a1", link=link("amendment", "c1")))
    store.finalize(record("w1", link=link("withdrawal", "a1", "Changed mind")))
    assert store.successor("c1")["consent_id"] == "a1"
    assert store.successor("a1")["consent_id"] == "w1"
    assert store.successor("w1") is None
    events = [(e["event"], e["consent_id"], e["details"].get("amends_id"))
              for e in store.audit_events()]
    assert ("consent.amended", "a1", "c1") in events
    assert ("consent.withdrawn", "w1", "a1") in events
    assert store.audit_chain().intact


@pytest.mark.parametrize("bad", [
    record("x", link=link("amendment", "missing")),  # no such consent
    record("x", patient_id="p2", link=link("amendment", "c1")),  # another patient's
    record("x", link=link("amendment", "c1", "   ")),  # no reason
    record("x", link=link("amendment", "c1", "r" * 501)),  # too long a reason
    record("x", link=link("edit", "c1")),  # no such kind
])
def test_bad_links_are_refused_and_nothing_is_written(store, bad):
    with pytest.raises(StoreError):
        store.finalize(bad)
    assert store.find_consent("x") is None
    assert store.successor("c1") is None


def test_a_chain_never_forks_and_ends_at_a_withdrawal(store):
    store.finalize(record("a1", link=link("amendment", "c1")))
    with pytest.raises(StoreError):
        store.finalize(record("a2", link=link("amendment", "c1")))
    store.finalize(record("w1", link=link("withdrawal", "a1")))
    for kind in ("amendment", "withdrawal"):
        with pytest.raises(StoreError, match="has not been withdrawn"):
            store.finalize(record("x", link=link(kind, "w1")))
    assert {r["id"] for r in store.list_consents()} == {"c1", "a1", "w1"}


def test_links_are_frozen_with_their_consent(store):
    store.finalize(record("a1", link=link("amendment", "c1")))
    with pytest.raises(ImmutableRecordError):
        store.execute("UPDATE consent_links SET reason = 'other' WHERE consent_id = 'a1'")
    with pytest.raises(ImmutableRecordError):
        store.execute("DELETE FROM consent_links WHERE consent_id = 'a1'")
    with pytest.raises(ImmutableRecordError):
        store.execute("INSERT INTO consent_links VALUES ('c1', 'amendment', 'a1', 'loop')")
    with pytest.raises(ImmutableRecordError):
        store.execute("UPDATE consents SET status = 'finalizing' WHERE id = 'c1'")
