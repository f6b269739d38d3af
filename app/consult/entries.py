"""What a consent holds, entry by entry: screening answers, acknowledgements and who made
them, the patient's questions, FAQ topics opened, signatures, and what is still missing.

Plain records; ``app.consult.consent.Consent`` changes them (and re-exports them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Answer = Literal["yes", "no"]


@dataclass
class ScreeningAnswer:
    answer: Answer
    note: str = ""
    override_reason: str = ""  # the injector's reason to proceed despite a hard stop


@dataclass
class Acknowledgement:
    item_id: str
    kind: str  # risk | expectation | disclosure
    at: datetime
    method: str = "tick"  # tick | initials
    initials: str = ""
    # who ticked it: "patient" (on screen, in patient mode) or "staff" (read aloud with the
    # patient by ``staff_name``); "" in records made before this was kept
    by: str = ""
    staff_name: str = ""


@dataclass
class ItemQuestion:
    """The patient flagged "I have a question about this"; the injector answers in a note."""

    item_id: str
    at: datetime
    injector_note: str = ""


@dataclass
class FaqView:
    faq_id: str
    at: datetime
    discussed_in_person: bool = False


@dataclass
class Signature:
    role: str
    printed_name: str
    meaning: str
    signed_at: datetime
    png: bytes
    strokes: list[list[tuple[float, float]]] = field(default_factory=list)


@dataclass(frozen=True)
class RequiredItem:
    """One item the patient acknowledges. ``kind`` is what the record stores (risk,
    expectation, disclosure); ``section`` is where it is shown and printed."""

    item_id: str
    kind: str
    title: str
    text: str
    section: str = ""  # boxed | risk | expectation | product | guide | off_label
    action: str = ""  # what to do if it happens (risks)


@dataclass(frozen=True)
class Missing:
    """Something that stops finalizing, and the step of the consult where it is fixed."""

    step: str  # patient | screening | plan | risks | signatures
    message: str
    item_id: str = ""
