"""How far a consult has come: each step's mark, and whether it can be finalized yet. Qt-free.

The window and the patient view only paint what these functions return. A mark is
``complete``, ``missing`` (something still needed) or ``optional``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.consult.patient_rules import before_patient_signs

if TYPE_CHECKING:
    from app.consult.consent import Consent, Missing
    from app.consult.content import ContentPack

FINALIZED_REASON = "Finalized. Use “New consult” to start another."
READY_REASON = "Everything needed is in place."


@dataclass(frozen=True)
class Progress:
    """The staff view's progress: marks by step id, what is still needed, Finalize's state."""

    marks: dict[str, str]
    missing: list[Missing]
    finalized: bool
    can_finalize: bool
    reason: str  # why Finalize is (not) available, shown under the button and as its tip


def has_input(consent: Consent) -> bool:
    """Whether anything was entered that a new consult would throw away."""
    from app.consult.consent import TreatmentPlan

    return bool(consent.patient or consent.screening or consent.plan != TreatmentPlan()
                or consent.acknowledgements or consent.faq_views or consent.signatures
                or consent.minor_override_reason)


def finalize_reason(finalized: bool, missing_count: int) -> str:
    if finalized:
        return FINALIZED_REASON
    if missing_count:
        return (f"Finalize becomes available when nothing is still needed "
                f"({missing_count} item{'s' if missing_count != 1 else ''} left).")
    return READY_REASON


def staff_progress(consent: Consent, pack: ContentPack, step_ids: list[str], *,
                   reviewed: bool) -> Progress:
    """The marks of the injector's steps ``step_ids``; ``reviewed``: the document on show
    is the one as it stands now (only the review page can tell)."""
    finalized = consent.finalized_at is not None
    missing = [] if finalized else consent.missing(pack)
    steps_missing = {m.step for m in missing}
    marks: dict[str, str] = {}
    for step_id in step_ids:
        if step_id == "faq":
            state = "complete" if consent.faq_views else "optional"
        elif step_id == "done":
            state = "complete" if finalized else "optional"
        elif step_id == "review":
            state = "complete" if finalized or reviewed else "optional"
        else:
            state = "missing" if step_id in steps_missing else "complete"
        marks[step_id] = state
    return Progress(marks, missing, finalized, not finalized and not missing,
                    finalize_reason(finalized, len(missing)))


def patient_marks(consent: Consent, pack: ContentPack, *, reviewed: bool) -> dict[str, str]:
    """The marks of the patient's own steps in patient mode: Risks is complete when the
    patient ticked every item themselves and each of their questions has its answer."""
    return {
        "plan-summary": "complete" if consent.plan.areas else "optional",
        "faq": "complete" if consent.faq_views else "optional",
        "risks": "complete" if before_patient_signs(consent, pack).ready else "missing",
        "review": "complete" if reviewed else "optional",
        "signatures": "complete" if "patient" in consent.signatures else "missing",
    }
