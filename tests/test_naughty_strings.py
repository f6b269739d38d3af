"""Every string of the Big List of Naughty Strings (tests/data/blns.json, MIT) in every
free-text field of a consult, finalized through the Qt-free session: stored exactly as the
documented cleaning leaves it (app.consult.patient.clean_text: NFC, no control or bidi
override characters, folded white space) and printed in the PDF's text layer.

The strings are batched: each consult carries one batch (at most a name's length) in the
patient's name, the staff member's name (the injector and their signature), the plan's
notes, a screening answer's note, its override reason and an answer to the patient's
question, so the whole list takes about a hundred consults.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.clinic.staff import StaffDirectory
from app.consult.consent import PlannedArea, TreatmentPlan
from app.consult.demo import build_demo_consent, demo_strokes
from app.consult.patient import MAX_NAME, clean_text, validate_patient
from app.consult.session import ConsultSession
from app.consult.signature_image import strokes_to_png
from app.document.pdf.fonts import REGULAR
from app.document.pdf.text import REPLACEMENT, _font_for, _invisible
from app.runtime.service import Glabella
from tests.conftest import fixed_clock
from tests.db_keys import connect as db_connect

BLNS = json.loads((Path(__file__).parent / "data" / "blns.json").read_text("utf-8"))
PREFIX = "Pat "  # a name needs a letter; many naughty strings have none
SEPARATOR = " ‖ "
BATCH = MAX_NAME - len(PREFIX)  # a name's room: the batch fits every field


def batches(strings: list[str]) -> Iterator[list[str]]:
    """Consecutive strings whose cleaned, joined form fits a name (longer ones alone are
    left out: they are too long for a name, see the refusal test)."""
    batch: list[str] = []
    for text in strings:
        if len(clean_text(text)) > BATCH:
            continue
        if batch and len(clean_text(SEPARATOR.join([*batch, text]))) > BATCH:
            yield batch
            batch = []
        batch.append(text)
    if batch:
        yield batch


def printed(text: str) -> str:
    """``text`` as the PDF prints it (app.document.pdf.text.markup): a character no bundled
    font has is the visible U+FFFD, an invisible one is left out; no white space. A soft
    hyphen (U+00AD) only says where a word may break: printed only at a break."""
    out = []
    for ch in text:
        if ch.isspace() or ch == "\xad":
            continue
        if _font_for(ord(ch), REGULAR) is None:
            if not _invisible(ch):
                out.append(REPLACEMENT)
            continue
        out.append(ch)
    return "".join(out)


def found(form: str, text: str, chars: Counter[str]) -> bool:
    """Whether ``form`` (a printed string) is in the PDF's ``text``. Right-to-left script
    is printed in typed order (app.document.pdf.text), and pypdf reorders it on
    extraction word by word and its marks around their letters: such a string counts as
    found when every one of its characters is in the text as often."""
    if form in text:
        return True
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in form):
        return not Counter(form) - chars
    return False


def pdf_text(pdf: bytes) -> str:
    text = "".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)
    return "".join(text.split())


def test_the_list_is_the_whole_list():
    assert len(BLNS) == 515 and "<script>alert(123)</script>" in BLNS
    assert sum(len(list(b)) for b in batches(BLNS)) == sum(
        1 for s in BLNS if len(clean_text(s)) <= BATCH)


def test_a_nul_or_other_control_character_becomes_a_space_never_a_cut(clock):
    """SQLite and C tools stop a string at NUL: it never reaches the database as one."""
    patient, _ = validate_patient("Ana\x00Ruiz\x1b[31m", date(1990, 5, 6),
                                  today=clock().date())
    assert patient is not None and patient.full_name == "Ana Ruiz [31m"


def test_too_long_for_a_name_is_refused_with_the_reason(clock):
    long = max(BLNS, key=len)
    patient, problems = validate_patient(PREFIX + long, date(1990, 5, 6), today=clock().date())
    assert patient is None
    assert problems[0].message.startswith("Name is too long (")


def test_every_naughty_string_is_stored_exactly_and_printed(tmp_path):
    service = Glabella.open(tmp_path / "data")
    try:
        directory = StaffDirectory(service.store)
        session = ConsultSession(service, directory, remember_injector=lambda _i: None)
        pack = service.pack
        hard_stop = next(q for q in pack.screening if q.is_hard_stop)
        other = next(q for q in pack.screening if not q.is_hard_stop)
        risk = pack.risks[0].id
        today = service.clock().date()
        failures: list[str] = []
        for n, batch in enumerate(batches(BLNS)):
            joined = SEPARATOR.join(batch)
            patient, problems = validate_patient(PREFIX + joined, date(1990, 5, 6),
                                                 today=today)
            assert patient is not None, problems
            member = directory.add(f"{PREFIX}{joined}", "RN", "Nurse injector",
                                   f"{739104 + n:06d}")
            consent = build_demo_consent(pack, service.clock, patient, member.as_injector())
            plan = consent.plan
            consent.set_plan(TreatmentPlan(plan.product_id, [PlannedArea(a.area_id, a.units)
                                                             for a in plan.areas],
                                           plan.lot_number, plan.expiry, joined))
            consent.answer(hard_stop.id, "yes", joined)
            consent.override(hard_stop.id, joined)
            consent.answer(other.id, "yes", joined)
            consent.ask_question(risk, service.clock)
            consent.answer_question(risk, joined)
            for k, role in enumerate(r for r in pack.signature_roles if r.required):
                # the changes above cleared the signatures: sign again with these names
                signer = patient.full_name if role.id == "patient" else \
                    member.as_injector().display_name
                strokes = demo_strokes(k)
                consent.sign(pack, role.id, signer, strokes_to_png(strokes), strokes,
                             service.clock)
            session.start(consent)
            result = session.finalize()
            stored = _stored(tmp_path / "data" / "glabella.db", result.consent_id, member.id,
                             hard_stop.id, other.id)
            name = clean_text(PREFIX + joined)
            note = clean_text(joined, multiline=True)
            expected = {"patient name": name, "consent patient name": name,
                        "staff name": name, "injector name": name, "plan notes": note,
                        "hard-stop note": note, "override reason": note,
                        "other answer note": note, "question answer": note}
            for field, value in expected.items():
                if stored[field] != value:
                    failures.append(f"batch {n} {field}: {stored[field]!r} != {value!r}")
            if name not in stored["signature names"]:
                failures.append(f"batch {n}: signature printed names {stored['signature names']}")
            text = pdf_text(result.pdf)
            chars = Counter(text)
            for original in batch:
                if not found(printed(clean_text(original)), text, chars):
                    failures.append(f"batch {n}: {original!r} not in the PDF's text")
        assert failures == []
    finally:
        service.close()


def _stored(database: Path, consent_id: str, staff_id: str, hard_stop: str, other: str
            ) -> dict:
    """The fields as the database holds them, read with a plain connection."""
    conn = db_connect(database)
    try:
        consent_json, patient_name, injector_name, patient_id = conn.execute(
            "SELECT consent_json, patient_name, injector_name, patient_id FROM consents "
            "WHERE id = ?", [consent_id]).fetchone()
        record = json.loads(consent_json)
        answers = {q: (note, reason) for q, note, reason in conn.execute(
            "SELECT question_id, note, override_reason FROM screening_answers "
            "WHERE consent_id = ?", [consent_id])}
        [question] = record["questions"].values()
        return {
            "patient name": conn.execute("SELECT full_name FROM patients WHERE id = ?",
                                         [patient_id]).fetchone()[0],
            "consent patient name": patient_name,
            "staff name": conn.execute("SELECT full_name FROM staff WHERE id = ?",
                                       [staff_id]).fetchone()[0],
            "injector name": injector_name,
            "plan notes": record["plan"]["notes"],
            "hard-stop note": answers[hard_stop][0],
            "override reason": answers[hard_stop][1],
            "other answer note": answers[other][0],
            "question answer": question["injector_note"],
            "signature names": [r[0] for r in conn.execute(
                "SELECT printed_name FROM signatures WHERE consent_id = ?", [consent_id])],
        }
    finally:
        conn.close()


@pytest.fixture
def clock():
    return fixed_clock
