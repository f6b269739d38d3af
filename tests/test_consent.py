"""The completeness rule: nothing can be finalized while anything required is missing."""

from __future__ import annotations

from datetime import date

import pytest

from app.consult.consent import Consent, ConsentError, PlannedArea, TreatmentPlan
from app.consult.demo import build_demo_consent, demo_strokes
from app.consult.patient import Patient
from app.consult.signature_image import strokes_to_png


def steps(consent, pack):
    return {m.step for m in consent.missing(pack)}


def test_new_consent_lists_every_kind_of_missing_item(pack, clock):
    consent = Consent.start(pack, clock)
    missing = consent.missing(pack)
    assert steps(consent, pack) == {"patient", "screening", "plan", "risks", "signatures"}
    # the boxed warning, the risks, the expectations and the Medication Guide (the product's
    # own facts join once a product is chosen)
    n_items = 1 + len(pack.risks) + len(pack.expectations) + 1
    assert sum(m.step == "risks" for m in missing) == n_items
    assert sum(m.step == "screening" for m in missing) == len(pack.screening)
    assert consent.content_hash == pack.hash


def test_demo_consent_is_complete(pack, clock):
    consent = build_demo_consent(pack, clock)
    assert consent.missing(pack) == []
    assert consent.is_complete(pack)


def test_each_acknowledgement_is_required_on_its_own(pack, clock):
    consent = build_demo_consent(pack, clock)
    consent.withdraw_acknowledgement(pack.risks[-1].id)
    missing = consent.missing(pack)
    assert any(m.item_id == pack.risks[-1].id for m in missing)


def test_hard_stop_needs_an_override_reason_and_flags_do_not(pack, clock):
    consent = build_demo_consent(pack, clock)
    hard = next(q for q in pack.screening if q.is_hard_stop)
    flag = next(q for q in pack.screening if not q.is_hard_stop)
    consent.answer(flag.id, "yes")
    assert [m for m in consent.missing(pack) if m.step == "screening"] == []
    assert consent.flagged_screening(pack)[0][0] == flag.id
    consent.answer(hard.id, "yes")
    assert [m.item_id for m in consent.missing(pack) if m.step == "screening"] == [hard.id]
    consent.override(hard.id, "Allergy was to a different product; checked with GP letter.")
    assert not [m for m in consent.missing(pack) if m.step == "screening"]
    consent.answer(hard.id, "no")
    consent.answer(hard.id, "yes")  # an override never survives a change of answer
    assert [m.item_id for m in consent.missing(pack) if m.step == "screening"] == [hard.id]
    with pytest.raises(ConsentError):
        consent.override(flag.id + ".nope", "x")


def test_off_label_area_adds_the_disclosure(pack, clock):
    consent = build_demo_consent(pack, clock)
    product = next(p for p in pack.products if len(p.approvals) == 1)
    off_label = next(a for a in pack.areas if not product.approvals_for(a.id))
    consent.set_plan(TreatmentPlan(product.id, [PlannedArea(product.approvals[0].area)]))
    assert pack.off_label.id not in [i.item_id for i in consent.required_items(pack)]
    consent.set_plan(TreatmentPlan(product.id, [PlannedArea(off_label.id, 4)]))
    assert consent.off_label_area_ids(pack) == [off_label.id]
    assert pack.off_label.id in [m.item_id for m in consent.missing(pack)]


def test_any_change_after_signing_clears_signatures(pack, clock):
    consent = build_demo_consent(pack, clock)
    assert set(consent.signatures) == {"patient", "injector"}
    consent.answer(pack.screening[0].id, "no")
    assert consent.signatures == {}
    assert steps(consent, pack) == {"signatures"}


def test_minor_needs_the_injectors_reason(pack, clock):
    consent = build_demo_consent(pack, clock)
    consent.set_patient(Patient("Teen Ager", date(2010, 1, 1)))
    assert any("under 18" in m.message for m in consent.missing(pack))
    consent.set_minor_override("Medical indication; parent present and consenting.")
    assert not any("under 18" in m.message for m in consent.missing(pack))


def test_patient_question_needs_injector_note(pack, clock):
    consent = build_demo_consent(pack, clock)
    item = pack.risks[0].id
    consent.ask_question(item, clock)
    assert any(m.item_id == item and "question" in m.message for m in consent.missing(pack))
    consent.answer_question(item, "Explained: bruising fades within a week or two.")
    assert not any("question" in m.message for m in consent.missing(pack))


def test_signing_rules(pack, clock):
    consent = build_demo_consent(pack, clock)
    png = strokes_to_png(demo_strokes())
    with pytest.raises(ConsentError, match="printed name"):
        consent.sign(pack, "patient", "   ", png, [], clock)
    with pytest.raises(ConsentError, match="Unknown signature role"):
        consent.sign(pack, "notary", "A", png, [], clock)
    consent.finalized_at = clock()
    with pytest.raises(ConsentError, match="finalized"):
        consent.answer(pack.screening[0].id, "yes")
    with pytest.raises(ConsentError, match="finalized"):
        consent.sign(pack, "witness", "W", png, [], clock)


def test_new_patient_gets_a_uuid(pack, clock):
    consent = Consent.start(pack, clock)
    consent.set_patient(Patient("A B", date(1980, 1, 1)))
    assert len(consent.patient.id) == 36
