"""Paper size: A4 or Letter, the region's by default; the PDF follows it on every page, and
a consent keeps the paper it was printed on (issue 13, build 5; defect 8, the note label)."""

from __future__ import annotations

import sys
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from app.clinic.details import Clinic, clinic_from_json, clinic_to_json, load_clinic
from app.clinic.paper import PAPER_KEY, paper_for, system_locale_names, territory
from app.clinic.settings import load_settings, save_settings, settings_problems
from app.consult.consent import ScreeningAnswer
from app.consult.demo import build_demo_consent
from app.document.finalize import render_pdf
from app.document.pdf.layout import page_of
from app.document.pdf.stamp import stamp_box
from app.document.rerender import rerender
from app.runtime.service import Glabella
from tests.conftest import fixed_clock

NOTE = "Had filler in 2024, no reaction."


@pytest.mark.parametrize(("name", "found"), [
    ("en_US.UTF-8", "US"), ("es-MX", "MX"), ("fr_CA@euro", "CA"), ("zh_Hant_TW", "TW"),
    ("de_DE", "DE"), ("C", ""), ("POSIX", ""), ("C.UTF-8", ""),
    ("English_United States", "")])
def test_the_territory_of_a_locale_name(name, found) -> None:
    assert territory(name) == found


def test_letter_where_the_region_uses_it_and_a4_elsewhere() -> None:
    for name in ("en_US.UTF-8", "en_CA", "es_MX", "en_PH", "es_CL", "es_CO", "es_VE"):
        assert paper_for([name]) == "Letter", name
    for name in ("en_GB.UTF-8", "de_DE", "fr_FR", "en_AU", "ja_JP", "pt_BR"):
        assert paper_for([name]) == "A4", name
    assert paper_for([]) == paper_for(["C.UTF-8"]) == "A4"  # nothing said: A4
    # the first name that names a territory decides, as LC_ALL overrides LC_PAPER and LANG
    assert paper_for(["C", "en_US.UTF-8", "de_DE"]) == "Letter"


def test_the_locale_is_read_as_the_c_library_does() -> None:
    env = {"LANG": "de_DE.UTF-8", "LC_PAPER": "en_US.UTF-8"}
    assert paper_for(system_locale_names(env)) == "Letter"
    assert paper_for(system_locale_names({**env, "LC_ALL": "fr_FR"})) == "A4"
    # the C locale names no region: A4, as the C library's own paper for it
    assert paper_for(system_locale_names({"LC_ALL": "C.UTF-8", "LANG": "en_US.UTF-8"})) \
        == "A4"
    if sys.platform != "win32":
        assert system_locale_names({}) == []


def test_the_clinic_paper_defaults_from_the_region_until_chosen(tmp_path, monkeypatch) -> None:
    service = Glabella.open(tmp_path / "data", clock=fixed_clock)
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert service.store.get_setting(PAPER_KEY) is None
    assert load_clinic(service.store).paper == "Letter"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    values = load_settings(service.store)
    assert values.clinic.paper == "A4"
    save_settings(service.store, values)
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # chosen now: the region no longer decides
    assert load_clinic(service.store).paper == "A4"
    bad = Clinic("Northside Skin", paper="Legal")
    assert settings_problems(type(values)(bad)) == ["The paper is A4 or Letter."]
    save_settings(service.store, type(values)(Clinic("Northside Skin")))  # none given: kept
    assert load_clinic(service.store).paper == "A4"
    service.close()


def test_a_clinic_json_holds_its_paper_and_an_old_one_has_none() -> None:
    clinic = Clinic("Northside Skin", paper="Letter")
    assert clinic_from_json(clinic_to_json(clinic)) == clinic
    before = Clinic("Northside Skin")
    assert "paper" not in clinic_to_json(before)  # a record stored before keeps its JSON
    assert clinic_from_json(clinic_to_json(before)).paper == ""


def render(pack, paper: str) -> PdfReader:
    consent = build_demo_consent(pack, fixed_clock)
    consent.screening[pack.screening[0].id] = ScreeningAnswer("no", note=NOTE)
    return PdfReader(BytesIO(render_pdf(consent, pack, Clinic("Northside Skin", paper=paper))))


@pytest.mark.parametrize(("paper", "size"), [("A4", A4), ("Letter", LETTER)])
def test_every_page_is_on_the_clinics_paper(pack, paper, size) -> None:
    reader = render(pack, paper)
    assert len(reader.pages) > 3
    for page in reader.pages:
        assert [round(float(v), 2) for v in page.mediabox] == [0, 0, *[round(v, 2) for v in size]]
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    # the injector types the screening notes: the PDF no longer calls them the patient's
    assert f"Injector's note: {NOTE}" in text and "Patient's note" not in text
    last = text.rsplit("Page ", 1)[-1]
    assert last.startswith(f"{len(reader.pages)} of {len(reader.pages)}")
    left, bottom, right, top = stamp_box(page_of(Clinic("x", paper=paper)))
    assert 0 < left < right < size[0] and right - left > 480  # under the text, on the page


def test_a_letter_consent_is_stored_with_its_paper_and_renders_again_the_same(
        pack, tmp_path) -> None:
    service = Glabella.open(tmp_path / "data", clock=fixed_clock)
    try:
        values = load_settings(service.store)
        save_settings(service.store, type(values)(Clinic(values.clinic.name, paper="Letter")))
        result = service.finalize(build_demo_consent(pack, fixed_clock))
        reader = PdfReader(BytesIO(result.pdf))
        assert {round(float(p.mediabox[3]), 1) for p in reader.pages} == {round(LETTER[1], 1)}
        widget = reader.pages[-1]["/Annots"][0].get_object()
        assert [float(v) for v in widget["/Rect"]] == \
            [float(v) for v in stamp_box(page_of(Clinic("x", paper="Letter")))]
        # the paper is A4 from now on: the stored record still renders on Letter
        save_settings(service.store, type(values)(Clinic(values.clinic.name, paper="A4")))
        again = rerender(service.store, result.consent_id)
        assert again.match
        assert round(float(PdfReader(BytesIO(again.pdf)).pages[0].mediabox[3]), 1) == \
            round(LETTER[1], 1)
    finally:
        service.close()
