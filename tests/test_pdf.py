"""The consent-summary PDF: content, embedded fonts, images, Unicode, determinism.

Rendering costs a fraction of a second, so the few PDFs these tests read are rendered once
per module and shared.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from io import BytesIO

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from app import __version__
from app.clinic.details import Clinic
from app.consult.consent import Consent, PlannedArea, TreatmentPlan
from app.consult.content import ContentPack
from app.consult.demo import build_demo_consent, demo_strokes
from app.consult.patient import Injector, Patient
from app.consult.signature_image import strokes_to_png
from app.document.pdf import render_consent_pdf
from app.document.pdf.text import format_datetime, markup

NOW = datetime(2026, 11, 23, 14, 5, tzinfo=timezone(timedelta(hours=1)))
STANDARD_14 = {"Courier", "Courier-Bold", "Courier-BoldOblique", "Courier-Oblique",
               "Helvetica", "Helvetica-Bold", "Helvetica-BoldOblique", "Helvetica-Oblique",
               "Symbol", "Times-Bold", "Times-BoldItalic", "Times-Italic", "Times-Roman",
               "ZapfDingbats"}

GREEK = "Αλέξανδρος Παπαδόπουλος"
CYRILLIC = "Анна Каренина"
CJK = "山田 花子"
MARKUP_NAME = "Zoë <b>&amp; Co</b> & Sons"
OVERRIDE = "Reaction was to lidocaine, not toxin <i>&</i>; checked with the allergist."
LONG_NOTE = ("Discussed dosing and review plan in detail with the patient. " * 40)[:2000]


def clock() -> datetime:
    return NOW


def resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def text_of(reader: PdfReader) -> str:
    """All pages' text with white space folded, so wrapped lines still match."""
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def page_images(page) -> int:
    resources = resolve(page.get("/Resources")) or {}
    xobjects = resolve(resources.get("/XObject")) or {}
    return sum(1 for x in xobjects.values() if resolve(x).get("/Subtype") == "/Image")


def resign(consent: Consent, pack: ContentPack, names: dict[str, str]) -> None:
    """Sign every role named (changes to a consent clear its signatures)."""
    for n, (role, name) in enumerate(names.items()):
        strokes = demo_strokes(n)
        consent.sign(pack, role, name, strokes_to_png(strokes), strokes, clock)


class Rendered:
    def __init__(self, consent: Consent, pack: ContentPack, clinic: Clinic) -> None:
        self.consent = consent
        self.pdf = render_consent_pdf(consent, pack, clinic, record_id=consent.id)
        self.reader = PdfReader(BytesIO(self.pdf))
        self.text = text_of(self.reader)


@pytest.fixture(scope="module")
def demo(pack: ContentPack) -> Rendered:
    consent = build_demo_consent(pack, clock)
    consent.finalized_at = NOW
    return Rendered(consent, pack, Clinic.demo())


@pytest.fixture(scope="module")
def intl(pack: ContentPack) -> Rendered:
    """Greek patient, Cyrillic injector, CJK witness, markup characters, a hard-stop override,
    an off-label area, right-to-left text, emoji and a 2,000-character note."""
    patient = Patient(GREEK, date(1990, 5, 6), "+30 210 000 0000", "alex@example.gr")
    injector = Injector(CYRILLIC, "MD", "Physician")
    consent = build_demo_consent(pack, clock, patient, injector)
    single = next(p for p in pack.products if len(p.approvals) == 1)
    off = next(a.id for a in pack.areas if not single.approvals_for(a.id))
    consent.set_plan(TreatmentPlan(single.id, [PlannedArea(single.approvals[0].area, 20),
                                               PlannedArea(off, 12.5)],
                                   "LOT-ÆØÅ-1", date(2027, 1, 1), LONG_NOTE))
    hard_stop = next(q for q in pack.screening if q.is_hard_stop)
    consent.answer(hard_stop.id, "yes", f"{MARKUP_NAME} — שלום مرحبا 😀👍🏽 김민수")
    consent.override(hard_stop.id, OVERRIDE)
    for item in consent.required_items(pack):
        consent.acknowledge(item, clock, method="initials", initials="ΑΠ")
    consent.ask_question(pack.risks[0].id, clock)
    consent.answer_question(pack.risks[0].id, LONG_NOTE)
    resign(consent, pack, {"patient": GREEK, "injector": injector.display_name,
                           "witness": CJK})
    consent.finalized_at = NOW
    logo = strokes_to_png([[(0, 0), (40, 0), (40, 40), (0, 40), (0, 0)]], pen=4)
    clinic = Clinic(MARKUP_NAME, "12 Long Road\nΑθήνα 10558", "+30 210 000 0001", logo)
    return Rendered(consent, pack, clinic)


def test_demo_text_holds_the_record(demo: Rendered, pack: ContentPack):
    consent, text = demo.consent, demo.text
    assert consent.patient is not None
    assert consent.patient.full_name in text
    for risk in pack.risks:
        assert risk.title in text, risk.title
    for expectation in pack.expectations:
        assert expectation.title in text, expectation.title
    for signature in consent.signatures.values():
        assert signature.printed_name in text
    assert consent.id in text
    assert f"Content pack {pack.version}" in text
    assert pack.hash[:12] in text
    assert "Page 1 of" in text
    assert f"Page {len(demo.reader.pages)} of {len(demo.reader.pages)}" in text
    assert "Ticked by the patient on screen at 23 Nov 2026, 14:05 (UTC+01:00)" in text


def test_signatures_are_images_on_the_page_with_their_captions(demo: Rendered, intl: Rendered):
    for rendered in (demo, intl):
        images = sum(page_images(p) for p in rendered.reader.pages)
        assert images >= len(rendered.consent.signatures)
    for page in demo.reader.pages:  # each signature image is printed with its caption
        assert page_images(page) == (page.extract_text() or "").count("Signed 23 Nov 2026")


def test_every_font_is_embedded_and_none_is_standard_14(demo: Rendered, intl: Rendered):
    for rendered in (demo, intl):
        seen = set()
        for page in rendered.reader.pages:
            fonts = resolve(resolve(page["/Resources"]).get("/Font")) or {}
            for ref in fonts.values():
                font = resolve(ref)
                for face in [resolve(d) for d in font.get("/DescendantFonts", [])] or [font]:
                    base = str(face["/BaseFont"]).lstrip("/")
                    assert base.split("+")[-1] not in STANDARD_14, base
                    descriptor = resolve(face.get("/FontDescriptor"))
                    assert descriptor is not None and "/FontFile2" in descriptor, base
                    seen.add(base.split("+")[-1])
        assert {"DejaVuSans", "DejaVuSans-Bold"} <= seen
    assert any("DroidSansFallback" in f for f in _font_names(intl))


def _font_names(rendered: Rendered) -> set[str]:
    names = set()
    for page in rendered.reader.pages:
        fonts = resolve(resolve(page["/Resources"]).get("/Font")) or {}
        names |= {str(resolve(f)["/BaseFont"]) for f in fonts.values()}
    return names


def test_greek_cyrillic_and_cjk_names_come_out(intl: Rendered):
    assert GREEK in intl.text
    assert f"{CYRILLIC}, MD" in intl.text
    assert CJK in intl.text
    assert "LOT-ÆØÅ-1" in intl.text


def test_markup_characters_print_literally(intl: Rendered):
    assert MARKUP_NAME in intl.text  # the clinic name, in the header and the metadata
    assert f"{MARKUP_NAME} —" in intl.text  # the screening note
    assert intl.reader.metadata.author == MARKUP_NAME


def test_hard_stop_override_reason_is_printed(intl: Rendered):
    assert "Yes — hard stop" in intl.text
    assert f"Injector's reason to proceed: {OVERRIDE}" in intl.text


def test_long_notes_wrap_and_print_in_full(intl: Rendered):
    tail = " ".join(LONG_NOTE.split()[-6:])
    assert intl.text.count(tail) >= 2  # the plan notes and the injector's answer


def test_off_label_disclosure_only_when_an_area_is_off_label(demo: Rendered, intl: Rendered,
                                                             pack: ContentPack):
    assert not demo.consent.off_label_area_ids(pack)
    assert "Off-label disclosure" not in demo.text
    assert intl.consent.off_label_area_ids(pack)
    assert "Off-label disclosure" in intl.text
    assert pack.off_label.title in intl.text
    assert "off-label" in intl.text  # the area itself is marked in the plan


def test_same_input_gives_identical_bytes(demo: Rendered, pack: ContentPack):
    again = render_consent_pdf(demo.consent, pack, Clinic.demo(), record_id=demo.consent.id)
    assert again == demo.pdf


def test_metadata(demo: Rendered):
    meta = demo.reader.metadata
    assert meta.title == "Consent to botulinum-toxin treatment — summary"
    assert meta.author == Clinic.demo().name
    assert meta.creator == f"Glabella {__version__}"
    assert meta.creation_date == NOW
    assert demo.consent.id in meta.subject
    assert demo.reader.trailer["/Root"]["/Lang"] == "en"


def test_markup_helper_escapes_and_falls_back():
    assert markup("<b>&") == "&lt;b&gt;&amp;"
    assert markup("山田 花子") == '<font name="GlabellaSansFallback">山田 花子</font>'
    assert markup("a\nb") == "a<br/>b"
    assert "\ufffd" in markup("김")  # no bundled font has Hangul: a visible mark, no crash
    assert format_datetime(NOW) == "23 Nov 2026, 14:05 (UTC+01:00)"
