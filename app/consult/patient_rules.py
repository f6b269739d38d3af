"""What patient mode asks for, Qt-free: a complete plan before the hand-over; every item
ticked by the patient themselves and every question they raised answered before their
signature pad opens; who ticked each item; and what a change cleared, in words for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.consult.consent import Acknowledgement, Consent, Missing, RequiredItem
    from app.consult.content import ContentPack

BY_PATIENT = "patient"  # Acknowledgement.by: ticked on screen in patient mode
BY_STAFF = "staff"  # read aloud with the patient by a named staff member
# the steps whose "still needed" items stop a hand-over: who the patient is, and the plan
HAND_OVER_STEPS = ("patient", "plan")
QUESTION_FIRST = "Your injector will answer your question first: hand the screen back."


def hand_over_missing(consent: Consent, pack: ContentPack) -> list[Missing]:
    """What must be done before the screen goes to the patient: the patient's details and a
    complete plan (screening, ticks and signatures may follow)."""
    return [m for m in consent.missing(pack) if m.step in HAND_OVER_STEPS]


def ticked_by_patient(consent: Consent, item_id: str) -> bool:
    ack = consent.acknowledgements.get(item_id)
    return ack is not None and ack.by == BY_PATIENT


def read_aloud(consent: Consent, item_id: str) -> Acknowledgement | None:
    """The acknowledgement of ``item_id`` when staff read it aloud (None otherwise)."""
    ack = consent.acknowledgements.get(item_id)
    return ack if ack is not None and ack.by == BY_STAFF else None


def open_questions(consent: Consent) -> list[str]:
    """Items the patient asked about that have no injector's answer yet, in asking order."""
    return [item_id for item_id, q in consent.questions.items() if not q.injector_note]


@dataclass(frozen=True)
class BeforeSigning:
    """What stops the patient's signature pad opening in patient mode."""

    to_tick: list[RequiredItem] = field(default_factory=list)  # not ticked by the patient
    questions: list[RequiredItem] = field(default_factory=list)  # raised, not yet answered

    @property
    def ready(self) -> bool:
        return not self.to_tick and not self.questions


def before_patient_signs(consent: Consent, pack: ContentPack) -> BeforeSigning:
    """In patient mode the patient signs only after ticking every required item themselves
    (an item staff read aloud does not count) and once each question they raised has its
    answer. A withdrawal has no items to tick."""
    items = [] if consent.kind == "withdrawal" else consent.required_items(pack)
    by_id = {i.item_id: i for i in items}
    waiting = [by_id[i] for i in open_questions(consent) if i in by_id]
    return BeforeSigning([i for i in items if not ticked_by_patient(consent, i.item_id)],
                         waiting)


def patient_may_change(consent: Consent) -> bool:
    """Whether the patient's ticks and questions are still open to them: once they have
    signed, their Risks page is read-only (a question then goes through staff, who hand
    back), so nothing they do there can clear their signature."""
    return "patient" not in consent.signatures


def who_ticked(ack: Acknowledgement, when: str) -> str:
    """Who made ``ack`` and ``when`` (as the caller formats it), in the record's words; ""
    for one made before who ticked was kept."""
    if ack.by == BY_PATIENT:
        initials = f" (initials {ack.initials})" if ack.initials else ""
        return f"Ticked by the patient on screen{initials} at {when}"
    if ack.by == BY_STAFF:
        name = ack.staff_name or "a staff member"
        return (f"Read aloud by {name}{',' if ',' in name else ''} with the patient at "
                f"{when}; the patient said they understand")
    return ""


def cleared_notice(consent: Consent, pack: ContentPack) -> str:
    """For staff: whose signatures a change cleared, and why ("" when none is waiting)."""
    if not consent.cleared:
        return ""
    labels = {r.id: r.label for r in consent.signature_roles(pack)}
    whys = list(dict.fromkeys(consent.cleared.values()))
    names = [labels.get(role, role) for role in consent.cleared]
    who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    plural = "s" if len(names) != 1 else ""
    told = " (the patient is told why on their signature page)" \
        if "patient" in consent.cleared else ""
    return (f"Signature{plural} cleared: {who}, because {' and '.join(whys)}. What is signed "
            f"must be what was reviewed, so {'each' if plural else 'it'} must be signed "
            f"again{told}.")


def cleared_for_patient(consent: Consent) -> str:
    """For the patient, on their signature page: why their signature was cleared."""
    why = consent.cleared.get("patient")
    if not why:
        return ""
    return (f"Your signature was cleared because {why} after you signed. Please check your "
            f"consent again, then sign again.")
