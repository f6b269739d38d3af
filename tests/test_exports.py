"""Exports: a consent as a FHIR R4 Bundle carrying its PDF, and the register as CSV."""

from __future__ import annotations

import base64
import csv
import hashlib
import json

import pytest

from app.cli.main import main
from app.records.export_fhir import FhirExportError, build_bundle, ni_sha256, validate_bundle
from tests import db_keys


def _resources(bundle: dict) -> dict[str, dict]:
    return {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}


def test_fhir_bundle_validates_and_round_trips_the_pdf(certified, tmp_path, capsys, staff):
    data = certified.copy(tmp_path / "data").data_dir
    out = tmp_path / "out" / "consent.json"
    assert main(["records", "export-fhir", *staff, certified.consent_id, "--out", str(out),
                 "--data-dir", str(data)]) == 0
    assert "FHIR R4 transaction Bundle" in capsys.readouterr().out
    bundle = json.loads(out.read_text(encoding="utf-8"))
    validate_bundle(bundle)  # the file as written, not only what was built in memory
    from fhir.resources.R4B.bundle import Bundle

    assert Bundle.model_validate(bundle).type == "transaction"
    with db_keys.open_store(data / "glabella.db") as store:
        stored = store.get_pdf(certified.consent_id)
        row = store.get_consent(certified.consent_id)
        [event] = [e for e in store.audit_events(certified.consent_id)
                   if e["event"] == "consent.exported"]
    assert event["details"] == {"format": "fhir-r4-bundle", "path": str(out),
                                "pdf_sha256": row["pdf_sha256"]}
    res = _resources(bundle)
    attachment = res["DocumentReference"]["content"][0]["attachment"]
    pdf = base64.b64decode(attachment["data"], validate=True)
    assert pdf == stored == certified.pdf
    assert attachment["size"] == len(pdf)
    assert attachment["contentType"] == "application/pdf"
    # R4 Attachment.hash: base64 of the SHA-1; the SHA-256 as an RFC 6920 identifier
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(pdf).digest()
    [ni] = res["DocumentReference"]["identifier"]
    assert ni["value"] == ni_sha256(pdf)
    digest = base64.urlsafe_b64decode(ni["value"].split(";", 1)[1] + "=")
    assert digest.hex() == row["pdf_sha256"]


def test_fhir_bundle_links_patient_consent_and_document(certified):
    with db_keys.open_store(certified.data_dir / "glabella.db") as store:
        bundle = build_bundle(store, certified.consent_id)
    assert bundle["type"] == "transaction"
    assert {e["request"]["method"] for e in bundle["entry"]} == {"POST"}
    res = _resources(bundle)
    urls = {e["resource"]["resourceType"]: e["fullUrl"] for e in bundle["entry"]}
    consent = res["Consent"]
    assert consent["scope"]["coding"][0]["code"] == "treatment"
    assert consent["category"][0]["coding"][0]["code"] == "59284-0"
    assert consent["patient"]["reference"] == urls["Patient"]
    assert consent["sourceReference"]["reference"] == urls["DocumentReference"]
    assert res["DocumentReference"]["subject"]["reference"] == urls["Patient"]
    assert res["Patient"]["name"] == [{"text": "Zoë Ñúñez-Łukasz"}]
    assert res["Patient"]["birthDate"] == "1988-04-17"
    assert "Dana Whitfield, RN" in json.dumps(consent, ensure_ascii=False)


def test_an_invalid_bundle_is_refused_with_its_place(certified):
    with db_keys.open_store(certified.data_dir / "glabella.db") as store:
        bundle = build_bundle(store, certified.consent_id)
    bundle["entry"][2]["resource"]["content"][0]["attachment"]["size"] = "large"
    with pytest.raises(FhirExportError, match=r"entry\.2\.resource\.content\.0\.attachment"):
        validate_bundle(bundle)


def test_fhir_export_of_an_unknown_record(certified, tmp_path, capsys, staff):
    assert main(["records", "export-fhir", *staff, "nope", "--out", str(tmp_path / "x.json"),
                 "--data-dir", str(certified.data_dir)]) == 2
    assert "No consent was found with id 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_register_csv_for_excel(certified, tmp_path, capsys, staff):
    data = certified.copy(tmp_path / "data").data_dir
    out = tmp_path / "register.csv"
    assert main(["records", "export-csv", *staff, "--out", str(out), "--data-dir", str(data)]) == 0
    assert "1 consent written to" in capsys.readouterr().out
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel's cue for UTF-8
    assert b"%PDF" not in raw
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    [row] = rows
    assert row["consent_id"] == certified.consent_id
    assert row["patient_name"] == "Zoë Ñúñez-Łukasz"
    assert row["status"] == "signed"
    assert row["pdf_sha256"] == hashlib.sha256(certified.pdf).hexdigest()
    assert int(row["pdf_size"]) == len(certified.pdf)
