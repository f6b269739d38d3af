"""The content on screen: the boxed warning first and set apart, the product's facts, and
approvals that follow the patient's age and the areas treated together."""

from __future__ import annotations

from tests.ui.conftest import NOW


def test_the_boxed_warning_is_the_first_card_and_set_apart(window, driver) -> None:
    driver.choose_plan("product.daxxify", ("area.glabellar",))
    window.go_to("risks")
    page = window.risks_page
    first_id, first = next(iter(page.cards.items()))
    assert first_id == window.pack.boxed_warning.id
    assert first.objectName() == "boxedWarning"
    assert first.isVisible()
    assert "product.daxxify" in page.cards  # the chosen product's own facts
    assert window.pack.medication_guide.id in page.cards
    driver.click(first.check)
    assert window.pack.boxed_warning.id in window.consent.acknowledgements


def test_dysport_at_66_is_off_label_on_the_plan_and_the_checklist(window, driver) -> None:
    driver.fill_patient(dob=f"{NOW.year - 66}-01-02")
    driver.choose_plan("product.dysport", ("area.glabellar",))
    plan = window.plan_page
    rows = {row.area.id: row for row in plan.areas}
    assert rows["area.glabellar"].status.text() == "off-label"
    assert "under 65" in rows["area.glabellar"].status.toolTip()
    assert plan.off_label.isVisibleTo(plan)
    window.go_to("risks")
    assert window.pack.off_label.id in window.risks_page.cards


def test_xeomin_crows_feet_is_approved_with_the_other_upper_face_areas(window, driver) -> None:
    driver.fill_patient()
    driver.choose_plan("product.xeomin", ("area.lateral-canthal",))
    plan = window.plan_page
    rows = {row.area.id: row for row in plan.areas}
    assert rows["area.lateral-canthal"].status.text() == "off-label"
    for area in ("area.glabellar", "area.forehead"):
        driver.click(rows[area].check)
    assert {rows[a].status.text() for a in ("area.glabellar", "area.forehead",
                                             "area.lateral-canthal")} == {"approved"}
    assert not plan.off_label.isVisibleTo(plan)
    window.go_to("risks")
    assert window.pack.off_label.id not in window.risks_page.cards
