"""Amendments and withdrawals of signed consents (Qt-free).

A signed consent is never edited. A correction is an amendment: a complete new consent,
linked to the one it corrects, with its own reason, signatures and certified PDF. A
patient withdrawing consent before treatment is a withdrawal: a short signed record linked
the same way. Records form a linear chain: only its newest record (the head) can be
amended or withdrawn, and a chain that ends in a withdrawal is closed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime

from app.base.errors import KnownError
from app.consult import draft
from app.consult.consent import MAX_REASON, Clock, Consent, local_now
from app.consult.content import ContentPack
from app.consult.patient import Injector, Patient, clean_text
from db import RecordNotFoundError, Store
from db.base import Row

SHORT_ID = 8  # as the records screen shows ids


class AmendmentError(KnownError, ValueError):
    """The consent cannot be amended or withdrawn (or the link is wrong); ``message`` says
    why in plain words."""


@dataclass(frozen=True)
class ChainLink:
    """One record of a chain as stored: its id, kind and when it was finalized."""

    id: str
    kind: str
    finalized_at: str


def short(record_id: str) -> str:
    return record_id[:SHORT_ID]


def clean_reason(reason: str, what: str = "amendment") -> str:
    """The reason as it is recorded; AmendmentError when empty or too long."""
    text = clean_text(reason, multiline=True)
    if not text:
        raise AmendmentError(f"Give the reason for the {what}.")
    if len(text) > MAX_REASON:
        raise AmendmentError(f"The reason is too long ({len(text)} characters; at most "
                             f"{MAX_REASON}).")
    return text


def head_of_chain(store: Store, consent_id: str) -> ChainLink:
    """The newest record of the chain ``consent_id`` belongs to (itself when not amended)."""
    current = consent_id
    while (later := store.successor(current)) is not None:
        current = later["consent_id"]
    row = store.get_consent(current)
    link = store.consent_link(current)
    return ChainLink(current, link["kind"] if link else "consent", row["finalized_at"])


def check_amendable(store: Store, consent_id: str) -> Row:
    """The stored consent row, when ``consent_id`` may be amended or withdrawn now.

    Raises AmendmentError: no such record, a withdrawal itself, or not the head of its
    chain (the message names the newer record).
    """
    try:
        row = store.get_consent(consent_id)
    except RecordNotFoundError:
        raise AmendmentError(f"No consent was found with id '{consent_id}'.") from None
    link = store.consent_link(consent_id)
    if link is not None and link["kind"] == "withdrawal":
        raise AmendmentError(f"Record {short(consent_id)} is a withdrawal: a withdrawn "
                             f"consent cannot be amended or withdrawn again.")
    head = head_of_chain(store, consent_id)
    if head.id != consent_id:
        when = head.finalized_at[:16].replace("T", " ")
        if head.kind == "withdrawal":
            raise AmendmentError(f"Consent {short(consent_id)} was withdrawn by record "
                                 f"{short(head.id)} ({when}): it cannot be amended or "
                                 f"withdrawn again.")
        raise AmendmentError(f"Consent {short(consent_id)} was already amended; its newest "
                             f"record is {short(head.id)} ({when}). Amend or withdraw that "
                             f"one instead.")
    return row


def check_link(store: Store, consent: Consent) -> None:
    """Before finalizing: an amendment or withdrawal must name the head of a chain of the
    same patient, finalized when it says. Fills ``amends_finalized_at`` when missing."""
    if consent.kind in ("consent", "confirmation"):  # a confirmation: reconsent's check
        return
    original = check_amendable(store, consent.amends_id)
    patient = consent.patient
    if patient is None or patient.id != original["patient_id"]:
        raise AmendmentError(f"Record {short(consent.amends_id)} belongs to another patient: "
                             f"an amendment or withdrawal keeps the original's patient.")
    finalized = datetime.fromisoformat(original["finalized_at"])
    if consent.amends_finalized_at is None:
        consent.amends_finalized_at = finalized
    elif consent.amends_finalized_at != finalized:
        raise AmendmentError(f"Record {short(consent.amends_id)} was finalized "
                             f"{original['finalized_at']}, not "
                             f"{consent.amends_finalized_at.isoformat()}.")


def _patient(store: Store, patient_id: str) -> Patient:
    """The patient as the records hold them now (details may have changed since)."""
    row = store.get_patient(patient_id)
    return Patient(row["full_name"], date.fromisoformat(row["date_of_birth"]),
                   row["phone"] or "", row["email"] or "", row["id"])


def _linked(store: Store, original_id: str, reason: str, kind: str, pack: ContentPack,
            clock: Clock) -> tuple[Consent, Consent]:
    """The stored original (as a consent) and a new record linked to it, unsigned."""
    what = "amendment" if kind == "amendment" else "withdrawal"
    text = clean_reason(reason, what)
    row = check_amendable(store, original_id)
    original = draft.from_json(row["consent_json"])
    record = Consent.start(pack, clock)
    record.kind = kind  # type: ignore[assignment]
    record.amends_id = original_id
    record.amends_finalized_at = datetime.fromisoformat(row["finalized_at"])
    record.reason = text
    record.patient = _patient(store, row["patient_id"])
    record.injector = original.injector
    record.plan = copy.deepcopy(original.plan)
    return original, record


def start_amendment(store: Store, original_id: str, reason: str, pack: ContentPack,
                    clock: Clock = local_now, injector: Injector | None = None) -> Consent:
    """A new consent amending ``original_id``: its answers, plan and acknowledgements (with
    the times they were given), no signatures, a new id and start time. ``injector``
    (the staff member amending) replaces the original's when given."""
    original, amendment = _linked(store, original_id, reason, "amendment", pack, clock)
    amendment.screening = copy.deepcopy(original.screening)
    amendment.acknowledgements = copy.deepcopy(original.acknowledgements)
    amendment.questions = copy.deepcopy(original.questions)
    amendment.minor_override_reason = original.minor_override_reason
    if injector is not None:
        amendment.injector = injector
    return amendment


def start_withdrawal(store: Store, original_id: str, reason: str, pack: ContentPack,
                     clock: Clock = local_now, injector: Injector | None = None) -> Consent:
    """A withdrawal of ``original_id`` (the head of its chain), to be signed by the patient
    and a staff witness; ``injector`` is the staff member recording it."""
    _original, withdrawal = _linked(store, original_id, reason, "withdrawal", pack, clock)
    if injector is not None:
        withdrawal.injector = injector
    return withdrawal


def amendment_notice(consent: Consent) -> str:
    """The banner over a consult that amends a stored consent."""
    return f"Amending consent {short(consent.amends_id)}: {consent.reason}"
