"""What the consent PDF says about the content: the boxed warning first and set apart,
the product's label check and facts, its Medication Guide, why each area is off-label,
the FAQ answers shown, and the medical director's review."""

from __future__ import annotations

from datetime import date

import pytest

from app.clinic.details import Clinic
from app.consult.consent import PlannedArea, TreatmentPlan
from app.consult.content import ContentPack
from app.consult.demo import build_demo_consent
from app.consult.patient import Patient
from tests.test_pdf import NOW, Rendered, clock, resign


def consult(pack: ContentPack, product: str, areas: list[str], born: date,
            review: str = "") -> Rendered:
    consent = build_demo_consent(pack, clock, Patient("Rosa Álvarez", born))
    consent.set_plan(TreatmentPlan(product, [PlannedArea(a, 20) for a in areas]))
    for item in consent.required_items(pack):
        consent.acknowledge(item, clock)
    consent.view_faq("faq.how-long", clock)
    consent.mark_discussed("faq.how-long", True, clock)
    resign(consent, pack, {"patient": "Rosa Álvarez", "injector": "Dana Whitfield, RN"})
    consent.content_review = review
    consent.finalized_at = NOW
    return Rendered(consent, pack, Clinic.demo())


@pytest.fixture(scope="module")
def dysport_66(pack: ContentPack) -> Rendered:
    return consult(pack, "product.dysport", ["area.glabellar"], date(1960, 3, 1))


@pytest.fixture(scope="module")
def xeomin_upper_face(pack: ContentPack) -> Rendered:
    return consult(pack, "product.xeomin",
                   ["area.glabellar", "area.forehead", "area.lateral-canthal"],
                   date(1985, 3, 1), review="Reviewed by Dr Ana Ruiz on 1 Dec 2026.")


def test_a_dysport_consult_at_66_discloses_off_label_and_says_why(dysport_66: Rendered):
    assert "Off-label disclosure" in dysport_66.text
    assert "approved only for people under 65, and the patient is 66" in dysport_66.text
    assert "some deaths" in dysport_66.text.lower() or "death" in dysport_66.text.lower()


def test_a_xeomin_upper_face_consult_has_no_off_label_disclosure(xeomin_upper_face: Rendered):
    assert "Off-label disclosure" not in xeomin_upper_face.text
    assert "off-label" not in xeomin_upper_face.text.lower()


def test_the_boxed_warning_is_the_first_risk_in_the_pdf(pack: ContentPack,
                                                        dysport_66: Rendered):
    text = dysport_66.text
    boxed = text.index("Boxed warning")
    assert boxed < text.index(pack.boxed_warning.title) < text.index("Risks")
    first_risk = min(text.index(r.title) for r in pack.risks)
    assert text.index(pack.boxed_warning.title) < first_risk


def test_the_product_prints_its_label_check_facts_and_guide(pack: ContentPack,
                                                           dysport_66: Rendered):
    product = pack.product("product.dysport")
    text = dysport_66.text
    assert f"Label: {product.label_revision}" in text
    assert "About Dysport" in text and pack.medication_guide.title in text
    assert " ".join(product.duration.split()[:6]) in text


def test_the_faq_answers_shown_are_printed(pack: ContentPack, dysport_66: Rendered):
    answer = pack.faq("faq.how-long").answer
    assert " ".join(answer.split()[:10]) in dysport_66.text
    assert "discussed in person" in dysport_66.text


def test_the_medical_directors_review_is_printed_or_its_absence(dysport_66: Rendered,
                                                               xeomin_upper_face: Rendered):
    assert "Reviewed by Dr Ana Ruiz on 1 Dec 2026." in xeomin_upper_face.text
    assert "No review of this content pack by the clinic's medical director" in dysport_66.text
