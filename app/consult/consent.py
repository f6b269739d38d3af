"""The consent model: one consult from patient details to signatures.

Every change to what the patient agrees to goes through a method here, and every such
change clears signatures already captured (the signed content must be what was reviewed),
noting whose and why in ``cleared`` so both the patient and staff are told.
Timestamps are timezone-aware; they are taken from an injectable clock so tests and
re-rendering are deterministic.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

from app.consult.content import ContentPack, SignatureRole
from app.consult.content.approvals import AreaUse, plan_uses
from app.consult.entries import (
    Acknowledgement,
    Answer,
    FaqView,
    ItemQuestion,
    Missing,
    RequiredItem,
    ScreeningAnswer,
    Signature,
)
from app.consult.patient import MAX_NOTE, Injector, Patient, clean_text

Clock = Callable[[], datetime]
Kind = Literal["consent", "amendment", "withdrawal", "confirmation"]
KINDS: tuple[Kind, ...] = ("consent", "amendment", "withdrawal", "confirmation")
MAX_REASON = 500  # as the records database allows (db.later_migrations.MAX_REASON)

# A withdrawal is signed by the patient and by the staff member who witnesses it.
WITHDRAWAL_ROLES: tuple[SignatureRole, ...] = (
    SignatureRole("patient", "Patient", "Patient withdrawal of consent",
                  "I withdraw my consent to the treatment named in this document. I do not "
                  "want it to be given."),
    SignatureRole("witness", "Staff witness", "Staff witness to the withdrawal",
                  "I witnessed the patient withdraw their consent, and recorded it."),
)


def local_now() -> datetime:
    """Now, in the machine's local time zone (what the clinic's wall clock shows)."""
    return datetime.now().astimezone().replace(microsecond=0)


@dataclass
class PlannedArea:
    area_id: str
    units: float | None = None


@dataclass
class TreatmentPlan:
    product_id: str = ""
    areas: list[PlannedArea] = field(default_factory=list)
    lot_number: str = ""
    expiry: date | None = None
    notes: str = ""

    def area_ids(self) -> list[str]:
        return [a.area_id for a in self.areas]


class ConsentError(ValueError):
    """An operation the consent cannot accept (unknown item, bad answer)."""


@dataclass
class Consent:
    content_pack_id: str
    content_version: str
    content_hash: str
    created_at: datetime
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    patient: Patient | None = None
    injector: Injector | None = None
    plan: TreatmentPlan = field(default_factory=TreatmentPlan)
    screening: dict[str, ScreeningAnswer] = field(default_factory=dict)
    acknowledgements: dict[str, Acknowledgement] = field(default_factory=dict)
    questions: dict[str, ItemQuestion] = field(default_factory=dict)
    faq_views: dict[str, FaqView] = field(default_factory=dict)
    signatures: dict[str, Signature] = field(default_factory=dict)
    minor_override_reason: str = ""
    finalized_at: datetime | None = None
    # The medical director's review of this pack as recorded when it was finalized, as
    # printed ("" when none was recorded): kept so the PDF renders again the same.
    content_review: str = ""
    # signatures cleared by a change and not signed again: role id -> why (in memory only)
    cleared: dict[str, str] = field(default_factory=dict, compare=False)
    # An amendment corrects a signed consent and a withdrawal withdraws it: both are new
    # records naming the consent they change (its id and when it was finalized) and why.
    kind: Kind = "consent"
    amends_id: str = ""
    amends_finalized_at: datetime | None = None
    reason: str = ""
    full_consent_id: str = ""  # a confirmation's full consent, and when it was finalized
    full_consent_at: datetime | None = None  # (app.consult.reconsent)

    @classmethod
    def start(cls, pack: ContentPack, clock: Clock = local_now) -> Consent:
        return cls(pack.info.id, pack.version, pack.hash, clock())

    # -- changes that alter what is signed ---------------------------------------------

    def _changed(self, why: str) -> None:
        """Clear the signatures, noting whose and ``why`` (e.g. "the plan changed")."""
        if self.finalized_at is not None:
            raise ConsentError("This consent is finalized and can no longer be changed.")
        self.cleared.update(dict.fromkeys(self.signatures, why))
        self.signatures.clear()

    def set_patient(self, patient: Patient | None) -> None:
        self._changed("the patient's details changed")
        if patient is not None and not patient.id:
            # A new patient gets its own UUID, so records from several workstations merge.
            patient = replace(patient, id=str(uuid.uuid4()))
        self.patient = patient

    def set_injector(self, injector: Injector | None) -> None:
        self._changed("the injector's details changed")
        self.injector = injector

    def set_minor_override(self, reason: str) -> None:
        self._changed("the reason to treat someone under 18 changed")
        self.minor_override_reason = clean_text(reason, multiline=True)[:MAX_NOTE]

    def set_reason(self, reason: str) -> None:
        """Why this amendment or withdrawal is made (cleaned; checked by ``missing``)."""
        self._changed("the reason for this record changed")
        self.reason = clean_text(reason, multiline=True)

    def rely_on(self, full_consent_id: str, finalized_at: datetime | None) -> None:
        """Make this a treatment-day confirmation of that full consent ("": a full consent)."""
        self._changed("the visit changed between a full consent and a treatment-day "
                      "confirmation")
        self.kind = "confirmation" if full_consent_id else "consent"
        self.full_consent_id = full_consent_id
        self.full_consent_at = finalized_at if full_consent_id else None

    def set_plan(self, plan: TreatmentPlan) -> None:
        """The plan, its lot number and notes cleaned as every typed field is (the window
        limits the notes' length)."""
        self._changed("the treatment plan changed")
        self.plan = replace(plan, lot_number=clean_text(plan.lot_number),
                            notes=clean_text(plan.notes, multiline=True))

    def answer(self, question_id: str, answer: Answer, note: str = "") -> None:
        if answer not in ("yes", "no"):
            raise ConsentError(f"A screening answer must be 'yes' or 'no', not {answer!r}.")
        self._changed("a screening answer changed")
        previous = self.screening.get(question_id)
        # An override belongs to a "yes"; keep it only while the answer stays "yes".
        keep = previous.override_reason if previous and answer == "yes" else ""
        self.screening[question_id] = ScreeningAnswer(
            answer, clean_text(note, multiline=True)[:MAX_NOTE], keep)

    def override(self, question_id: str, reason: str) -> None:
        current = self.screening.get(question_id)
        if current is None or current.answer != "yes":
            raise ConsentError("Only a screening question answered 'yes' can be overridden.")
        self._changed("a screening override changed")
        current.override_reason = clean_text(reason, multiline=True)[:MAX_NOTE]

    def acknowledge(self, item: RequiredItem, clock: Clock = local_now, *,
                    method: str = "tick", initials: str = "", by: str = "",
                    staff_name: str = "") -> None:
        """``by``: "patient" (ticked on screen) or "staff" (``staff_name`` read it aloud)."""
        self._changed("an item was ticked")
        self.acknowledgements[item.item_id] = Acknowledgement(
            item.item_id, item.kind, clock(), method, clean_text(initials)[:10], by,
            clean_text(staff_name)[:MAX_NOTE] if by == "staff" else "")

    def withdraw_acknowledgement(self, item_id: str) -> None:
        self._changed("an item was unticked")
        self.acknowledgements.pop(item_id, None)

    def ask_question(self, item_id: str, clock: Clock = local_now) -> None:
        self._changed("a question was raised")
        self.questions.setdefault(item_id, ItemQuestion(item_id, clock()))

    def answer_question(self, item_id: str, injector_note: str) -> None:
        if item_id not in self.questions:
            raise ConsentError("No question was flagged on that item.")
        self._changed("the injector answered a question")
        self.questions[item_id].injector_note = clean_text(injector_note, multiline=True)[:MAX_NOTE]

    def view_faq(self, faq_id: str, clock: Clock = local_now) -> None:
        if faq_id in self.faq_views:
            return  # the first opening is the one recorded; re-reading changes nothing
        self._changed("an FAQ topic was opened")
        self.faq_views[faq_id] = FaqView(faq_id, clock())

    def mark_discussed(self, faq_id: str, discussed: bool = True,
                       clock: Clock = local_now) -> None:
        self._changed("an FAQ topic was marked as discussed")
        view = self.faq_views.setdefault(faq_id, FaqView(faq_id, clock()))
        view.discussed_in_person = discussed

    # -- signatures ---------------------------------------------------------------------

    def sign(self, pack: ContentPack, role_id: str, printed_name: str, png: bytes,
             strokes: list[list[tuple[float, float]]], clock: Clock = local_now) -> Signature:
        role = next((r for r in self.signature_roles(pack) if r.id == role_id), None)
        if role is None:
            raise ConsentError(f"Unknown signature role {role_id!r}.")
        if self.finalized_at is not None:
            raise ConsentError("This consent is finalized and can no longer be signed.")
        name = clean_text(printed_name)
        if not name:
            raise ConsentError("A signature needs the signer's printed name.")
        if not png:
            raise ConsentError("A signature needs its image.")
        signature = Signature(role_id, name, role.meaning, clock(), png, strokes)
        self.signatures[role_id] = signature
        self.cleared.pop(role_id, None)
        return signature

    def clear_signature(self, role_id: str) -> None:
        self.signatures.pop(role_id, None)

    # -- derived views ------------------------------------------------------------------

    def signature_roles(self, pack: ContentPack) -> tuple[SignatureRole, ...]:
        """Who signs: the pack's roles, or the patient and a staff witness for a withdrawal."""
        return WITHDRAWAL_ROLES if self.kind == "withdrawal" else pack.signature_roles

    def age_at_consult(self) -> int | None:
        """The patient's age on the day of the consult (None before it is recorded)."""
        return self.patient.age_on(self.created_at.date()) if self.patient else None

    def area_uses(self, pack: ContentPack) -> list[AreaUse]:
        """Each planned area: an approved use of the product for this patient, or why not."""
        return plan_uses(pack, self.plan.product_id, self.plan.area_ids(),
                         self.age_at_consult())

    def off_label_area_ids(self, pack: ContentPack) -> list[str]:
        return [u.area_id for u in self.area_uses(pack) if not u.approved]

    def off_label_reasons(self, pack: ContentPack) -> list[str]:
        """Why each off-label area is off-label, in the words shown and printed."""
        return [u.reason for u in self.area_uses(pack) if not u.approved]

    def required_items(self, pack: ContentPack) -> list[RequiredItem]:
        """Every item the patient acknowledges one by one, in the order they are shown:
        the boxed warning first, the risks, the expectations, then what belongs to the
        chosen product (its facts, its Medication Guide) and any off-label disclosure."""
        if self.kind == "confirmation":  # one: the reminder of the full consent's risks
            from app.consult.reconsent import reminder_item  # it imports this module
            return [reminder_item(pack, self)]
        items = []
        if (boxed := pack.boxed_warning) is not None:
            items.append(RequiredItem(boxed.id, "risk", boxed.title, boxed.text, "boxed",
                                      boxed.action))
        items += [RequiredItem(r.id, "risk", r.title, r.text, "risk", r.action)
                  for r in pack.risks]
        items += [RequiredItem(e.id, "expectation", e.title, e.text, "expectation")
                  for e in pack.expectations]
        product = pack.product(self.plan.product_id)
        if product is not None and product.facts_text:
            items.append(RequiredItem(product.id, "disclosure", f"About {product.name}",
                                      product.facts_text, "product"))
        if (guide := pack.medication_guide) is not None:
            items.append(RequiredItem(guide.id, "disclosure", guide.title, guide.text, "guide"))
        if self.off_label_area_ids(pack):
            d = pack.off_label
            items.append(RequiredItem(d.id, "disclosure", d.title, d.text, "off_label"))
        return items

    def missing(self, pack: ContentPack, today: date | None = None) -> list[Missing]:
        """Everything that stops this consent being finalized; empty when it is complete."""
        today = today or self.created_at.date()
        out = self._link_missing()
        if self.kind == "withdrawal":
            return out + self._withdrawal_missing()
        if self.patient is None:
            out.append(Missing("patient", "Patient details are not complete."))
        elif self.patient.is_minor_on(today) and not self.minor_override_reason:
            out.append(Missing("patient", "The patient is under 18: cosmetic use is not approved "
                                          "for minors. The injector must record a reason to "
                                          "proceed."))
        if self.injector is None:
            out.append(Missing("patient", "The injector's name is not recorded."))
        for q in pack.screening:
            ans = self.screening.get(q.id)
            if ans is None:
                out.append(Missing("screening", f"Screening not answered: {q.text}", q.id))
            elif ans.answer == "yes" and q.is_hard_stop and not ans.override_reason:
                out.append(Missing("screening", f"Hard stop answered yes, no override reason "
                                                f"recorded: {q.text}", q.id))
        product = pack.product(self.plan.product_id)
        if product is None:
            out.append(Missing("plan", "No product chosen in the treatment plan."))
        if not self.plan.areas:
            out.append(Missing("plan", "No treatment area chosen."))
        for area_id in self.plan.area_ids():
            if pack.area(area_id) is None:
                out.append(Missing("plan", f"Unknown treatment area '{area_id}'.", area_id))
        for item in self.required_items(pack):
            if item.item_id not in self.acknowledgements:
                out.append(Missing("risks", f"Not acknowledged: {item.title}", item.item_id))
        for item_id, question in self.questions.items():
            if not question.injector_note:
                out.append(Missing("risks", "The patient has a question that needs the "
                                            "injector's note.", item_id))
        return out + self._signatures_missing(pack.signature_roles)

    def _signatures_missing(self, roles: tuple[SignatureRole, ...]) -> list[Missing]:
        return [Missing("signatures", f"{role.label} signature is missing.", role.id)
                for role in roles if role.required and role.id not in self.signatures]

    def _link_missing(self) -> list[Missing]:
        """What an amendment or withdrawal needs besides its content: the link and why."""
        if self.kind not in KINDS:
            return [Missing("patient", f"Unknown kind of record {self.kind!r}.")]
        if self.kind in ("consent", "confirmation"):
            wrong = self.amends_id or (self.kind == "confirmation") != bool(self.full_consent_id)
            return [Missing("patient", "Only an amendment or a withdrawal names a consent it "
                                       "changes, and only a treatment-day confirmation the "
                                       "full consent it relies on.")] if wrong else []
        out = []
        what = "amendment" if self.kind == "amendment" else "withdrawal"
        if not self.amends_id:
            out.append(Missing("patient", f"The {what} does not name the consent it changes."))
        reason = self.reason.strip()
        if not reason:
            out.append(Missing("patient", f"The reason for the {what} is not recorded."))
        elif len(reason) > MAX_REASON:
            out.append(Missing("patient", f"The reason for the {what} is too long "
                                          f"({len(reason)} characters; at most {MAX_REASON})."))
        return out

    def _withdrawal_missing(self) -> list[Missing]:
        """A withdrawal needs the patient, who records it, and both signatures; no
        screening, plan or acknowledgements."""
        out = []
        if self.patient is None:
            out.append(Missing("patient", "Patient details are not complete."))
        if self.injector is None:
            out.append(Missing("patient", "The staff member recording it is not named."))
        return out + self._signatures_missing(WITHDRAWAL_ROLES)

    def is_complete(self, pack: ContentPack, today: date | None = None) -> bool:
        return not self.missing(pack, today)

    def flagged_screening(self, pack: ContentPack) -> list[tuple[str, ScreeningAnswer]]:
        """Screening questions answered 'yes' (hard stops and flags), for the injector."""
        return [(q.id, self.screening[q.id]) for q in pack.screening
                if q.id in self.screening and self.screening[q.id].answer == "yes"]
