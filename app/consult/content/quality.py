"""``glabella content check``: everything the start-up rules check, and reading grades.

A clinic that edits its pack runs this before using it; the test suite runs it on the
default pack. Each problem names the file, the item, the field and, for wording, its
grade, so the medical director knows exactly what to rewrite.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.consult.content.errors import ContentError
from app.consult.content.loader import load_pack
from app.consult.content.model import ContentPack
from app.consult.content.readability import MAX_GRADE, grade


@dataclass(frozen=True)
class Problem:
    file: str
    item: str
    problem: str

    def line(self) -> str:
        where = f"{self.file}, {self.item}" if self.item else self.file
        return f"{where}: {self.problem}"


@dataclass(frozen=True)
class PatientText:
    """One text a patient reads, and where it is in the pack."""

    file: str
    item: str
    field: str
    text: str


def patient_texts(pack: ContentPack) -> Iterator[PatientText]:
    """Every text a patient reads (titles and names aside: headings are not sentences)."""
    def each(file: str, items: tuple, *names: str) -> Iterator[PatientText]:
        for item in items:
            for name in names:
                text = getattr(item, name)
                if text:
                    yield PatientText(file, item.id, name, text)

    boxed = (pack.boxed_warning,) if pack.boxed_warning else ()
    guide = (pack.medication_guide,) if pack.medication_guide else ()
    yield from each("faq.toml", pack.faqs, "question", "answer")
    yield from each("risks.toml", boxed, "text", "action")
    yield from each("risks.toml", pack.risk_groups, "intro")
    yield from each("risks.toml", pack.risks, "text", "action")
    yield from each("expectations.toml", pack.expectations, "text")
    yield from each("screening.toml", pack.screening, "text")
    yield from each("products.toml", pack.products, "duration", "ingredients", "interval")
    yield from each("products.toml", (pack.off_label, *guide), "text")
    yield from each("alternatives.toml", pack.alternatives, "text")
    yield from each("aftercare.toml", pack.aftercare + pack.urgent, "text")
    yield from each("attestations.toml", pack.attestations, "text")
    yield from each("attestations.toml", pack.signature_roles, "intent")


def grade_problems(pack: ContentPack, max_grade: float = MAX_GRADE) -> list[Problem]:
    out = []
    for t in patient_texts(pack):
        g = grade(t.text)
        if g > max_grade:
            out.append(Problem(t.file, t.item, f"'{t.field}' reads at grade {g:.1f}, above "
                                               f"{max_grade:.0f}: use shorter sentences and "
                                               f"plainer words"))
    return out


def label_problems(pack: ContentPack, today: date) -> list[Problem]:
    out = []
    for product in pack.products:
        checked = date.fromisoformat(product.label_checked_on)
        if checked > today:
            out.append(Problem("products.toml", product.id,
                               f"label_checked_on {checked} is in the future"))
    return out


def check_pack(folder: str | Path, today: date | None = None) -> list[Problem]:
    """Every problem with the pack in ``folder``; empty when it is ready for patients.

    A pack the start-up rules refuse is reported with that one problem (nothing else can
    be checked on a pack that does not load)."""
    try:
        pack = load_pack(folder)
    except ContentError as exc:
        return [Problem(exc.file, exc.item or "", exc.problem)]
    return grade_problems(pack) + label_problems(pack, today or date.today())
