"""``glabella records rerender``: a record renders again, byte for byte, to what was certified."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli.main import main
from app.clinic.details import Clinic, clinic_from_json, save_clinic
from app.consult import draft
from app.consult.content import pack_from_snapshot
from app.document.finalize import render_pdf
from app.document.rerender import RerenderError, rerender
from tests import db_keys
from tests.conftest import CertifiedClinic

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_a_record_rerenders_to_its_unsigned_hash(certified: CertifiedClinic, tmp_path, capsys,
                                                  staff):
    data = certified.copy(tmp_path / "data")
    out_file = tmp_path / "again.pdf"
    assert main(["records", "rerender", *staff, certified.consent_id, "--out", str(out_file),
                 "--data-dir", str(data.data_dir)]) == 0
    out = capsys.readouterr().out
    assert "MATCH" in out and certified.unsigned_sha256 in out
    again = out_file.read_bytes()
    assert hashlib.sha256(again).hexdigest() == certified.unsigned_sha256
    assert certified.pdf.startswith(again)  # the certified file is that render plus a signature


def test_rendering_is_identical_in_a_fresh_process(certified: CertifiedClinic, tmp_path, staff):
    """Another interpreter (fresh font registration, other hash seed) gives the same bytes."""
    data = certified.copy(tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "app", "records", "rerender", *staff, certified.consent_id,
         "--data-dir", str(data.data_dir)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "MATCH" in result.stdout


def test_changed_clinic_settings_do_not_change_the_rerender(certified, tmp_path):
    data = certified.copy(tmp_path / "data")
    with db_keys.open_store(data.data_dir / "glabella.db") as store:
        save_clinic(store, Clinic("Renamed Clinic", "9 Other Road", "555-0999"))
        assert rerender(store, certified.consent_id).match


def test_tampered_consent_json_is_a_mismatch(certified, tmp_path, capsys, staff):
    data = certified.copy(tmp_path / "data")
    db = data.data_dir / "glabella.db"
    conn = db_keys.connect(db)
    try:
        conn.execute("DROP TRIGGER consents_signed_no_update")
        (text,) = conn.execute("SELECT consent_json FROM consents WHERE id = ?",
                               [certified.consent_id]).fetchone()
        consent = json.loads(text)
        consent["plan"]["areas"][0]["units"] = 40.0  # twice the dose the patient agreed to
        conn.execute("UPDATE consents SET consent_json = ? WHERE id = ?",
                     [json.dumps(consent), certified.consent_id])
        conn.commit()
    finally:
        conn.close()
    assert main(["records", "rerender", *staff, certified.consent_id, "--data-dir",
                 str(data.data_dir)]) == 1
    out = capsys.readouterr().out
    assert "MISMATCH" in out and certified.unsigned_sha256 in out


def test_unknown_records_and_old_records(certified, tmp_path, capsys, staff):
    data = certified.copy(tmp_path / "data")
    assert main(["records", "rerender", *staff, "no-such-id",
                 "--data-dir", str(data.data_dir)]) == 2
    assert "No consent was found" in capsys.readouterr().err
    db = data.data_dir / "glabella.db"
    conn = db_keys.connect(db)
    try:  # as a record finalized before the hash of the unsigned render was kept
        conn.execute("DROP TRIGGER consents_signed_no_update")
        conn.execute("UPDATE consents SET unsigned_sha256 = NULL, clinic_json = NULL")
        conn.commit()
    finally:
        conn.close()
    with db_keys.open_store(db) as store, pytest.raises(RerenderError, match="finalized before"):
        rerender(store, certified.consent_id)
    assert main(["records", "rerender", *staff, certified.consent_id, "--data-dir",
                 str(data.data_dir)]) == 1


def test_a_record_stored_before_paper_sizes_renders_as_it_always_did() -> None:
    """Stored by the Glabella before clinics chose their paper (made with that code; its
    clinic has no paper): it renders to the same bytes, on A4, its note still labelled
    "Patient's note" as in the PDF that was certified."""
    record = json.loads((FIXTURES / "record-before-paper-sizes.json").read_text("utf-8"))
    assert "paper" not in json.loads(record["clinic_json"])
    pack = pack_from_snapshot(json.loads(record["snapshot_json"]))
    assert pack.hash == record["content_hash"]
    pdf = render_pdf(draft.from_json(record["consent_json"]), pack,
                     clinic_from_json(record["clinic_json"]))
    assert hashlib.sha256(pdf).hexdigest() == record["unsigned_sha256"]
    reader = PdfReader(io.BytesIO(pdf))
    assert {tuple(round(float(v)) for v in p.mediabox) for p in reader.pages} == \
        {(0, 0, 595, 842)}
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Patient's note: Had filler in 2024, no reaction." in text
