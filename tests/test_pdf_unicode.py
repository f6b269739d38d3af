"""Characters outside the Basic Multilingual Plane in the consent PDF's text layer.

reportlab's ToUnicode maps wrote such characters as a bare five-digit code point, which no
extractor reads; app.document.pdf.fonts rewrites them as UTF-16 surrogate pairs.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from io import BytesIO

from pypdf import PdfReader

from app.clinic.details import Clinic
from app.consult.content import ContentPack
from app.consult.demo import build_demo_consent
from app.consult.patient import Patient
from app.document.pdf import render_consent_pdf
from app.document.pdf.fonts import utf16_cmap
from app.document.pdf.text import REPLACEMENT, markup

NOW = datetime(2026, 11, 23, 14, 5, tzinfo=timezone(timedelta(hours=1)))
# 😀 and 🐱 are in DejaVu Sans; 𠮷 (U+20BB7) is in no bundled font
NAME = "Grin 😀🐱 Yoshida 𠮷野"


def clock() -> datetime:
    return NOW


def render(pack: ContentPack, name: str) -> bytes:
    patient = Patient(name, date(1990, 5, 6), "+44 20 0000 0000", "grin@example.org")
    consent = build_demo_consent(pack, clock, patient)
    consent.finalized_at = NOW
    return render_consent_pdf(consent, pack, Clinic.demo(), record_id=consent.id)


def test_wide_cmap_entries_become_surrogate_pairs():
    cmap = "2 beginbfchar\n<01> <0041>\n<02> <1F600>\n<03> <20BB7>\nendbfchar"
    assert utf16_cmap(cmap) == ("2 beginbfchar\n<01> <0041>\n<02> <D83DDE00>\n"
                                "<03> <D842DFB7>\nendbfchar")


def test_emoji_in_a_patients_name_extract_from_the_pdf(pack: ContentPack):
    pdf = render(pack, NAME)
    text = " ".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)
    assert "Grin 😀🐱 Yoshida" in text
    # no bundled font has CJK Extension B (𠮷, U+20BB7): it prints as the visible mark,
    # never silently dropped (text.py); the surname's BMP part 野 prints and extracts
    assert markup("𠮷") == f'{REPLACEMENT}'
    assert f"{REPLACEMENT}野" in text


def test_pdftotext_reads_the_emoji_too(pack: ContentPack, tmp_path):
    tool = shutil.which("pdftotext")
    if tool is None:
        import pytest
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "consent.pdf"
    path.write_bytes(render(pack, NAME))
    out = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True, text=True, encoding="utf-8").stdout
    assert "Grin 😀🐱 Yoshida" in out
