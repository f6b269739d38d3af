"""Approvals with conditions: the off-label disclosure follows the patient's age on the
consult date and the areas treated together, as the products' labels say."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.consult.consent import Consent, PlannedArea, TreatmentPlan
from app.consult.content import ContentError, load_pack, pack_from_snapshot
from app.consult.patient import Patient
from tests.conftest import FIXED_NOW, fixed_clock

GLABELLAR, FOREHEAD, CROWS, MASSETER = ("area.glabellar", "area.forehead",
                                        "area.lateral-canthal", "area.masseter")


def consult(pack, product: str, areas: list[str], age: int) -> Consent:
    """A consult on FIXED_NOW for a patient who is ``age`` that day."""
    consent = Consent.start(pack, fixed_clock)
    born = date(FIXED_NOW.year - age, 1, 2)  # birthday already passed by November
    consent.set_patient(Patient("Test Patient", born))
    consent.set_plan(TreatmentPlan(f"product.{product}", [PlannedArea(a, 4.0) for a in areas]))
    return consent


def reasons(consent: Consent, pack) -> dict[str, str]:
    return {u.area_id: u.reason for u in consent.area_uses(pack) if not u.approved}


def disclosed(consent: Consent, pack) -> bool:
    return pack.off_label.id in [i.item_id for i in consent.required_items(pack)]


def test_xeomin_upper_facial_lines_are_approved_together(pack):
    together = consult(pack, "xeomin", [GLABELLAR, FOREHEAD, CROWS], 40)
    assert reasons(together, pack) == {} and not disclosed(together, pack)
    alone = consult(pack, "xeomin", [CROWS], 40)
    assert disclosed(alone, pack)
    assert "same visit" in reasons(alone, pack)[CROWS]
    assert consult(pack, "xeomin", [GLABELLAR], 40).off_label_area_ids(pack) == []


def test_dysport_is_approved_under_65_only(pack):
    assert not disclosed(consult(pack, "dysport", [GLABELLAR], 64), pack)
    older = consult(pack, "dysport", [GLABELLAR], 66)
    assert disclosed(older, pack)
    assert "under 65" in reasons(older, pack)[GLABELLAR]
    assert "66" in reasons(older, pack)[GLABELLAR]


def test_botox_forehead_needs_the_frown_lines_and_crows_feet_stand_alone(pack):
    assert "same visit" in reasons(consult(pack, "botox-cosmetic", [FOREHEAD], 40),
                                   pack)[FOREHEAD]
    assert not disclosed(consult(pack, "botox-cosmetic", [FOREHEAD, GLABELLAR], 40), pack)
    assert not disclosed(consult(pack, "botox-cosmetic", [CROWS], 40), pack)
    mixed = consult(pack, "botox-cosmetic", [GLABELLAR, MASSETER], 40)
    assert list(reasons(mixed, pack)) == [MASSETER]


def test_every_approval_is_for_adults(pack):
    minor = consult(pack, "jeuveau", [GLABELLAR], 17)
    assert "18 or over" in reasons(minor, pack)[GLABELLAR]


def test_the_age_is_taken_on_the_consult_date(pack):
    consent = consult(pack, "dysport", [GLABELLAR], 64)
    # 65th birthday the day after the consult: still under 65 on the consult date
    consent.set_patient(Patient("Test Patient", date(FIXED_NOW.year - 65, FIXED_NOW.month,
                                                     FIXED_NOW.day + 1)))
    assert consent.age_at_consult() == 64 and not disclosed(consent, pack)


def test_the_boxed_warning_comes_first_and_the_product_facts_follow_the_choice(pack):
    consent = consult(pack, "daxxify", [GLABELLAR], 40)
    items = consent.required_items(pack)
    assert items[0].item_id == pack.boxed_warning.id and items[0].section == "boxed"
    product = next(i for i in items if i.section == "product")
    assert product.item_id == "product.daxxify"
    assert "6 months" in product.text and "albumin" in product.text
    assert any(i.item_id == pack.medication_guide.id for i in items)
    consent.set_plan(TreatmentPlan("product.xeomin", [PlannedArea(GLABELLAR)]))
    product = next(i for i in consent.required_items(pack) if i.section == "product")
    assert product.item_id == "product.xeomin" and "albumin" in product.text


def test_a_format_1_snapshot_still_loads_with_its_hash(pack):
    """Consents stored before conditions existed keep their pack: approved_areas is read
    as approvals for any age."""
    snapshot = json.loads(pack.snapshot_json())
    snapshot["pack.toml"]["pack"].pop("format")
    for product in snapshot["products.toml"]["product"]:
        approvals = product.pop("approval")
        for name in ("label_revision", "label_checked_on", "duration", "ingredients",
                     "interval"):
            product.pop(name)
        product["approved_areas"] = [a["area"] for a in approvals]
    snapshot["risks.toml"].pop("boxed_warning")
    snapshot["products.toml"].pop("medication_guide")
    old = pack_from_snapshot(snapshot)
    assert old.info.format == 1 and old.boxed_warning is None
    assert old.product("product.dysport").approvals[0].min_age == 0
    assert old.hash != pack.hash and len(old.hash) == 64


def test_a_format_1_folder_is_refused_for_new_consults(tmp_path):
    from tests.test_content import copy_pack

    folder = copy_pack(tmp_path)
    path = folder / "pack.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("format = 2", "format = 1"),
                    encoding="utf-8")
    with pytest.raises(ContentError, match="format 1; this Glabella needs format 2"):
        load_pack(folder)


def test_before_the_patient_is_recorded_only_the_areas_count(pack):
    consent = Consent.start(pack, fixed_clock)
    consent.set_plan(TreatmentPlan("product.dysport", [PlannedArea(GLABELLAR)]))
    assert consent.age_at_consult() is None and consent.off_label_area_ids(pack) == []
    consent.set_plan(TreatmentPlan("product.dysport", [PlannedArea(FOREHEAD)]))
    assert "not approved for" in reasons(consent, pack)[FOREHEAD]
