"""Amendment and withdrawal chains: consent -> amendment -> withdrawal, end to end."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli.main import main
from app.consult import draft
from app.consult.amendments import AmendmentError
from app.consult.consent import Consent, PlannedArea
from app.consult.demo import build_demo_consent, demo_strokes
from app.consult.signature_image import strokes_to_png
from app.document.finalize import IncompleteConsentError
from app.records.export_fhir import build_bundle, validate_bundle
from app.records.search import patient_history
from app.runtime.service import Glabella
from tests.conftest import FIXED_NOW
from tests.db_keys import sealed_draft

AMEND_REASON = "Units corrected: 16 in the glabellar area, not 20."
WITHDRAW_REASON = "The patient decided not to go ahead today."


def sign_all(service: Glabella, consent: Consent) -> None:
    """Every required signature of the consent's own roles."""
    for n, role in enumerate(r for r in consent.signature_roles(service.pack) if r.required):
        name = consent.patient.full_name if role.id == "patient" else "Dana Whitfield, RN"
        consent.sign(service.pack, role.id, name, strokes_to_png(demo_strokes(n)),
                     demo_strokes(n), service.clock)


def pdf_text(pdf: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)


@dataclass
class Chain:
    service: Glabella
    original: str
    amendment: str
    withdrawal: str
    original_sha256: str


@pytest.fixture(scope="module")
def chain_dir(pack, tmp_path_factory) -> Path:
    """A clinic with one chain, built once: consent, its amendment, then a withdrawal."""
    data = tmp_path_factory.mktemp("chain") / "data"
    times = iter(FIXED_NOW + timedelta(days=d) for d in range(3))
    now = [next(times)]
    service = Glabella.open(data, clock=lambda: now[0])
    try:
        original = service.finalize(build_demo_consent(pack, service.clock)).consent_id
        now[0] = next(times)
        amendment = service.start_amendment(original, AMEND_REASON)
        amendment.set_plan(replace(amendment.plan, areas=[PlannedArea("area.glabellar", 16.0)]))
        sign_all(service, amendment)
        amended = service.finalize(amendment).consent_id
        now[0] = next(times)
        withdrawal = service.start_withdrawal(amended, WITHDRAW_REASON)
        sign_all(service, withdrawal)
        withdrawn = service.finalize(withdrawal).consent_id
    finally:
        service.close()
    (data / "chain.json").write_text(json.dumps([original, amended, withdrawn]))
    return data


@pytest.fixture
def chain(chain_dir, tmp_path) -> Iterator[Chain]:
    import shutil

    data = tmp_path / "data"
    shutil.copytree(chain_dir, data)
    ids = json.loads((data / "chain.json").read_text())
    service = Glabella.open(data, clock=lambda: FIXED_NOW + timedelta(days=5))
    sha = service.store.get_consent(ids[0])["pdf_sha256"]
    yield Chain(service, *ids, sha)
    service.close()


def test_chain_is_stored_with_links_and_the_original_untouched(chain):
    store = chain.service.store
    assert store.consent_link(chain.original) is None
    assert store.consent_link(chain.amendment) == {
        "consent_id": chain.amendment, "kind": "amendment", "amends_id": chain.original,
        "reason": AMEND_REASON}
    assert store.consent_link(chain.withdrawal)["amends_id"] == chain.amendment
    pdf = store.get_pdf(chain.original)
    assert hashlib.sha256(pdf).hexdigest() == chain.original_sha256 == \
        store.get_consent(chain.original)["pdf_sha256"]
    assert draft.from_json(store.get_consent(chain.original)["consent_json"]).kind == "consent"


def test_history_shows_kind_link_and_effective_status(chain):
    patient_id = chain.service.store.get_consent(chain.original)["patient_id"]
    history = {c.id: c for c in patient_history(chain.service.store, patient_id)}
    assert (history[chain.original].status, history[chain.original].kind) == \
        ("withdrawn", "consent")
    assert (history[chain.amendment].status, history[chain.amendment].amends,
            history[chain.amendment].reason) == ("withdrawn", chain.original, AMEND_REASON)
    assert (history[chain.withdrawal].status, history[chain.withdrawal].kind) == \
        ("signed", "withdrawal")
    assert not any(c.is_head for c in history.values())


def test_amended_not_withdrawn_status(certified, pack, tmp_path):
    service = Glabella.open(certified.copy(tmp_path / "d").data_dir,
                            clock=lambda: FIXED_NOW + timedelta(hours=1))
    try:
        amendment = service.start_amendment(certified.consent_id, "Lot number corrected.")
        sign_all(service, amendment)
        service.finalize(amendment)
        history = {c.id: c for c in patient_history(
            service.store, amendment.patient.id)}
        assert history[certified.consent_id].status == "amended"
        assert history[amendment.id].is_head and history[amendment.id].status == "signed"
    finally:
        service.close()


def test_amendment_starts_as_a_copy_without_signatures(certified, pack, tmp_path):
    service = Glabella.open(certified.copy(tmp_path / "d").data_dir,
                            clock=lambda: FIXED_NOW + timedelta(hours=1))
    try:
        original = draft.from_json(service.store.get_consent(certified.consent_id)
                                   ["consent_json"])
        amendment = service.start_amendment(certified.consent_id, "  Lot number corrected. ")
    finally:
        service.close()
    assert amendment.id != original.id and amendment.signatures == {}
    assert amendment.created_at == FIXED_NOW + timedelta(hours=1)
    assert (amendment.kind, amendment.amends_id, amendment.reason) == \
        ("amendment", certified.consent_id, "Lot number corrected.")
    assert amendment.amends_finalized_at == original.finalized_at
    assert amendment.plan == original.plan and amendment.screening == original.screening
    assert amendment.acknowledgements == original.acknowledgements
    assert amendment.patient == original.patient
    assert [m.step for m in amendment.missing(pack)] == ["signatures", "signatures"]


def test_reason_is_required_and_limited(certified, pack, tmp_path):
    service = Glabella.open(certified.copy(tmp_path / "d").data_dir, clock=lambda: FIXED_NOW)
    try:
        for reason in ("", "   \n "):
            with pytest.raises(AmendmentError, match="Give the reason"):
                service.start_amendment(certified.consent_id, reason)
            with pytest.raises(AmendmentError, match="Give the reason"):
                service.start_withdrawal(certified.consent_id, reason)
        with pytest.raises(AmendmentError, match="too long"):
            service.start_amendment(certified.consent_id, "x" * 501)
        withdrawal = service.start_withdrawal(certified.consent_id, "Changed her mind.")
    finally:
        service.close()
    withdrawal.reason = " "
    assert "The reason for the withdrawal is not recorded." in \
        [m.message for m in withdrawal.missing(pack)]


def test_withdrawal_needs_only_reason_patient_and_witness(certified, pack, tmp_path):
    service = Glabella.open(certified.copy(tmp_path / "d").data_dir, clock=lambda: FIXED_NOW)
    try:
        withdrawal = service.start_withdrawal(certified.consent_id, "Changed her mind.")
        assert [m.item_id for m in withdrawal.missing(pack)] == ["patient", "witness"]
        with pytest.raises(IncompleteConsentError):
            service.finalize(withdrawal)
        sign_all(service, withdrawal)
        assert withdrawal.missing(pack) == []
    finally:
        service.close()


def test_only_the_head_of_a_live_chain_can_be_amended(chain):
    service = chain.service
    with pytest.raises(AmendmentError, match=f"withdrawn by record {chain.withdrawal[:8]}"):
        service.start_amendment(chain.original, "Again")
    with pytest.raises(AmendmentError, match=f"withdrawn by record {chain.withdrawal[:8]}"):
        service.start_withdrawal(chain.amendment, "Again")
    with pytest.raises(AmendmentError, match="is a withdrawal"):
        service.start_amendment(chain.withdrawal, "Again")
    with pytest.raises(AmendmentError, match="No consent was found"):
        service.start_amendment("no-such-id", "Again")


def test_amending_a_non_head_names_the_newer_record(certified, pack, tmp_path):
    service = Glabella.open(certified.copy(tmp_path / "d").data_dir,
                            clock=lambda: FIXED_NOW + timedelta(hours=1))
    try:
        first = service.start_amendment(certified.consent_id, "First correction.")
        second = service.start_amendment(certified.consent_id, "Second correction.")
        sign_all(service, first)
        service.finalize(first)
        # the second was started from the same original: finalizing it would fork the chain
        sign_all(service, second)
        with pytest.raises(AmendmentError, match=f"newest record is {first.id[:8]}"):
            service.finalize(second)
        assert service.store.find_consent(second.id) is None
    finally:
        service.close()


def test_pdfs_say_what_they_are(chain):
    store = chain.service.store
    amended = pdf_text(store.get_pdf(chain.amendment))
    assert "Amended consent" in amended
    assert f"Amendment of consent {chain.original[:8]} signed" in amended
    assert AMEND_REASON in amended
    withdrawn = pdf_text(store.get_pdf(chain.withdrawal))
    assert "Withdrawal of consent" in withdrawn
    assert f"withdraws consent to the botulinum-toxin treatment in consent record " \
           f"{chain.amendment[:8]}" in " ".join(withdrawn.split())
    assert WITHDRAW_REASON in withdrawn
    assert "Patient withdrawal of consent" in withdrawn
    assert "Staff witness to the withdrawal" in withdrawn
    assert "Zoë Ñúñez-Łukasz" in withdrawn and "Dana Whitfield, RN" in withdrawn
    assert "Screening" not in withdrawn  # the short document: no consult sections


def test_verify_rerender_and_audit_for_both(chain):
    service = chain.service
    for consent_id in (chain.amendment, chain.withdrawal):
        report = service.verify_pdf(service.store.get_pdf(consent_id))
        assert report.ok and report.record.consent_id == consent_id
        assert service.rerender(consent_id).match
    events = {(e["event"], e["consent_id"]): e["details"]
              for e in service.store.audit_events()}
    assert events[("consent.amended", chain.amendment)]["amends_id"] == chain.original
    assert events[("consent.withdrawn", chain.withdrawal)]["amends_id"] == chain.amendment
    assert ("consent.finalized", chain.withdrawal) in events
    assert service.store.audit_chain().intact


def test_commands_on_a_chain(chain, capsys, staff):
    data = str(chain.service.paths.root)  # read-only commands run beside the open window
    assert main(["audit", "verify", "--data-dir", data]) == 0
    for consent_id in (chain.amendment, chain.withdrawal):
        assert main(["records", "rerender", *staff, consent_id, "--data-dir", data]) == 0
    capsys.readouterr()
    assert main(["records", "list", *staff, "--data-dir", data]) == 0
    listed = capsys.readouterr().out
    assert f"[amendment of {chain.original[:8]}: {AMEND_REASON}]" in listed
    assert f"[withdrawal of {chain.amendment[:8]}: {WITHDRAW_REASON}]" in listed
    assert main(["records", "search", *staff, "nunez", "--data-dir", data]) == 0
    found = capsys.readouterr().out
    assert f"{chain.original}  withdrawn" in found


def test_finalize_draft_with_link_fields(certified, pack, tmp_path, capsys, staff):
    data = certified.copy(tmp_path / "d").data_dir
    service = Glabella.open(data, clock=lambda: FIXED_NOW + timedelta(hours=1))
    try:
        amendment = service.start_amendment(certified.consent_id, "Expiry corrected.")
        sign_all(service, amendment)
    finally:
        service.close()
    good = draft.to_dict(amendment)
    assert (good["kind"], good["amends_id"], good["reason"]) == \
        ("amendment", certified.consent_id, "Expiry corrected.")
    bad = {**good, "id": "a-new-id", "amends_id": "no-such-record"}
    bad_file = sealed_draft(draft.from_dict(bad), data, tmp_path / "bad")
    assert main(["finalize", *staff, str(bad_file), "--data-dir", str(data)]) == 1
    assert "No consent was found with id 'no-such-record'" in capsys.readouterr().err
    good_file = sealed_draft(draft.from_dict(good), data, tmp_path / "good")
    assert main(["finalize", *staff, str(good_file), "--data-dir", str(data)]) == 0
    again = {**good, "id": "another-id"}
    again_file = sealed_draft(draft.from_dict(again), data, tmp_path / "again")
    assert main(["finalize", *staff, str(again_file), "--data-dir", str(data)]) == 1
    assert f"newest record is {amendment.id[:8]}" in capsys.readouterr().err


def test_draft_round_trip_and_bad_kind():
    consent = Consent("p", "1", "h", FIXED_NOW, kind="withdrawal", amends_id="x",
                      amends_finalized_at=FIXED_NOW - timedelta(days=1), reason="Why")
    back = draft.from_json(draft.to_json(consent))
    assert (back.kind, back.amends_id, back.amends_finalized_at, back.reason) == \
        ("withdrawal", "x", FIXED_NOW - timedelta(days=1), "Why")
    with pytest.raises(draft.DraftError, match=r"\$.kind"):
        draft.from_dict({**draft.to_dict(consent), "kind": "edit"})
    older = draft.to_dict(consent)
    for key in ("kind", "amends_id", "amends_finalized_at", "reason"):
        del older[key]
    assert draft.from_dict(older).kind == "consent"


def test_fhir_marks_withdrawal_inactive_and_amendment_replaces(chain):
    store = chain.service.store
    now = datetime(2027, 1, 1, tzinfo=UTC)
    amended = build_bundle(store, chain.amendment, now)
    withdrawn = build_bundle(store, chain.withdrawal, now)
    for bundle in (amended, withdrawn):
        validate_bundle(bundle)
    consent, document = (e["resource"] for e in withdrawn["entry"][1:])
    assert (consent["status"], consent["provision"]["type"]) == ("inactive", "deny")
    relates = amended["entry"][2]["resource"]["relatesTo"][0]
    assert relates["code"] == "replaces"
    assert chain.original in relates["target"]["display"]
