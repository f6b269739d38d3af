"""The CSV register never hands Excel a formula to run."""

from __future__ import annotations

import csv

from app.records.export_csv import export_register


def test_register_cells_never_run_as_formulas(store, make_record, tmp_path):
    store.finalize(make_record(full_name='=HYPERLINK("http://x","y")'))
    out = tmp_path / "r.csv"
    assert export_register(store, out) == 1
    [row] = csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines())
    assert row["patient_name"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert not out.with_name("r.csv.partial").exists()
    [event] = [e for e in store.audit_events() if e["event"] == "register.exported"]
    assert event["details"]["rows"] == 1
