"""What the records screen says, without a window: rows, empty states, verify verdicts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from app.document.verify import Certification, KnownRecord, VerifyReport
from app.records.search import ConsentSummary, PatientMatch
from app.records.view_model import (
    ConsentRow,
    PatientRow,
    consents_heading,
    has_chain,
    no_consent_message,
    no_patient_message,
    verify_view,
)

SUMMARY = ConsentSummary(
    id="0f1e2d3c-aaaa-bbbb-cccc-000000000001", patient_id="p1", status="signed",
    patient_name="Ana Núñez", patient_dob="1975-09-02", product_id="product.dysport",
    product_name="Dysport", areas="Glabellar lines", injector_name="Marco Rossi",
    injector_credentials="MD", created_at="2026-05-20T14:40:00+01:00",
    finalized_at="2026-05-20T15:00:07+01:00", content_version="1.0.0")
INTACT = Certification(signed=True, intact=True, trusted=True,
                       certified_by="Glabella Demo Clinic", issuer="Glabella Demo Clinic",
                       signed_at=datetime(2026, 5, 20, 15, 0, tzinfo=timezone(timedelta(hours=1))),
                       no_changes_allowed=True)
KNOWN = KnownRecord(SUMMARY.id, "Ana Núñez", SUMMARY.finalized_at)


def test_patient_row_counts_consents_in_words():
    row = PatientRow.of(PatientMatch("p1", "Ana Núñez", "1975-09-02", None, None, 1,
                                     "2026-05-20T15:00:07+01:00"))
    assert (row.consents, row.last) == ("1 consent", "last 2026-05-20")
    assert row.details == "born 1975-09-02 · 1 consent"
    none_yet = PatientRow.of(PatientMatch("p2", "Li Wei", "2000-02-02", None, None, 0, None))
    assert (none_yet.consents, none_yet.last) == ("0 consents", "no consent yet")


def test_consent_row_shows_local_minute_short_id_and_credentials():
    row = ConsentRow.of(SUMMARY)
    assert row.finalized == "2026-05-20 15:00"
    assert row.finalized_full == "2026-05-20 15:00 UTC+01:00"
    assert row.short_id == "0f1e2d3c"
    assert row.injector == "Marco Rossi, MD"
    assert row.status == "Signed"
    assert row.patient == "Ana Núñez (1975-09-02)"
    assert row.caption == "Record 0f1e2d3c · Ana Núñez (1975-09-02) · Dysport · 2026-05-20 15:00"
    assert ConsentRow.of(replace(SUMMARY, injector_credentials=None)).injector == "Marco Rossi"


def test_amendment_columns_only_when_a_row_has_them():
    row = ConsentRow.of(SUMMARY)
    assert (row.kind, row.amends) == (None, None) and not has_chain([row])
    assert has_chain([row, replace(row, kind="Withdrawal", amends=row.id)])


def test_empty_states_and_headings():
    patient = PatientRow("p1", "Ana Núñez", "1975-09-02", "1 consent", "")
    assert no_patient_message("  xyz ") == "No patient matches 'xyz'."
    assert no_consent_message(None, filtered=False) == "No consent has been finalized yet."
    assert no_consent_message(None, filtered=True) == "No consent matches these filters."
    assert no_consent_message(patient, filtered=True) == \
        "No consent of Ana Núñez matches these filters."
    assert no_consent_message(patient, filtered=False) == "Ana Núñez has no finalized consent."
    assert consents_heading(patient, 1, 200) == "History of Ana Núñez — 1 consent"
    assert consents_heading(None, 200, 200) == ("Register: all consents — 200 consents (the "
                                                "newest 200; narrow the filters to see older "
                                                "ones)")


def test_verify_view_intact_and_known():
    view = verify_view(VerifyReport("ab" * 32, 1234, INTACT, KNOWN, "stored record 0f1e2d3c"))
    assert view.tone == "success"
    assert view.headline == "Intact and known: this is the clinic's record, unchanged."
    assert view.facts[1] == ("Certified by: Glabella Demo Clinic (a certificate this clinic "
                             "holds), 2026-05-20 15:00 UTC+01:00.")
    assert view.facts[2] == (f"Known record: {SUMMARY.id} for Ana Núñez, finalized "
                             f"2026-05-20 15:00 UTC+01:00.")
    assert view.details[-1].startswith("Result:        OK")


def test_verify_view_modified_unsigned_foreign_and_unknown():
    broken = replace(INTACT, intact=False, problems=("the signed bytes no longer match",))
    modified = verify_view(VerifyReport("00", 1, broken, None))
    assert (modified.tone, modified.headline.split(":")[0]) == ("danger", "Modified")
    assert modified.facts[0] == "Certification: broken. The signed bytes no longer match."
    assert modified.facts[-1].startswith("Known record: none.")

    unsigned = verify_view(VerifyReport("00", 1, Certification(problems=("no signature",))))
    assert (unsigned.tone, unsigned.headline.split(":")[0]) == ("danger", "Not certified")

    foreign = verify_view(VerifyReport("00", 1, replace(INTACT, trusted=False), KNOWN))
    assert foreign.headline.startswith("Certified by someone else")
    assert "NOT a certificate this clinic holds" in foreign.facts[1]

    unknown = verify_view(VerifyReport("00", 1, INTACT, None))
    assert (unknown.tone, unknown.headline.split(":")[0]) == ("warning", "Intact, but unknown")
